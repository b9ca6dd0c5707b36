#include "auth/passwordhash.h"

#include <QByteArray>
#include <QRegularExpression>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

namespace mailroom::auth
{

namespace
{
constexpr int kSaltBytes = 16;
constexpr int kKeyBytes = 32;
constexpr int kMaxLog2N = 22; // bounds the work a stored string can demand
constexpr int kMaxPassword = 1024;
constexpr auto kB64 = QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals;

// Wipes a QByteArray's bytes when it goes out of scope.
struct Wiped {
    QByteArray bytes;
    ~Wiped()
    {
        if (!bytes.isEmpty())
            OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
    }
};

bool scrypt(const QByteArray &password, const QByteArray &salt, int log2n, int r, int p, QByteArray *out)
{
    EVP_KDF *kdf = EVP_KDF_fetch(nullptr, "SCRYPT", nullptr);
    if (!kdf)
        return false;
    EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (!ctx)
        return false;
    uint64_t n = uint64_t(1) << log2n;
    uint32_t rr = uint32_t(r), pp = uint32_t(p);
    // scrypt needs 128 * r * N bytes; allow that plus headroom.
    uint64_t maxmem = uint64_t(128) * rr * n * 2 + (uint64_t(1) << 20);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(
            OSSL_KDF_PARAM_PASSWORD, const_cast<char *>(password.constData()), size_t(password.size())),
        OSSL_PARAM_construct_octet_string(
            OSSL_KDF_PARAM_SALT, const_cast<char *>(salt.constData()), size_t(salt.size())),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &rr),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &pp),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
        OSSL_PARAM_construct_end(),
    };
    out->resize(kKeyBytes);
    const bool ok
        = EVP_KDF_derive(ctx, reinterpret_cast<unsigned char *>(out->data()), size_t(out->size()), params) == 1;
    EVP_KDF_CTX_free(ctx);
    return ok;
}
} // namespace

Result<QString> hashPassword(const QString &password, int log2n)
{
    if (log2n < 10 || log2n > kMaxLog2N)
        return Error(
            ErrorCode::InvalidArgument, QStringLiteral("The scrypt cost must be between 10 and %1.").arg(kMaxLog2N));
    QByteArray salt(kSaltBytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(salt.data()), kSaltBytes) != 1)
        return Error(ErrorCode::Internal, QStringLiteral("The system's random number generator failed."));
    Wiped pw { password.toUtf8() };
    Wiped key;
    if (!scrypt(pw.bytes, salt, log2n, 8, 1, &key.bytes))
        return Error(ErrorCode::Internal, QStringLiteral("Password hashing failed (OpenSSL scrypt)."));
    const QString phc = QStringLiteral("$scrypt$ln=%1,r=8,p=1$").arg(log2n) + QString::fromLatin1(salt.toBase64(kB64))
        + QLatin1Char('$') + QString::fromLatin1(key.bytes.toBase64(kB64));
    return phc;
}

bool verifyPassword(const QString &password, const QString &phc)
{
    static const QRegularExpression format(QStringLiteral(
        "^\\$scrypt\\$ln=(\\d{1,2}),r=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{16,64})\\$([A-Za-z0-9+/]{32,128})$"));
    const auto m = format.match(phc);
    if (!m.hasMatch() || password.size() > kMaxPassword)
        return false;
    const int log2n = m.captured(1).toInt();
    const int r = m.captured(2).toInt();
    const int p = m.captured(3).toInt();
    if (log2n < 1 || log2n > kMaxLog2N || r < 1 || r > 32 || p < 1 || p > 16)
        return false;
    const auto decode = [](const QString &s) {
        return QByteArray::fromBase64Encoding(
            s.toLatin1(), QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    };
    const auto salt = decode(m.captured(4));
    const auto expected = decode(m.captured(5));
    if (!salt || !expected || expected.decoded.size() != kKeyBytes)
        return false;
    Wiped pw { password.toUtf8() };
    Wiped key;
    if (!scrypt(pw.bytes, salt.decoded, log2n, r, p, &key.bytes))
        return false;
    return CRYPTO_memcmp(key.bytes.constData(), expected.decoded.constData(), size_t(kKeyBytes)) == 0;
}

Status checkPasswordPolicy(const QString &password, int minLength)
{
    if (password.size() > kMaxPassword)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("The password is too long; use at most %1 characters.").arg(kMaxPassword));
    if (password.trimmed().size() < minLength)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("The password is too short; use at least %1 characters (a few words make a good "
                           "one).")
                .arg(minLength));
    if (password.contains(QLatin1Char('\n')) || password.contains(QLatin1Char('\r')) || password.contains(QChar(0)))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("A password cannot contain line breaks."));
    return {};
}

} // namespace mailroom::auth
