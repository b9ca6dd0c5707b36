// SCRAM-SHA-256 key derivation, RFC 5802 §3 and RFC 7677.
// Trust level: internal; the password and SaltedPassword are wiped after use.
#include "auth/credentials.h"

#include "auth/saslcrypto.h"

namespace mailroom::auth
{

namespace
{
constexpr int kKeyBytes = 32; // SHA-256 output
constexpr int kSaltBytes = 16;
} // namespace

ScramCredentials deriveScramCredentials(const QString &password, const QByteArray &salt, int iterations)
{
    if (salt.isEmpty() || iterations < 1 || iterations > kMaxScramIterations)
        return {};
    QString normalized = password.normalized(QString::NormalizationForm_KC);
    QByteArray utf8 = normalized.toUtf8();
    QByteArray salted = pbkdf2Sha256(utf8, salt, iterations, kKeyBytes);
    wipe(utf8);
    wipe(normalized);
    if (salted.size() != kKeyBytes)
        return {};
    QByteArray clientKey = hmacSha256(salted, QByteArrayLiteral("Client Key"));
    ScramCredentials c;
    c.storedKey = sha256(clientKey);
    c.serverKey = hmacSha256(salted, QByteArrayLiteral("Server Key"));
    wipe(clientKey);
    wipe(salted);
    if (c.storedKey.size() != kKeyBytes || c.serverKey.size() != kKeyBytes)
        return {};
    c.salt = salt;
    c.iterations = iterations;
    return c;
}

ScramCredentials makeScramCredentials(const QString &password, int iterations)
{
    const QByteArray salt = randomBytes(kSaltBytes);
    if (salt.isEmpty())
        return {};
    return deriveScramCredentials(password, salt, iterations);
}

} // namespace mailroom::auth
