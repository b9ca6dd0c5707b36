// SASL SCRAM-SHA-256 server side, RFC 5802 and RFC 7677, without channel
// binding (the -PLUS variant is not offered). Unknown users get a plausible
// server-first message (a salt derived from the name with a per-process
// secret) and fail only at the end, so the exchange does not reveal which
// users exist.
// Trust level: talks to the Internet; StoredKey and ServerKey are wiped.
#pragma once

#include "auth/sasl.h"

namespace mailroom::auth
{

class SaslScram final : public SaslMechanism
{
public:
    explicit SaslScram(CredentialSource &creds);
    ~SaslScram() override;
    SaslScram(const SaslScram &) = delete;
    SaslScram &operator=(const SaslScram &) = delete;

    QByteArray name() const override;
    Step start(const QByteArray &initial, bool hasInitial) override;
    Step next(const QByteArray &response) override;

    // Replaces the random server nonce (tests replay RFC 7677's example). Call before start().
    void setServerNonce(const QByteArray &nonce);

private:
    Step clientFirst(const QByteArray &message);
    Step clientFinal(const QByteArray &message);
    void useFakeCredentials(const QString &user);

    CredentialSource &m_creds;
    enum class State { Initial, WantFirst, WantFinal, Done } m_state = State::Initial;
    QByteArray m_serverNonce;
    QByteArray m_gs2Header; // "n,," or "y,a=user," as the client sent it
    QByteArray m_clientFirstBare;
    QByteArray m_serverFirst;
    QByteArray m_nonce; // client nonce + server nonce
    QString m_user;
    ScramCredentials m_keys;
    bool m_known = false;
};

} // namespace mailroom::auth
