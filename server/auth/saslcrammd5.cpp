// SASL CRAM-MD5, RFC 2195 §2: the server sends a msg-id style challenge
// "<random.timestamp@servername>", the client answers
//   response = user SP digest ; digest = 32 lower-case hex of HMAC-MD5(key, challenge)
// The digest is compared in constant time, and an unknown user costs the
// same HMAC as a known one.
// Trust level: talks to the Internet.
#include "auth/saslcrammd5.h"

#include <QDateTime>

#include "auth/saslcrypto.h"

namespace mailroom::auth
{

namespace
{
constexpr int kDigestHex = 32;

// The server name goes between '@' and '>': keep it to host-name characters.
QByteArray safeServerName(const QByteArray &name)
{
    if (name.isEmpty() || name.size() > 255)
        return QByteArrayLiteral("localhost");
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
            || c == '-' || c == '_';
        if (!ok)
            return QByteArrayLiteral("localhost");
    }
    return name;
}

bool isHex(const QByteArray &s)
{
    for (const char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}
} // namespace

SaslCramMd5::SaslCramMd5(CredentialSource &creds, const QByteArray &serverName)
    : m_creds(creds)
{
    QByteArray random = randomBytes(8);
    quint64 n = 0;
    for (const char c : random)
        n = (n << 8) | static_cast<unsigned char>(c);
    m_challenge = '<' + QByteArray::number(n) + '.' + QByteArray::number(QDateTime::currentSecsSinceEpoch()) + '@'
        + safeServerName(serverName) + '>';
}

QByteArray SaslCramMd5::name() const
{
    return QByteArrayLiteral("CRAM-MD5");
}

void SaslCramMd5::setChallenge(const QByteArray &challenge)
{
    m_challenge = challenge;
}

QByteArray SaslCramMd5::challenge() const
{
    return m_challenge;
}

SaslMechanism::Step SaslCramMd5::start(const QByteArray &, bool hasInitial)
{
    if (m_state != State::Initial) {
        m_state = State::Done;
        return Step::makeFailure(QStringLiteral("CRAM-MD5: start called twice"), true);
    }
    if (hasInitial) { // the server speaks first (RFC 4954 §4 forbids an initial response here)
        m_state = State::Done;
        return Step::makeFailure(QStringLiteral("CRAM-MD5: initial response not allowed"), true);
    }
    m_state = State::WantResponse;
    return Step::makeChallenge(m_challenge);
}

SaslMechanism::Step SaslCramMd5::next(const QByteArray &response)
{
    if (m_state != State::WantResponse) {
        m_state = State::Done;
        return Step::makeFailure(QStringLiteral("CRAM-MD5: unexpected response"), true);
    }
    m_state = State::Done;
    if (response.size() > kMaxResponseBytes)
        return Step::makeFailure(QStringLiteral("CRAM-MD5: response too long"), true);
    const qsizetype space = response.lastIndexOf(' ');
    if (space < 0)
        return Step::makeFailure(QStringLiteral("CRAM-MD5: response is not \"user digest\""), true);
    const auto user = decodeName(response.left(space));
    const QByteArray digestHex = response.mid(space + 1);
    if (!user || digestHex.size() != kDigestHex || !isHex(digestHex))
        return Step::makeFailure(QStringLiteral("CRAM-MD5: response is not \"user digest\""), true);
    setAttemptedUser(*user);

    std::optional<QByteArray> key = m_creds.cramMd5Key(*user);
    const bool known = key && !key->isEmpty();
    // Without a key, spend the same HMAC on a random one so timing says nothing.
    QByteArray usedKey = known ? *key : randomBytes(16);
    if (key)
        wipe(*key);
    QByteArray expected = hmacMd5(usedKey, m_challenge);
    wipe(usedKey);
    const bool match = equalConstantTime(expected, QByteArray::fromHex(digestHex));
    wipe(expected);
    if (!known)
        return Step::makeFailure(QStringLiteral("CRAM-MD5: unknown user or no CRAM-MD5 key"));
    if (!match)
        return Step::makeFailure(QStringLiteral("CRAM-MD5: wrong digest"));
    const QString canonical = m_creds.canonicalName(*user);
    if (canonical.isEmpty())
        return Step::makeFailure(QStringLiteral("CRAM-MD5: the user has no canonical name"));
    setAuthenticatedUser(canonical);
    return Step::makeSuccess();
}

} // namespace mailroom::auth
