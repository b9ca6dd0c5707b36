// The public-key side of DKIM through libcrypto: reading keys from key
// records and PEM, verifying and making signatures, making key pairs.
// RFC 6376 §3.3.1 (RSASSA-PKCS1-v1_5 with SHA-256), RFC 8301 (RSA at least
// 1024 bits), RFC 8463 §3-§4 (Ed25519 over the SHA-256 hash of the header
// data, raw 32-byte public keys in p=). Internal to the DKIM code.
// Trust level: public keys come from DNS (bounded sizes); private keys are ours.
#pragma once

#include <memory>

#include <QByteArray>
#include <QByteArrayView>

#include "base/result.h"
#include "mailauth/dkimtags.h"

struct evp_pkey_st; // EVP_PKEY; keeps OpenSSL out of this header

namespace mailroom::mailauth::dkim
{

constexpr int kMinRsaBits = 1024; // RFC 8301 §3.2: smaller keys MUST NOT be considered valid
constexpr int kMaxRsaBits = 8192; // verifying costs grow with the modulus; nobody publishes more

class PublicKey
{
public:
    // p= of a key record: SubjectPublicKeyInfo (or a bare PKCS#1 RSAPublicKey)
    // for rsa, the raw 32 bytes for ed25519. Error message = permerror reason.
    static Result<PublicKey> fromRecord(KeyType type, QByteArrayView keyData);

    KeyType type() const
    {
        return m_type;
    }
    int bits() const
    {
        return m_bits;
    }
    // headerData is the canonical signed header data of §3.7; the SHA-256 of
    // it is what RSA and Ed25519 sign.
    bool verify(QByteArrayView headerData, QByteArrayView signature) const;

private:
    std::shared_ptr<evp_pkey_st> m_key;
    KeyType m_type = KeyType::Rsa;
    int m_bits = 0;
};

class PrivateKey
{
public:
    // PKCS#8 PEM, or PKCS#1 "RSA PRIVATE KEY" PEM.
    static Result<PrivateKey> fromPem(const QByteArray &pem);
    static Result<PrivateKey> generate(KeyType type, int rsaBits = 2048);

    KeyType type() const
    {
        return m_type;
    }
    int bits() const
    {
        return m_bits;
    }
    QByteArray toPem() const; // PKCS#8
    QByteArray publicKeyData() const; // what p= carries (not base64 yet)
    Result<QByteArray> sign(QByteArrayView headerData) const;

private:
    std::shared_ptr<evp_pkey_st> m_key;
    KeyType m_type = KeyType::Rsa;
    int m_bits = 0;
};

} // namespace mailroom::mailauth::dkim
