// SASL LOGIN (draft-murchison-sasl-login-00 §2): the server sends
// "Username:", the client the user name, the server "Password:", the client
// the password. Clients may send the user name as an initial response.
// Trust level: talks to the Internet; the password copies are wiped.
#include "auth/sasllogin.h"

#include "auth/saslcrypto.h"

namespace mailroom::auth
{

SaslLogin::SaslLogin(CredentialSource &creds)
    : m_creds(creds)
{
}

QByteArray SaslLogin::name() const
{
    return QByteArrayLiteral("LOGIN");
}

SaslMechanism::Step SaslLogin::start(const QByteArray &initial, bool hasInitial)
{
    if (m_state != State::Initial) {
        m_state = State::Done;
        return Step::makeFailure(QStringLiteral("LOGIN: start called twice"), true);
    }
    if (hasInitial)
        return takeUser(initial);
    m_state = State::WantUser;
    return Step::makeChallenge(QByteArrayLiteral("Username:"));
}

SaslMechanism::Step SaslLogin::next(const QByteArray &response)
{
    switch (m_state) {
    case State::WantUser:
        return takeUser(response);
    case State::WantPassword:
        return takePassword(response);
    case State::Initial:
    case State::Done:
        break;
    }
    m_state = State::Done;
    return Step::makeFailure(QStringLiteral("LOGIN: unexpected response"), true);
}

SaslMechanism::Step SaslLogin::takeUser(const QByteArray &response)
{
    const auto user = response.size() > kMaxResponseBytes ? std::nullopt : decodeName(response);
    if (!user) {
        m_state = State::Done;
        return Step::makeFailure(QStringLiteral("LOGIN: bad or empty user name"), true);
    }
    m_user = *user;
    setAttemptedUser(m_user);
    m_state = State::WantPassword;
    return Step::makeChallenge(QByteArrayLiteral("Password:"));
}

SaslMechanism::Step SaslLogin::takePassword(const QByteArray &response)
{
    m_state = State::Done;
    if (response.size() > kMaxResponseBytes)
        return Step::makeFailure(QStringLiteral("LOGIN: response too long"), true);
    // The caller owns (and wipes) the response; the decoded copy is ours.
    std::optional<QString> password = decodePassword(response);
    if (!password)
        return Step::makeFailure(QStringLiteral("LOGIN: bad or empty password"), true);
    const bool ok = m_creds.verifyPassword(m_user, *password);
    wipe(*password);
    if (!ok)
        return Step::makeFailure(QStringLiteral("LOGIN: wrong user name or password"));
    const QString canonical = m_creds.canonicalName(m_user);
    if (canonical.isEmpty())
        return Step::makeFailure(QStringLiteral("LOGIN: the user has no canonical name"));
    setAuthenticatedUser(canonical);
    return Step::makeSuccess();
}

} // namespace mailroom::auth
