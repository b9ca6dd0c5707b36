// OpenSSL ownership types and small helpers shared by the TLS code of this
// module (certificate checks, PKCS#12 import). Internal to server/net.
#pragma once

#include <memory>

#include <QByteArray>
#include <QString>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "base/result.h"

namespace mailroom::net::ossl
{

template<auto Fn> struct Deleter {
    template<typename T> void operator()(T *p) const
    {
        Fn(p);
    }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using Pkcs12Ptr = std::unique_ptr<PKCS12, Deleter<PKCS12_free>>;
struct X509StackFree {
    void operator()(STACK_OF(X509) * s) const
    {
        sk_X509_pop_free(s, X509_free);
    }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackFree>;

inline Error invalid(const QString &sentence)
{
    ERR_clear_error(); // never leave OpenSSL's per-thread queue to the next caller
    return Error(ErrorCode::InvalidArgument, sentence);
}

inline QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? QByteArray(data, qsizetype(size)) : QByteArray();
}

inline BioPtr readBio(const QByteArray &data)
{
    return BioPtr(BIO_new_mem_buf(data.constData(), int(data.size())));
}

} // namespace mailroom::net::ossl
