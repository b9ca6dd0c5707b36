// SASL LOGIN server side (draft-murchison-sasl-login-00): the obsolete but
// widely used two-prompt mechanism ("Username:", "Password:").
// Trust level: talks to the Internet; carries a password (send it under TLS only).
#pragma once

#include "auth/sasl.h"

namespace mailroom::auth
{

class SaslLogin final : public SaslMechanism
{
public:
    explicit SaslLogin(CredentialSource &creds);

    QByteArray name() const override;
    Step start(const QByteArray &initial, bool hasInitial) override;
    Step next(const QByteArray &response) override;

private:
    enum class State { Initial, WantUser, WantPassword, Done };

    Step takeUser(const QByteArray &response);
    Step takePassword(const QByteArray &response);

    CredentialSource &m_creds;
    State m_state = State::Initial;
    QString m_user;
};

} // namespace mailroom::auth
