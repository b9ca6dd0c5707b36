// SASL CRAM-MD5 server side, RFC 2195. Needs a password-equivalent key, so
// only users who opted in can use it (DESIGN §7).
// Trust level: talks to the Internet; the key is wiped after use.
#pragma once

#include "auth/sasl.h"

namespace mailroom::auth
{

class SaslCramMd5 final : public SaslMechanism
{
public:
    SaslCramMd5(CredentialSource &creds, const QByteArray &serverName);

    QByteArray name() const override;
    Step start(const QByteArray &initial, bool hasInitial) override;
    Step next(const QByteArray &response) override;

    // Replaces the random challenge (tests replay RFC 2195's example). Call before start().
    void setChallenge(const QByteArray &challenge);
    QByteArray challenge() const;

private:
    CredentialSource &m_creds;
    QByteArray m_challenge;
    enum class State { Initial, WantResponse, Done } m_state = State::Initial;
};

} // namespace mailroom::auth
