// OpenSSL 3 wrappers for the SASL mechanisms (see saslcrypto.h).
// Trust level: internal; handles secrets, never logs.
#include "auth/saslcrypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace mailroom::auth
{

namespace
{
const unsigned char *bytesOf(const QByteArray &a)
{
    return reinterpret_cast<const unsigned char *>(a.constData());
}

QByteArray hmac(const EVP_MD *md, const QByteArray &key, const QByteArray &data)
{
    QByteArray out(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int len = 0;
    // HMAC() wants a non-null key pointer even for an empty key.
    static const unsigned char empty = 0;
    const unsigned char *k = key.isEmpty() ? &empty : bytesOf(key);
    if (!HMAC(md, k, int(key.size()), bytesOf(data), size_t(data.size()), reinterpret_cast<unsigned char *>(out.data()),
            &len))
        return {};
    out.truncate(int(len));
    return out;
}
} // namespace

QByteArray hmacSha256(const QByteArray &key, const QByteArray &data)
{
    return hmac(EVP_sha256(), key, data);
}

QByteArray hmacMd5(const QByteArray &key, const QByteArray &data)
{
    return hmac(EVP_md5(), key, data);
}

QByteArray sha256(const QByteArray &data)
{
    QByteArray out(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int len = 0;
    if (EVP_Digest(data.constData(), size_t(data.size()), reinterpret_cast<unsigned char *>(out.data()), &len,
            EVP_sha256(), nullptr)
        != 1)
        return {};
    out.truncate(int(len));
    return out;
}

QByteArray pbkdf2Sha256(const QByteArray &password, const QByteArray &salt, int iterations, int keyBytes)
{
    if (iterations < 1 || keyBytes < 1)
        return {};
    QByteArray out(keyBytes, Qt::Uninitialized);
    if (PKCS5_PBKDF2_HMAC(password.constData(), int(password.size()), bytesOf(salt), int(salt.size()), iterations,
            EVP_sha256(), keyBytes, reinterpret_cast<unsigned char *>(out.data()))
        != 1) {
        wipe(out);
        return {};
    }
    return out;
}

QByteArray randomBytes(int count)
{
    QByteArray out(count, Qt::Uninitialized);
    if (count < 1 || RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), count) != 1)
        return {};
    return out;
}

bool equalConstantTime(const QByteArray &a, const QByteArray &b)
{
    if (a.isEmpty() || a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

void wipe(QByteArray &bytes)
{
    // data() detaches a shared array; then only our copy is wiped, which is
    // the most that can be done without owning the other references.
    if (!bytes.isEmpty())
        OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
    bytes.clear();
}

void wipe(QString &text)
{
    if (!text.isEmpty())
        OPENSSL_cleanse(text.data(), size_t(text.size()) * sizeof(QChar));
    text.clear();
}

} // namespace mailroom::auth
