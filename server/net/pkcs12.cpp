#include "net/pkcs12.h"

#include <vector>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "net/ossl.h"

namespace mailroom::net
{

using namespace ossl;

namespace
{
constexpr qsizetype kMaxPkcs12 = 512 * 1024;
} // namespace

Result<PemPair> pemFromPkcs12(const QByteArray &pkcs12, const QString &passphrase)
{
    if (pkcs12.size() > kMaxPkcs12)
        return Error(ErrorCode::TooLarge,
            QStringLiteral("The PKCS#12 file is too large: export only this server's certificate, its chain and its "
                           "key."));
    const BioPtr bio = readBio(pkcs12);
    const Pkcs12Ptr p12(bio ? d2i_PKCS12_bio(bio.get(), nullptr) : nullptr);
    if (!p12)
        return invalid(QStringLiteral("This is not a PKCS#12 file (.p12 or .pfx): export the certificate with its "
                                      "key as PKCS#12, or upload the PEM files instead."));
    const QByteArray pass = passphrase.toUtf8();
    const char *passArg = pass.constData();
    if (PKCS12_mac_present(p12.get()) && PKCS12_verify_mac(p12.get(), pass.constData(), int(pass.size())) != 1) {
        // An empty passphrase may have been applied as "no password" rather than "".
        if (pass.isEmpty() && PKCS12_verify_mac(p12.get(), nullptr, 0) == 1)
            passArg = nullptr;
        else
            return invalid(QStringLiteral("The passphrase does not open this PKCS#12 file: type the passphrase that "
                                          "was set when the file was exported."));
    }
    ERR_clear_error();
    EVP_PKEY *rawKey = nullptr;
    X509 *rawCert = nullptr;
    STACK_OF(X509) *rawCa = nullptr;
    const int parsed = PKCS12_parse(p12.get(), passArg, &rawKey, &rawCert, &rawCa);
    const PkeyPtr key(rawKey);
    const X509Ptr cert(rawCert);
    const X509StackPtr extra(rawCa);
    if (parsed != 1)
        return invalid(QStringLiteral("The PKCS#12 file could not be decrypted, probably because it uses an old "
                                      "cipher (RC2 or 3DES): export it again with AES-256, or upload PEM files."));
    if (!key || !cert)
        return invalid(QStringLiteral("The PKCS#12 file must hold both the certificate and its private key: export "
                                      "it again with the key included."));

    // Leaf first, then each issuer in turn; anything left over goes last.
    std::vector<X509 *> rest;
    for (int i = 0; extra && i < sk_X509_num(extra.get()); ++i)
        rest.push_back(sk_X509_value(extra.get(), i));
    std::vector<X509 *> ordered { cert.get() };
    for (bool found = true; found && !rest.empty();) {
        found = false;
        for (auto it = rest.begin(); it != rest.end(); ++it) {
            if (X509_check_issued(*it, ordered.back()) == X509_V_OK) {
                ordered.push_back(*it);
                rest.erase(it);
                found = true;
                break;
            }
        }
    }
    ordered.insert(ordered.end(), rest.begin(), rest.end());

    const BioPtr certOut(BIO_new(BIO_s_mem()));
    const BioPtr keyOut(BIO_new(BIO_s_mem()));
    bool encoded = certOut && keyOut
        && PEM_write_bio_PrivateKey(keyOut.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
    for (X509 *c : ordered)
        encoded = encoded && PEM_write_bio_X509(certOut.get(), c) == 1;
    if (!encoded)
        return invalid(QStringLiteral("The contents of the PKCS#12 file could not be read: export it again, or "
                                      "upload PEM files."));
    return PemPair { bioBytes(certOut.get()), bioBytes(keyOut.get()) };
}

} // namespace mailroom::net
