// SASL SCRAM-SHA-256, RFC 5802 §5 and §7, RFC 7677, without channel binding.
// Unknown users are answered with a fake salt and fail only at the end.
// Trust level: talks to the Internet; every field is bounded and checked.
#include "auth/saslscram.h"

#include "auth/saslcrypto.h"

namespace mailroom::auth
{

namespace
{
constexpr int kKeyBytes = 32;
constexpr int kSaltBytes = 16;
constexpr int kFakeIterations = 4096; // the default of deriveScramCredentials
constexpr int kMaxNonceBytes = 1024;
constexpr auto kStrictBase64 = QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors;

// Keys the fake salts of unknown users; fixed for the life of the process so
// that asking twice for one name gives the same salt.
const QByteArray &fakeSaltSecret()
{
    static const QByteArray secret = randomBytes(32);
    return secret;
}

// saslname: "=2C" is ',' and "=3D" is '='; any other '=' is an error.
std::optional<QByteArray> decodeSaslName(const QByteArray &s)
{
    QByteArray out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] == ',')
            return std::nullopt;
        if (s[i] != '=') {
            out += s[i];
            continue;
        }
        const QByteArray code = s.mid(i + 1, 2);
        if (code == "2C")
            out += ',';
        else if (code == "3D")
            out += '=';
        else
            return std::nullopt;
        i += 2;
    }
    return out;
}

bool isPrintableNonce(const QByteArray &s)
{
    if (s.isEmpty() || s.size() > kMaxNonceBytes)
        return false;
    for (const char c : s) {
        if (c < 0x21 || c > 0x7e || c == ',')
            return false;
    }
    return true;
}

// attr-val = ALPHA "=" value, for the extension fields we skip.
bool isAttribute(const QByteArray &field)
{
    return field.size() >= 2 && field[1] == '='
        && ((field[0] >= 'a' && field[0] <= 'z') || (field[0] >= 'A' && field[0] <= 'Z'));
}

SaslMechanism::Step malformed(const char *what)
{
    return SaslMechanism::Step::makeFailure(QStringLiteral("SCRAM-SHA-256: ") + QLatin1String(what), true);
}
} // namespace

SaslScram::SaslScram(CredentialSource &creds)
    : m_creds(creds)
    , m_serverNonce(randomBytes(18).toBase64())
{
}

SaslScram::~SaslScram()
{
    wipe(m_keys.storedKey);
    wipe(m_keys.serverKey);
}

QByteArray SaslScram::name() const
{
    return QByteArrayLiteral("SCRAM-SHA-256");
}

void SaslScram::setServerNonce(const QByteArray &nonce)
{
    m_serverNonce = nonce;
}

SaslMechanism::Step SaslScram::start(const QByteArray &initial, bool hasInitial)
{
    if (m_state != State::Initial) {
        m_state = State::Done;
        return malformed("start called twice");
    }
    if (hasInitial)
        return clientFirst(initial);
    m_state = State::WantFirst;
    return Step::makeChallenge({});
}

SaslMechanism::Step SaslScram::next(const QByteArray &response)
{
    switch (m_state) {
    case State::WantFirst:
        return clientFirst(response);
    case State::WantFinal:
        return clientFinal(response);
    case State::Initial:
    case State::Done:
        break;
    }
    m_state = State::Done;
    return malformed("unexpected response");
}

void SaslScram::useFakeCredentials(const QString &user)
{
    m_known = false;
    m_keys.salt
        = hmacSha256(fakeSaltSecret(), QByteArrayLiteral("scram-salt:") + user.toLower().toUtf8()).left(kSaltBytes);
    m_keys.iterations = kFakeIterations;
    // Random keys: the proof check runs as for a real user and cannot succeed.
    m_keys.storedKey = randomBytes(kKeyBytes);
    m_keys.serverKey = randomBytes(kKeyBytes);
}

// RFC 5802 §7, the parts this server reads and writes:
//   client-first-message = gs2-header client-first-message-bare
//   gs2-header           = gs2-cbind-flag "," [ authzid ] ","
//   gs2-cbind-flag       = ("p=" cb-name) / "n" / "y"   ; "p" refused: no -PLUS offered
//   client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
//   server-first-message = nonce "," salt "," iteration-count ["," extensions]
//   client-final-message = channel-binding "," nonce ["," extensions] "," proof
//   server-final-message = verifier
//   saslname             = 1*(value-safe-char / "=2C" / "=3D")
//   printable (nonce)    = %x21-2B / %x2D-7E
SaslMechanism::Step SaslScram::clientFirst(const QByteArray &message)
{
    m_state = State::Done;
    if (message.size() > kMaxResponseBytes)
        return malformed("client-first message too long");
    if (message.startsWith("p="))
        return malformed("channel binding requested but not offered");
    if (!message.startsWith("n,") && !message.startsWith("y,"))
        return malformed("bad gs2 header");
    const qsizetype headerEnd = message.indexOf(',', 2);
    if (headerEnd < 0)
        return malformed("bad gs2 header");
    const QByteArray authzidField = message.mid(2, headerEnd - 2);
    std::optional<QString> authzid = QString();
    if (!authzidField.isEmpty()) {
        const auto raw = authzidField.startsWith("a=") ? decodeSaslName(authzidField.mid(2)) : std::nullopt;
        authzid = raw ? decodeName(*raw) : std::nullopt;
        if (!authzid)
            return malformed("bad authzid");
    }
    m_gs2Header = message.left(headerEnd + 1);
    m_clientFirstBare = message.mid(headerEnd + 1);

    const QList<QByteArray> fields = m_clientFirstBare.split(',');
    if (fields.first().startsWith("m="))
        return malformed("mandatory extension not supported");
    if (fields.size() < 2 || !fields[0].startsWith("n=") || !fields[1].startsWith("r="))
        return malformed("client-first message needs n= and r=");
    for (qsizetype i = 2; i < fields.size(); ++i) {
        if (!isAttribute(fields[i]))
            return malformed("bad extension");
    }
    const auto rawUser = decodeSaslName(fields[0].mid(2));
    const auto user = rawUser ? decodeName(*rawUser) : std::nullopt;
    if (!user)
        return malformed("bad user name");
    m_user = user->normalized(QString::NormalizationForm_KC);
    setAttemptedUser(m_user);
    const QByteArray clientNonce = fields[1].mid(2);
    if (!isPrintableNonce(clientNonce))
        return malformed("bad client nonce");
    if (!isPrintableNonce(m_serverNonce))
        return Step::makeFailure(QStringLiteral("SCRAM-SHA-256: no server nonce (random number generator failed)"));
    if (!sameUser(m_creds, *authzid, m_user))
        return Step::makeFailure(QStringLiteral("SCRAM-SHA-256: authorization identity differs from the user"));

    std::optional<ScramCredentials> keys = m_creds.scramCredentials(m_user);
    if (keys && keys->iterations >= 1 && keys->iterations <= kMaxScramIterations && !keys->salt.isEmpty()
        && keys->storedKey.size() == kKeyBytes && keys->serverKey.size() == kKeyBytes) {
        m_keys = *keys;
        m_known = true;
    } else {
        useFakeCredentials(m_user);
    }
    if (keys) {
        wipe(keys->storedKey);
        wipe(keys->serverKey);
    }
    m_nonce = clientNonce + m_serverNonce;
    m_serverFirst = "r=" + m_nonce + ",s=" + m_keys.salt.toBase64() + ",i=" + QByteArray::number(m_keys.iterations);
    m_state = State::WantFinal;
    return Step::makeChallenge(m_serverFirst);
}

SaslMechanism::Step SaslScram::clientFinal(const QByteArray &message)
{
    m_state = State::Done;
    if (message.size() > kMaxResponseBytes)
        return malformed("client-final message too long");
    const qsizetype proofAt = message.lastIndexOf(",p=");
    if (proofAt < 0)
        return malformed("client-final message has no proof");
    const QByteArray withoutProof = message.left(proofAt);
    const auto proof = QByteArray::fromBase64Encoding(message.mid(proofAt + 3), kStrictBase64);
    if (!proof || proof.decoded.size() != kKeyBytes)
        return malformed("bad proof");
    const QList<QByteArray> fields = withoutProof.split(',');
    if (fields.size() < 2 || !fields[0].startsWith("c=") || !fields[1].startsWith("r="))
        return malformed("client-final message needs c= and r=");
    for (qsizetype i = 2; i < fields.size(); ++i) {
        if (!isAttribute(fields[i]))
            return malformed("bad extension");
    }
    // Without channel binding, c= carries just the gs2 header (RFC 5802 §7).
    const auto binding = QByteArray::fromBase64Encoding(fields[0].mid(2), kStrictBase64);
    if (!binding || binding.decoded != m_gs2Header)
        return malformed("channel binding data does not match the gs2 header");
    if (fields[1].mid(2) != m_nonce)
        return malformed("nonce does not match");

    // RFC 5802 §3: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage);
    // the proof is good when H(ClientKey) == StoredKey.
    const QByteArray authMessage = m_clientFirstBare + ',' + m_serverFirst + ',' + withoutProof;
    const QByteArray signature = hmacSha256(m_keys.storedKey, authMessage);
    if (signature.size() != kKeyBytes)
        return Step::makeFailure(QStringLiteral("SCRAM-SHA-256: HMAC failed"));
    QByteArray clientKey(kKeyBytes, Qt::Uninitialized);
    for (int i = 0; i < kKeyBytes; ++i)
        clientKey[i] = char(proof.decoded[i] ^ signature[i]);
    const bool match = equalConstantTime(sha256(clientKey), m_keys.storedKey);
    wipe(clientKey);
    if (!m_known)
        return Step::makeFailure(QStringLiteral("SCRAM-SHA-256: unknown user or no SCRAM credentials"));
    if (!match)
        return Step::makeFailure(QStringLiteral("SCRAM-SHA-256: wrong proof"));
    const QString canonical = m_creds.canonicalName(m_user);
    if (canonical.isEmpty())
        return Step::makeFailure(QStringLiteral("SCRAM-SHA-256: the user has no canonical name"));
    setAuthenticatedUser(canonical);
    return Step::makeSuccess("v=" + hmacSha256(m_keys.serverKey, authMessage).toBase64());
}

} // namespace mailroom::auth
