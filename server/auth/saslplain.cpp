// SASL PLAIN, RFC 4616 §2:
//   message   = [authzid] UTF8NUL authcid UTF8NUL passwd
//   authcid   = 1*SAFE ; MUST accept up to 255 octets
//   passwd    = 1*SAFE ; MUST accept up to 255 octets
// An authzid naming someone other than the authcid is refused (no proxy login).
// Trust level: talks to the Internet; the password copies are wiped.
#include "auth/saslplain.h"

#include "auth/saslcrypto.h"

namespace mailroom::auth
{

SaslPlain::SaslPlain(CredentialSource &creds)
    : m_creds(creds)
{
}

QByteArray SaslPlain::name() const
{
    return QByteArrayLiteral("PLAIN");
}

SaslMechanism::Step SaslPlain::start(const QByteArray &initial, bool hasInitial)
{
    if (m_done || m_waiting) {
        m_done = true;
        return Step::makeFailure(QStringLiteral("PLAIN: start called twice"), true);
    }
    if (hasInitial)
        return check(initial);
    m_waiting = true;
    return Step::makeChallenge({});
}

SaslMechanism::Step SaslPlain::next(const QByteArray &response)
{
    if (m_done || !m_waiting) {
        m_done = true;
        return Step::makeFailure(QStringLiteral("PLAIN: unexpected response"), true);
    }
    return check(response);
}

SaslMechanism::Step SaslPlain::check(const QByteArray &message)
{
    m_done = true;
    m_waiting = false;
    if (message.size() > kMaxResponseBytes)
        return Step::makeFailure(QStringLiteral("PLAIN: response too long"), true);
    const qsizetype first = message.indexOf('\0');
    const qsizetype second = first < 0 ? -1 : message.indexOf('\0', first + 1);
    if (second < 0 || message.indexOf('\0', second + 1) >= 0)
        return Step::makeFailure(QStringLiteral("PLAIN: the message needs exactly two NUL separators"), true);
    const QByteArray authzidBytes = message.left(first);
    const auto authcid = decodeName(message.mid(first + 1, second - first - 1));
    if (!authcid)
        return Step::makeFailure(QStringLiteral("PLAIN: bad authentication identity"), true);
    setAttemptedUser(*authcid);
    const auto authzid = authzidBytes.isEmpty() ? std::optional<QString>(QString()) : decodeName(authzidBytes);
    if (!authzid)
        return Step::makeFailure(QStringLiteral("PLAIN: bad authorization identity"), true);
    QByteArray passwordBytes = message.mid(second + 1);
    std::optional<QString> password = decodePassword(passwordBytes);
    wipe(passwordBytes);
    if (!password)
        return Step::makeFailure(QStringLiteral("PLAIN: bad or empty password"), true);
    if (!sameUser(m_creds, *authzid, *authcid)) {
        wipe(*password);
        return Step::makeFailure(QStringLiteral("PLAIN: authorization identity differs from the user"));
    }
    const bool ok = m_creds.verifyPassword(*authcid, *password);
    wipe(*password);
    if (!ok)
        return Step::makeFailure(QStringLiteral("PLAIN: wrong user name or password"));
    const QString canonical = m_creds.canonicalName(*authcid);
    if (canonical.isEmpty())
        return Step::makeFailure(QStringLiteral("PLAIN: the user has no canonical name"));
    setAuthenticatedUser(canonical);
    return Step::makeSuccess();
}

} // namespace mailroom::auth
