// Self-signed certificate generation with the OpenSSL 3 C API; the profile
// (RFC 5280 §4.1, §4.2) is described in selfsigned.h. Used by TlsContext on
// the first start for TLS 1.2/1.3 (RFC 5246, RFC 8446). Trust level: internal.
#include "net/selfsigned.h"

#include <memory>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "net/logging.h"
#include "net/ossl.h"

namespace mailroom::net
{

namespace
{
using ossl::BioPtr;
using ossl::Deleter;
using ossl::PkeyPtr;
using ossl::X509Ptr;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using NamePtr = std::unique_ptr<GENERAL_NAME, Deleter<GENERAL_NAME_free>>;
using Ia5Ptr = std::unique_ptr<ASN1_IA5STRING, Deleter<ASN1_IA5STRING_free>>;

constexpr int kSerialBytes = 16; // 128 bits; DER may add a 0 byte, still within the 20 octets of RFC 5280 §4.1.2.2
constexpr int kCommonNameMax = 64; // ub-common-name, RFC 5280 appendix A.1

Error failure(const char *step)
{
    char text[256] = {};
    const unsigned long code = ERR_get_error();
    ERR_error_string_n(code, text, sizeof text);
    ERR_clear_error();
    qCWarning(lcNet) << "self-signed certificate:" << step << "failed:" << text;
    return Error(ErrorCode::Internal,
        QStringLiteral("Could not make a self-signed certificate (%1: %2). Check the OpenSSL 3 installation, or "
                       "upload a certificate from a certificate authority.")
            .arg(QLatin1String(step), QString::fromLatin1(text)));
}

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? QByteArray(data, qsizetype(size)) : QByteArray();
}

bool addExtension(X509 *cert, X509V3_CTX *ctx, int nid, const char *value)
{
    const ExtPtr ext(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool addDnsNames(X509 *cert, const QStringList &names, bool critical)
{
    const NamesPtr list(sk_GENERAL_NAME_new_null());
    if (!list)
        return false;
    for (const QString &name : names) {
        const QByteArray ascii = name.toLatin1();
        NamePtr entry(GENERAL_NAME_new());
        Ia5Ptr value(ASN1_IA5STRING_new());
        if (!entry || !value || ASN1_STRING_set(value.get(), ascii.constData(), int(ascii.size())) != 1)
            return false;
        GENERAL_NAME_set0_value(entry.get(), GEN_DNS, value.release());
        if (sk_GENERAL_NAME_push(list.get(), entry.get()) <= 0)
            return false;
        entry.release(); // owned by the list now
    }
    return X509_add1_ext_i2d(cert, NID_subject_alt_name, list.get(), critical ? 1 : 0, X509V3_ADD_DEFAULT) == 1;
}

bool setRandomSerial(X509 *cert)
{
    unsigned char bytes[kSerialBytes];
    if (RAND_bytes(bytes, kSerialBytes) != 1)
        return false;
    const BnPtr serial(BN_bin2bn(bytes, kSerialBytes, nullptr));
    if (!serial)
        return false;
    if (BN_is_zero(serial.get()) && BN_set_word(serial.get(), 1) != 1) // a serial must be positive
        return false;
    return BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) != nullptr;
}
} // namespace

bool isDnsName(const QString &name)
{
    if (name.isEmpty() || name.size() > 253)
        return false;
    const QStringList labels = name.split(QLatin1Char('.'));
    for (const QString &label : labels) {
        if (label.isEmpty() || label.size() > 63 || label.startsWith(QLatin1Char('-'))
            || label.endsWith(QLatin1Char('-')))
            return false;
        for (const QChar c : label) {
            const bool ok = (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
                || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'))
                || c == QLatin1Char('-');
            if (!ok)
                return false;
        }
    }
    return true;
}

Result<PemPair> makeSelfSigned(const QString &hostname, const QDateTime &notBefore, const QDateTime &notAfter)
{
    if (!isDnsName(hostname))
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("The host name \"%1\" is not a DNS name, so no certificate can be made for it: set the "
                           "server's host name to its fully qualified name (e.g. mail.example.com).")
                .arg(hostname));
    const QString host = hostname.toLower();
    QStringList dnsNames { host };
    if (host != QLatin1String("localhost"))
        dnsNames.append(QStringLiteral("localhost"));

    const PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key)
        return failure("EC P-256 key generation");
    const X509Ptr cert(X509_new());
    if (!cert)
        return failure("X509_new");
    if (X509_set_version(cert.get(), X509_VERSION_3) != 1)
        return failure("set version");
    if (!setRandomSerial(cert.get()))
        return failure("serial number");
    if (!ASN1_TIME_set(X509_getm_notBefore(cert.get()), time_t(notBefore.toSecsSinceEpoch()))
        || !ASN1_TIME_set(X509_getm_notAfter(cert.get()), time_t(notAfter.toSecsSinceEpoch())))
        return failure("validity");

    // Subject = issuer = CN=<host>. A name longer than ub-common-name goes only
    // into subjectAltName, which then must be critical (RFC 5280 §4.2.1.6).
    X509_NAME *name = X509_get_subject_name(cert.get());
    const QByteArray cn = host.toLatin1();
    const bool withCn = cn.size() <= kCommonNameMax;
    if (withCn
        && X509_NAME_add_entry_by_txt(
               name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>(cn.constData()), -1, -1, 0)
            != 1)
        return failure("subject");
    if (X509_set_issuer_name(cert.get(), name) != 1)
        return failure("issuer");
    if (X509_set_pubkey(cert.get(), key.get()) != 1)
        return failure("public key");

    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    X509V3_set_ctx_nodb(&ctx);
    if (!addExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE")
        || !addExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature")
        || !addExtension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth")
        || !addExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"))
        return failure("extensions");
    if (!addDnsNames(cert.get(), dnsNames, !withCn))
        return failure("subjectAltName");
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return failure("signature");

    const BioPtr certOut(BIO_new(BIO_s_mem()));
    const BioPtr keyOut(BIO_new(BIO_s_mem()));
    if (!certOut || !keyOut || PEM_write_bio_X509(certOut.get(), cert.get()) != 1
        || PEM_write_bio_PrivateKey(keyOut.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return failure("PEM encoding");
    return PemPair { bioBytes(certOut.get()), bioBytes(keyOut.get()) };
}

} // namespace mailroom::net
