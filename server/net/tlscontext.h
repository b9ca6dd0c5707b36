// TlsContext: the engine's certificate, private key and TLS settings, shared by
// every listener (STARTTLS and implicit TLS) and by outbound delivery.
// Trust level: talks to local admins (replacePem/replacePkcs12 take uploads from
// the admin socket, which are checked before anything is written); the
// configurations it hands out face the Internet.
// Standards: RFC 5280 (certificate profile, validity), RFC 8446 (TLS 1.3),
// RFC 5246 (TLS 1.2), RFC 7525 / BCP 195 (TLS 1.2 or newer only).
// Files: <data>/tls/cert.pem (leaf first, then intermediates), key.pem (0600);
// per-domain pairs in <data>/tls/domains/<domain>/ the same way. A client
// that names a host (SNI, RFC 6066) gets the domain certificate whose names
// cover it, everyone else the default one.
#pragma once

#include <map>
#include <memory>

#include <QDateTime>
#include <QList>
#include <QMutex>
#include <QPair>
#include <QReadWriteLock>
#include <QSslConfiguration>
#include <QStringList>

#include "base/result.h"

namespace mailroom::net
{

struct CertificateInfo {
    QString subject; // RFC 2253 form, "CN=mail.example.com,O=..."
    QString issuer;
    QStringList dnsNames; // subjectAltName dNSName entries
    QDateTime notBefore;
    QDateTime notAfter;
    QString sha256Fingerprint; // "AB:CD:..."
    bool selfSigned = false;
    QString keyType; // "RSA 2048", "EC P-256"
};

struct TlsMaterial; // checked chain + key, defined in tlscontext.cpp

class TlsContext
{
public:
    // Loads tlsFolder/cert.pem and key.pem, or, when neither exists, makes a
    // self-signed pair for hostname and saves it. minVersion is "1.2" or "1.3".
    static Result<std::unique_ptr<TlsContext>> open(
        const QString &tlsFolder, const QString &hostname, const QString &minVersion);

    TlsContext(const TlsContext &) = delete;
    TlsContext &operator=(const TlsContext &) = delete;
    ~TlsContext();

    // Thread-safe copies; take a fresh one for each new connection.
    // Server: our chain and key, no client certificates asked for. With a
    // server name (from the client's SNI), the first domain certificate
    // whose DNS names match it (exactly, or "*.example.com" for one label),
    // else the default certificate.
    QSslConfiguration serverConfiguration(const QString &serverName = {}) const;
    // Outbound SMTP: system CAs, VerifyNone (opportunistic TLS, RFC 7435): the
    // delivery agent connects anyway and records the outcome itself with
    // QSslCertificate::verify(socket.peerCertificateChain(), mxHost).
    QSslConfiguration clientConfiguration() const;
    CertificateInfo info() const;
    // The per-domain certificates, by domain name, sorted.
    QList<QPair<QString, CertificateInfo>> domainCertificates() const;
    bool createdOnThisStart() const;

    // Checks the upload (chain parses, key matches the leaf, leaf not expired),
    // saves both files durably, then switches: new connections use the new
    // pair, existing ones keep theirs. A refused upload changes nothing; if the
    // disk fails between the two renames, the next start finishes the switch.
    // With a domain, adds or replaces that domain's certificate instead of
    // the default one; the domain must be a DNS name.
    Status replacePem(const QByteArray &certChainPem, const QByteArray &keyPem, const QString &domain = {});
    Status replacePkcs12(const QByteArray &pkcs12, const QString &passphrase, const QString &domain = {});
    // Removes a domain's certificate; its clients get the default one.
    Status removeDomain(const QString &domain);
    // Ignores (with a warning in the log) anything but "1.2" and "1.3".
    void setMinVersion(const QString &minVersion);

private:
    TlsContext(QString folder, std::shared_ptr<const TlsMaterial> material, QSsl::SslProtocol protocol, bool created);
    struct DomainEntry {
        std::shared_ptr<const TlsMaterial> material;
        QSslConfiguration server;
    };
    QSslConfiguration serverFor(const TlsMaterial &material) const;
    void rebuildLocked();
    void loadDomains();
    Status install(const std::shared_ptr<const TlsMaterial> &material, const QString &domain);

    const QString m_folder;
    QMutex m_writeMutex; // one replacement at a time (file writes happen outside m_lock)
    mutable QReadWriteLock m_lock; // guards everything below
    std::shared_ptr<const TlsMaterial> m_material;
    QSsl::SslProtocol m_protocol;
    QSslConfiguration m_server;
    QSslConfiguration m_client;
    std::map<QString, DomainEntry> m_domains;
    const bool m_created;
};

} // namespace mailroom::net
