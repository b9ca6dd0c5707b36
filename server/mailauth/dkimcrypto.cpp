// DKIM keys and signatures with libcrypto (OpenSSL 3). RFC 6376 §3.3.1,
// RFC 8301 §3.2, RFC 8463 §3-§4. See dkimcrypto.h.
// Trust level: public keys from DNS are size-checked before OpenSSL reads
// them; OpenSSL's error queue is always cleared.
#include "mailauth/dkimcrypto.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "mailauth/dkimcanon.h"

namespace mailroom::mailauth::dkim
{

namespace
{

// The ownership pattern of server/net/ossl.h, which mailauth may not include.
template<auto Fn> struct Deleter {
    template<typename T> void operator()(T *p) const
    {
        Fn(p);
    }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;

std::shared_ptr<EVP_PKEY> own(EVP_PKEY *key)
{
    return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

Error keyError(const QString &reason)
{
    ERR_clear_error(); // never leave OpenSSL's per-thread queue to the next caller
    return Error(ErrorCode::ProtocolError, reason);
}

const unsigned char *bytes(QByteArrayView v)
{
    return reinterpret_cast<const unsigned char *>(v.data());
}

// A PEM pass phrase callback that never asks: an encrypted key is an error,
// not a prompt on the daemon's terminal.
int noPassphrase(char *, int, int, void *)
{
    return -1;
}

// What is signed: the SHA-256 of the header data. RSA hashes inside
// EVP_DigestSign; Ed25519 is "PureEdDSA" over the 32-byte hash (RFC 8463 §3).
const EVP_MD *digestFor(KeyType type)
{
    return type == KeyType::Rsa ? EVP_sha256() : nullptr;
}

QByteArray signedInput(KeyType type, QByteArrayView headerData)
{
    return type == KeyType::Rsa ? headerData.toByteArray() : sha256(headerData);
}

} // namespace

Result<PublicKey> PublicKey::fromRecord(KeyType type, QByteArrayView keyData)
{
    PublicKey key;
    key.m_type = type;
    if (type == KeyType::Ed25519) {
        if (keyData.size() != 32)
            return keyError(QStringLiteral("ed25519 key is not 32 bytes"));
        key.m_key = own(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(keyData), 32));
        if (!key.m_key)
            return keyError(QStringLiteral("unreadable ed25519 key"));
        key.m_bits = 256;
        return key;
    }
    // SubjectPublicKeyInfo of an 8192-bit key is about 1,100 bytes.
    if (keyData.size() > 2048)
        return keyError(QStringLiteral("key too large"));
    const unsigned char *p = bytes(keyData);
    EVP_PKEY *raw = d2i_PUBKEY(nullptr, &p, long(keyData.size()));
    if (!raw) {
        // RFC 6376 §3.6.1 names the PKCS#1 RSAPublicKey; a few publish that.
        p = bytes(keyData);
        raw = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, long(keyData.size()));
    }
    key.m_key = own(raw);
    if (!key.m_key || EVP_PKEY_get_base_id(raw) != EVP_PKEY_RSA)
        return keyError(QStringLiteral("unreadable rsa key"));
    key.m_bits = EVP_PKEY_get_bits(raw);
    if (key.m_bits < kMinRsaBits)
        return keyError(QStringLiteral("rsa key too short (%1 bits)").arg(key.m_bits));
    if (key.m_bits > kMaxRsaBits)
        return keyError(QStringLiteral("rsa key too large (%1 bits)").arg(key.m_bits));
    ERR_clear_error();
    return key;
}

bool PublicKey::verify(QByteArrayView headerData, QByteArrayView signature) const
{
    if (!m_key)
        return false;
    if (m_type == KeyType::Ed25519 && signature.size() != 64)
        return false;
    MdCtxPtr ctx(EVP_MD_CTX_new());
    const QByteArray input = signedInput(m_type, headerData);
    const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, digestFor(m_type), nullptr, m_key.get()) == 1
        && EVP_DigestVerify(ctx.get(), bytes(signature), size_t(signature.size()), bytes(input), size_t(input.size()))
            == 1;
    ERR_clear_error();
    return ok;
}

Result<PrivateKey> PrivateKey::fromPem(const QByteArray &pem)
{
    BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    if (!bio)
        return keyError(QStringLiteral("out of memory"));
    PrivateKey key;
    key.m_key = own(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr));
    if (!key.m_key)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("The DKIM private key is not a readable PEM key."));
    switch (EVP_PKEY_get_base_id(key.m_key.get())) {
    case EVP_PKEY_RSA:
        key.m_type = KeyType::Rsa;
        key.m_bits = EVP_PKEY_get_bits(key.m_key.get());
        if (key.m_bits < kMinRsaBits) {
            ERR_clear_error();
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("The DKIM RSA key has %1 bits; use at least 2048.").arg(key.m_bits));
        }
        break;
    case EVP_PKEY_ED25519:
        key.m_type = KeyType::Ed25519;
        key.m_bits = 256;
        break;
    default:
        ERR_clear_error();
        return Error(ErrorCode::InvalidArgument, QStringLiteral("The DKIM key is neither RSA nor Ed25519."));
    }
    ERR_clear_error();
    return key;
}

Result<PrivateKey> PrivateKey::generate(KeyType type, int rsaBits)
{
    PrivateKey key;
    key.m_type = type;
    if (type == KeyType::Rsa) {
        key.m_key = own(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(rsaBits)));
        key.m_bits = rsaBits;
    } else {
        key.m_key = own(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
        key.m_bits = 256;
    }
    ERR_clear_error();
    if (!key.m_key)
        return Error(ErrorCode::Internal, QStringLiteral("Making a DKIM key pair failed (OpenSSL)."));
    return key;
}

QByteArray PrivateKey::toPem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    QByteArray out;
    if (bio && m_key && PEM_write_bio_PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1) {
        char *data = nullptr;
        const long size = BIO_get_mem_data(bio.get(), &data);
        if (size > 0)
            out = QByteArray(data, qsizetype(size));
    }
    ERR_clear_error();
    return out;
}

QByteArray PrivateKey::publicKeyData() const
{
    QByteArray out;
    if (!m_key)
        return out;
    if (m_type == KeyType::Ed25519) {
        size_t len = 32;
        out.resize(32);
        if (EVP_PKEY_get_raw_public_key(m_key.get(), reinterpret_cast<unsigned char *>(out.data()), &len) != 1
            || len != 32)
            out.clear();
    } else {
        unsigned char *der = nullptr;
        const int len = i2d_PUBKEY(m_key.get(), &der);
        if (len > 0)
            out = QByteArray(reinterpret_cast<const char *>(der), len);
        OPENSSL_free(der);
    }
    ERR_clear_error();
    return out;
}

Result<QByteArray> PrivateKey::sign(QByteArrayView headerData) const
{
    MdCtxPtr ctx(EVP_MD_CTX_new());
    const QByteArray input = signedInput(m_type, headerData);
    size_t len = 0;
    QByteArray out;
    bool ok = m_key && ctx && EVP_DigestSignInit(ctx.get(), nullptr, digestFor(m_type), nullptr, m_key.get()) == 1
        && EVP_DigestSign(ctx.get(), nullptr, &len, bytes(input), size_t(input.size())) == 1;
    if (ok) {
        out.resize(qsizetype(len));
        ok = EVP_DigestSign(
                 ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &len, bytes(input), size_t(input.size()))
            == 1;
        out.resize(qsizetype(len));
    }
    ERR_clear_error();
    if (!ok)
        return Error(ErrorCode::Internal, QStringLiteral("Making the DKIM signature failed (OpenSSL)."));
    return out;
}

} // namespace mailroom::mailauth::dkim
