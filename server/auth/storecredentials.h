// StoreCredentials: the engine's CredentialSource over the user directory,
// and the encoding of the login secrets kept beside the password hash.
// Trust level: internal; handles secrets and logs none of them.
#pragma once

#include "auth/credentials.h"

namespace mailroom::store
{
class Directory;
}

namespace mailroom::auth
{

// "iterations$salt$storedKey$serverKey" with base64 fields.
QString encodeScram(const ScramCredentials &c);
std::optional<ScramCredentials> decodeScram(const QString &text);

struct LoginSecretsText {
    QString scram;
    QByteArray cramKey;
};
// The secrets to store when a password is set; the CRAM-MD5 key only for
// users who opted in (it is password-equivalent).
LoginSecretsText makeLoginSecrets(const QString &password, bool cramMd5Allowed);

class StoreCredentials : public CredentialSource
{
public:
    explicit StoreCredentials(store::Directory &directory);
    bool verifyPassword(const QString &username, const QString &password) override;
    std::optional<QByteArray> cramMd5Key(const QString &username) override;
    std::optional<ScramCredentials> scramCredentials(const QString &username) override;
    QString canonicalName(const QString &username) override;
    bool cramMd5Offered() override;

private:
    store::Directory &m_directory;
};

} // namespace mailroom::auth
