// CredentialSource: what the SASL mechanisms need from the user store, and
// the SCRAM-SHA-256 key derivation (RFC 5802 §3, RFC 7677) the store uses
// when a password is set. The engine implements CredentialSource over its
// directory; tests use a fake.
// Trust level: internal; handles secrets (keys are password equivalents for
// the server side and are never logged).
#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

namespace mailroom::auth
{

struct ScramCredentials {
    QByteArray salt;
    int iterations = 0; // 0: derivation failed, the value is unusable
    QByteArray storedKey;
    QByteArray serverKey;
};

// Derives SCRAM-SHA-256 keys (RFC 5802 §3, RFC 7677):
//   SaltedPassword = PBKDF2-HMAC-SHA256(Normalize(password), salt, i)
//   ClientKey = HMAC(SaltedPassword, "Client Key"), StoredKey = SHA256(ClientKey)
//   ServerKey = HMAC(SaltedPassword, "Server Key")
// Normalize is Unicode NFKC, a practical SASLprep (RFC 4013). Returns
// iterations == 0 for an empty salt, an iteration count outside
// 1..kMaxScramIterations, or an OpenSSL failure.
ScramCredentials deriveScramCredentials(const QString &password, const QByteArray &salt, int iterations = 4096);
// The same with a random 16-byte salt (RAND_bytes).
ScramCredentials makeScramCredentials(const QString &password, int iterations = 4096);

constexpr int kMaxScramIterations = 1000000; // bounds the work a client must do; RFC 7677 asks for >= 4096

// Called on a worker thread (may block on the database and on scrypt). Must
// outlive every mechanism created with it.
class CredentialSource
{
public:
    virtual ~CredentialSource() = default;
    // True when the user exists, is enabled and the password matches. The name is as the client typed it.
    virtual bool verifyPassword(const QString &username, const QString &password) = 0;
    // The CRAM-MD5 key (the password's UTF-8 bytes) of an enabled user who opted in; nullopt otherwise.
    virtual std::optional<QByteArray> cramMd5Key(const QString &username) = 0;
    // The SCRAM-SHA-256 keys of an enabled user; nullopt otherwise.
    virtual std::optional<ScramCredentials> scramCredentials(const QString &username) = 0;
    // The canonical user name (e.g. lower-case address) for a name as typed, or empty.
    virtual QString canonicalName(const QString &username) = 0;
    // Whether CRAM-MD5 is worth offering: some user can use it. Cheap enough
    // to ask once per connection.
    virtual bool cramMd5Offered()
    {
        return true;
    }
};

} // namespace mailroom::auth
