// SASL PLAIN server side, RFC 4616.
// Trust level: talks to the Internet; carries a password (send it under TLS only).
#pragma once

#include "auth/sasl.h"

namespace mailroom::auth
{

class SaslPlain final : public SaslMechanism
{
public:
    explicit SaslPlain(CredentialSource &creds);

    QByteArray name() const override;
    Step start(const QByteArray &initial, bool hasInitial) override;
    Step next(const QByteArray &response) override;

private:
    Step check(const QByteArray &message);

    CredentialSource &m_creds;
    bool m_waiting = false; // an empty challenge was sent, the message is due
    bool m_done = false;
};

} // namespace mailroom::auth
