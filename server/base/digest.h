// SHA-256 through OpenSSL's libcrypto. Qt 6.4's QCryptographicHash uses a
// portable C implementation that runs at about a seventh of the speed of
// OpenSSL's (which uses the CPU's SHA instructions); every message is hashed
// once for its file name, and DKIM hashes bodies again. Trust level: any
// bytes.
#pragma once

#include <memory>

#include <QByteArray>
#include <QByteArrayView>

struct evp_md_ctx_st;

namespace mailroom
{

class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void addData(QByteArrayView data);
    // The 32-byte digest; the object is spent afterwards.
    QByteArray result();

    static QByteArray hash(QByteArrayView data);

private:
    struct Free {
        void operator()(evp_md_ctx_st *ctx) const;
    };
    std::unique_ptr<evp_md_ctx_st, Free> m_ctx;
};

} // namespace mailroom
