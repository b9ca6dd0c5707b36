// SaslMechanism's shared helpers, the list of offered mechanisms and the
// factory (RFC 4422 §3.1: mechanism names are case-insensitive).
// Trust level: talks to the Internet (names and identities come from clients).
#include "auth/sasl.h"

#include <QStringDecoder>

#include "auth/saslcrammd5.h"
#include "auth/sasllogin.h"
#include "auth/saslplain.h"
#include "auth/saslscram.h"

namespace mailroom::auth
{

namespace
{
std::optional<QString> decodeUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}
} // namespace

SaslMechanism::Step SaslMechanism::Step::makeChallenge(QByteArray challenge)
{
    Step s;
    s.kind = Challenge;
    s.challenge = std::move(challenge);
    return s;
}

SaslMechanism::Step SaslMechanism::Step::makeSuccess(QByteArray additional)
{
    Step s;
    s.kind = Success;
    s.challenge = std::move(additional);
    return s;
}

SaslMechanism::Step SaslMechanism::Step::makeFailure(QString reason, bool malformed)
{
    Step s;
    s.kind = Failure;
    s.reason = std::move(reason);
    s.malformed = malformed;
    return s;
}

QString SaslMechanism::authenticatedUser() const
{
    return m_authenticatedUser;
}

QString SaslMechanism::attemptedUser() const
{
    return m_attemptedUser;
}

void SaslMechanism::setAuthenticatedUser(const QString &user)
{
    m_authenticatedUser = user;
}

void SaslMechanism::setAttemptedUser(const QString &user)
{
    m_attemptedUser = user;
}

std::optional<QString> SaslMechanism::decodeName(const QByteArray &bytes)
{
    if (bytes.isEmpty() || bytes.size() > kMaxNameBytes)
        return std::nullopt;
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) // keeps CR, LF and NUL out of logs and lookups
            return std::nullopt;
    }
    return decodeUtf8(bytes);
}

std::optional<QString> SaslMechanism::decodePassword(const QByteArray &bytes)
{
    if (bytes.isEmpty() || bytes.size() > kMaxPasswordBytes || bytes.contains('\0'))
        return std::nullopt;
    return decodeUtf8(bytes);
}

bool SaslMechanism::sameUser(CredentialSource &creds, const QString &authzid, const QString &authcid)
{
    if (authzid.isEmpty() || authzid == authcid)
        return true;
    const QString a = creds.canonicalName(authzid);
    return !a.isEmpty() && a == creds.canonicalName(authcid);
}

QList<QByteArray> saslMechanismNames(bool tls, bool allowPlaintext, bool allowCramMd5)
{
    QList<QByteArray> names { QByteArrayLiteral("SCRAM-SHA-256") };
    if (allowCramMd5)
        names << QByteArrayLiteral("CRAM-MD5");
    if (tls || allowPlaintext)
        names << QByteArrayLiteral("PLAIN") << QByteArrayLiteral("LOGIN");
    return names;
}

std::unique_ptr<SaslMechanism> createSaslMechanism(
    const QByteArray &name, CredentialSource &creds, const QByteArray &serverName)
{
    const QByteArray upper = name.toUpper();
    if (upper == "PLAIN")
        return std::make_unique<SaslPlain>(creds);
    if (upper == "LOGIN")
        return std::make_unique<SaslLogin>(creds);
    if (upper == "CRAM-MD5")
        return std::make_unique<SaslCramMd5>(creds, serverName);
    if (upper == "SCRAM-SHA-256")
        return std::make_unique<SaslScram>(creds);
    return nullptr;
}

} // namespace mailroom::auth
