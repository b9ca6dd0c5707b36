// TlsContext: checks uploaded certificates and keys with OpenSSL (RFC 5280
// validity, key/certificate match, RSA >= 2048 bits per RFC 7525 / BCP 195),
// stores them as a crash-safe pair in <data>/tls and hands Qt configurations
// (TLS 1.2 per RFC 5246, or 1.3 per RFC 8446, and newer) to sessions.
// Trust level: local admins (uploads) and the Internet (the configurations).
#include "net/tlscontext.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutexLocker>
#include <QReadLocker>
#include <QSslKey>
#include <QWriteLocker>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "base/durablefile.h"
#include "net/logging.h"
#include "net/ossl.h"
#include "net/pkcs12.h"
#include "net/selfsigned.h"

namespace mailroom::net
{

using namespace ossl;

struct TlsMaterial {
    QList<QSslCertificate> chain; // leaf first
    QSslKey key;
    CertificateInfo info;
    QByteArray certPem; // normalised, exactly as stored
    QByteArray keyPem;
};

namespace
{
// Bounds on what an upload may be (STYLE rule 4); real chains are a few KiB.
constexpr qsizetype kMaxChainPem = 256 * 1024;
constexpr qsizetype kMaxKeyPem = 64 * 1024;
constexpr int kMinRsaBits = 2048; // RFC 7525 §4.3 / BCP 195
constexpr int kSelfSignedYears = 10;

const QString kCertFile = QStringLiteral("cert.pem");
const QString kKeyFile = QStringLiteral("key.pem");
const QString kPendingSuffix = QStringLiteral(".new");
const QString kDomainsFolder = QStringLiteral("domains");

int noPassphrase(char *, int, int, void *)
{
    return -1; // never prompt on a terminal (OpenSSL's default callback would)
}

QString nameText(const X509_NAME *name)
{
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0)
        return {};
    return QString::fromUtf8(bioBytes(bio.get()));
}

QString keyTypeText(const EVP_PKEY *key)
{
    if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA)
        return QStringLiteral("RSA %1").arg(EVP_PKEY_get_bits(key));
    char group[80] = {};
    size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) != 1)
        return QStringLiteral("EC");
    const char *nist = EC_curve_nid2nist(OBJ_sn2nid(group));
    return QStringLiteral("EC ") + QString::fromLatin1(nist ? nist : group);
}

// Every certificate in pem, in order. An empty list with ok() means none found.
Result<std::vector<X509Ptr>> readChain(const QByteArray &pem)
{
    const BioPtr bio = readBio(pem);
    if (!bio)
        return Error(ErrorCode::Internal, QStringLiteral("Out of memory while reading the certificate."));
    std::vector<X509Ptr> chain;
    ERR_clear_error();
    while (X509 *cert = PEM_read_bio_X509(bio.get(), nullptr, noPassphrase, nullptr))
        chain.emplace_back(cert);
    const unsigned long err = ERR_peek_last_error();
    const bool cleanEnd = err == 0 || (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE);
    ERR_clear_error();
    if (!cleanEnd)
        return invalid(QStringLiteral("Certificate %1 in the file is damaged: upload the certificate file exactly as "
                                      "the certificate authority sent it (PEM, \"-----BEGIN CERTIFICATE-----\").")
                           .arg(chain.size() + 1));
    return chain;
}

// Checks an uploaded or stored pair and turns it into what Qt needs. With
// checkDates false (loading at start) an expired certificate is still used,
// so that the engine starts and the admin can replace it.
Result<std::shared_ptr<const TlsMaterial>> makeMaterial(
    const QByteArray &certChainPem, const QByteArray &keyPem, bool checkDates)
{
    if (certChainPem.size() > kMaxChainPem || keyPem.size() > kMaxKeyPem)
        return Error(ErrorCode::TooLarge,
            QStringLiteral("The certificate or key file is too large to be a certificate: upload the PEM files for "
                           "this server only (the certificate with its intermediates, and its key)."));
    auto parsed = readChain(certChainPem);
    if (!parsed)
        return parsed.error();
    std::vector<X509Ptr> chain = std::move(parsed).value();
    if (chain.empty())
        return invalid(QStringLiteral("No certificate was found in the certificate file: upload the PEM file that "
                                      "starts with \"-----BEGIN CERTIFICATE-----\"."));

    const BioPtr keyBio = readBio(keyPem);
    const PkeyPtr key(keyBio ? PEM_read_bio_PrivateKey(keyBio.get(), nullptr, noPassphrase, nullptr) : nullptr);
    if (!key) {
        if (keyPem.contains("ENCRYPTED"))
            return invalid(QStringLiteral("The key is protected by a passphrase: upload it without one (openssl pkey "
                                          "-in key.pem -out plain.pem), or upload a PKCS#12 file with its "
                                          "passphrase."));
        return invalid(QStringLiteral("No private key was found in the key file: upload the PEM key that starts with "
                                      "\"-----BEGIN PRIVATE KEY-----\" (or RSA/EC PRIVATE KEY)."));
    }
    const int keyId = EVP_PKEY_get_base_id(key.get());
    if (keyId != EVP_PKEY_RSA && keyId != EVP_PKEY_EC)
        return invalid(QStringLiteral("Keys of type %1 are not supported: use an RSA key (2048 bits or more) or an "
                                      "EC key (P-256 or P-384).")
                           .arg(QString::fromLatin1(OBJ_nid2sn(keyId))));
    if (keyId == EVP_PKEY_RSA && EVP_PKEY_get_bits(key.get()) < kMinRsaBits)
        return invalid(QStringLiteral("The RSA key has only %1 bits, which is no longer safe: make a new key with "
                                      "at least 2048 bits and a new certificate for it.")
                           .arg(EVP_PKEY_get_bits(key.get())));
    X509 *leaf = chain.front().get();
    if (X509_check_private_key(leaf, key.get()) != 1)
        return invalid(QStringLiteral("The key does not belong to the certificate: upload the key that was made "
                                      "with this certificate (and put the server's own certificate first in the "
                                      "file)."));

    const QSslCertificate qtLeaf(certChainPem, QSsl::Pem);
    if (checkDates) {
        if (X509_cmp_current_time(X509_get0_notAfter(leaf)) <= 0)
            return invalid(QStringLiteral("The certificate expired on %1: renew it with your certificate authority "
                                          "and upload the new one.")
                               .arg(qtLeaf.expiryDate().toUTC().toString(Qt::ISODate)));
        if (X509_cmp_current_time(X509_get0_notBefore(leaf)) >= 0)
            return invalid(QStringLiteral("The certificate is not valid before %1: check this machine's clock, or "
                                          "upload it once it is valid.")
                               .arg(qtLeaf.effectiveDate().toUTC().toString(Qt::ISODate)));
    }

    // Store a normalised form: the certificates re-encoded, the key as PKCS#8.
    const BioPtr certOut(BIO_new(BIO_s_mem()));
    const BioPtr keyOut(BIO_new(BIO_s_mem()));
    if (!certOut || !keyOut)
        return Error(ErrorCode::Internal, QStringLiteral("Out of memory while reading the certificate."));
    for (const X509Ptr &cert : chain) {
        if (PEM_write_bio_X509(certOut.get(), cert.get()) != 1)
            return invalid(QStringLiteral("A certificate in the chain could not be re-encoded: upload the chain "
                                          "exactly as the certificate authority sent it."));
    }
    if (PEM_write_bio_PrivateKey(keyOut.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return invalid(QStringLiteral("The key could not be re-encoded: upload it again as an unencrypted PEM key."));

    auto material = std::make_shared<TlsMaterial>();
    material->certPem = bioBytes(certOut.get());
    material->keyPem = bioBytes(keyOut.get());
    material->chain = QSslCertificate::fromData(material->certPem, QSsl::Pem);
    material->key = QSslKey(material->keyPem, keyId == EVP_PKEY_RSA ? QSsl::Rsa : QSsl::Ec, QSsl::Pem);
    if (material->chain.size() != qsizetype(chain.size()) || material->key.isNull())
        return invalid(QStringLiteral("Qt's TLS backend cannot use this certificate or key: upload an RSA or EC "
                                      "certificate in PEM form."));

    CertificateInfo &info = material->info;
    const QSslCertificate &qtCert = material->chain.constFirst();
    info.subject = nameText(X509_get_subject_name(leaf));
    info.issuer = nameText(X509_get_issuer_name(leaf));
    info.dnsNames = qtCert.subjectAlternativeNames().values(QSsl::DnsEntry);
    info.notBefore = qtCert.effectiveDate().toUTC();
    info.notAfter = qtCert.expiryDate().toUTC();
    info.sha256Fingerprint = QString::fromLatin1(qtCert.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
    // Not QSslCertificate::isSelfSigned(): it relies on X509_check_issued(),
    // which also wants keyCertSign, and a proper leaf (ours too) lacks it.
    info.selfSigned = X509_NAME_cmp(X509_get_subject_name(leaf), X509_get_issuer_name(leaf)) == 0
        && X509_verify(leaf, key.get()) == 1;
    info.keyType = keyTypeText(key.get());
    ERR_clear_error();
    return std::shared_ptr<const TlsMaterial>(std::move(material));
}

Result<QSsl::SslProtocol> protocolFor(const QString &minVersion)
{
    if (minVersion == QLatin1String("1.2"))
        return QSsl::TlsV1_2OrLater;
    if (minVersion == QLatin1String("1.3"))
        return QSsl::TlsV1_3OrLater;
    return Error(ErrorCode::InvalidArgument,
        QStringLiteral("\"%1\" is not a TLS version this server offers: set tls.min_version to 1.2 or 1.3.")
            .arg(minVersion));
}

// key.pem is created 0600 whatever the umask: DurableFile asks for 0640.
int openOwnerOnly(const char *path, int flags, mode_t mode)
{
    return ::open(path, flags | O_CLOEXEC, (flags & O_DIRECTORY) ? mode : mode_t(0600));
}

const FileOps &keyFileOps()
{
    static const FileOps ops = [] {
        FileOps o = FileOps::system();
        o.open = openOwnerOnly;
        return o;
    }();
    return ops;
}

Status renameFile(const QString &from, const QString &to)
{
    if (::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) == 0)
        return {};
    const QString detail = QString::fromLocal8Bit(std::strerror(errno));
    return Error(ErrorCode::IoError,
        QStringLiteral("Could not rename %1 to %2 (%3): check the permissions of the tls folder; the engine finishes "
                       "the replacement at its next start.")
            .arg(from, to, detail));
}

// A replacement writes key.pem.new, then cert.pem.new, then renames both. A
// crash leaves either only key.pem.new (the upload never finished: drop it) or
// cert.pem.new, which means the key is complete (as key.pem.new or already
// renamed): finish the renames, so key and certificate always match.
Status finishPendingReplacement(const QDir &dir, bool atStart)
{
    const QString certNew = dir.filePath(kCertFile + kPendingSuffix);
    const QString keyNew = dir.filePath(kKeyFile + kPendingSuffix);
    if (!QFile::exists(certNew)) {
        if (QFile::exists(keyNew) && !QFile::remove(keyNew))
            qCWarning(lcNet) << "could not remove the unfinished" << keyNew;
        return {};
    }
    if (atStart)
        qCWarning(lcNet) << "finishing a certificate replacement that was interrupted in" << dir.path();
    if (QFile::exists(keyNew)) {
        if (auto s = renameFile(keyNew, dir.filePath(kKeyFile)); !s)
            return s;
    }
    if (auto s = renameFile(certNew, dir.filePath(kCertFile)); !s)
        return s;
    return DurableFile::syncFolder(dir.path());
}

Status writePair(const QDir &dir, const TlsMaterial &material)
{
    const QString certNew = dir.filePath(kCertFile + kPendingSuffix);
    const QString keyNew = dir.filePath(kKeyFile + kPendingSuffix);
    Status s = DurableFile::writeAll(keyNew, material.keyPem, keyFileOps());
    if (s)
        s = DurableFile::writeAll(certNew, material.certPem);
    if (!s) {
        QFile::remove(keyNew);
        QFile::remove(certNew);
        return s;
    }
    return finishPendingReplacement(dir, false);
}

Result<QByteArray> readSmallFile(const QString &path, qsizetype limit)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(ErrorCode::IoError,
            QStringLiteral("Could not read %1 (%2): check that the engine's user may read the tls folder.")
                .arg(path, file.errorString()));
    if (file.size() > limit)
        return Error(ErrorCode::TooLarge,
            QStringLiteral("%1 is too large to be a certificate or key: replace it with the PEM file.").arg(path));
    return file.readAll();
}

// The pair in dir (after finishing an interrupted replacement), checked.
Result<std::shared_ptr<const TlsMaterial>> loadPair(const QDir &dir)
{
    if (auto s = finishPendingReplacement(dir, true); !s)
        return s.error();
    const auto certPem = readSmallFile(dir.filePath(kCertFile), kMaxChainPem);
    if (!certPem)
        return certPem.error();
    const auto keyPem = readSmallFile(dir.filePath(kKeyFile), kMaxKeyPem);
    if (!keyPem)
        return keyPem.error();
    auto material = makeMaterial(*certPem, *keyPem, false);
    if (!material)
        return material.error();
    if ((*material)->info.notAfter < QDateTime::currentDateTimeUtc())
        qCWarning(lcNet).noquote() << "the TLS certificate in" << dir.path() << "expired on"
                                   << (*material)->info.notAfter.toString(Qt::ISODate)
                                   << "- clients will refuse it until it is replaced";
    return *material;
}

// RFC 6125 §6.4: an exact DNS name, or a wildcard standing for the one
// left-most label.
bool coversName(const QStringList &dnsNames, const QString &host)
{
    for (const QString &n : dnsNames) {
        if (n.compare(host, Qt::CaseInsensitive) == 0)
            return true;
        if (n.startsWith(QLatin1String("*.")) && host.indexOf(u'.') > 0
            && host.mid(host.indexOf(u'.')).compare(n.mid(1), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}
} // namespace

TlsContext::TlsContext(
    QString folder, std::shared_ptr<const TlsMaterial> material, QSsl::SslProtocol protocol, bool created)
    : m_folder(std::move(folder))
    , m_material(std::move(material))
    , m_protocol(protocol)
    , m_created(created)
{
    m_client = QSslConfiguration::defaultConfiguration();
    m_client.setCaCertificates(QSslConfiguration::systemCaCertificates());
    m_client.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_client.setProtocol(m_protocol);
    rebuildLocked();
}

TlsContext::~TlsContext() = default;

Result<std::unique_ptr<TlsContext>> TlsContext::open(
    const QString &tlsFolder, const QString &hostname, const QString &minVersion)
{
    const auto protocol = protocolFor(minVersion);
    if (!protocol)
        return protocol.error();
    QDir dir(tlsFolder);
    if (!dir.exists()) {
        if (!QDir().mkpath(tlsFolder)
            || !QFile::setPermissions(
                tlsFolder, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner))
            return Error(ErrorCode::IoError,
                QStringLiteral("Could not create the folder %1: check the permissions of the data folder.")
                    .arg(tlsFolder));
        if (auto s = DurableFile::syncFolder(QFileInfo(dir.absolutePath()).absolutePath()); !s)
            return s.error();
    }
    if (auto s = finishPendingReplacement(dir, true); !s)
        return s.error();

    const QString certPath = dir.filePath(kCertFile);
    const QString keyPath = dir.filePath(kKeyFile);
    const bool haveCert = QFile::exists(certPath);
    const bool haveKey = QFile::exists(keyPath);
    if (haveCert != haveKey)
        return Error(ErrorCode::NotFound,
            QStringLiteral("%1 is missing beside %2: restore it from a backup, or remove %2 so that a new self-signed "
                           "certificate is made at the next start.")
                .arg(haveCert ? keyPath : certPath, haveCert ? certPath : keyPath));

    if (!haveCert) {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const auto pair = makeSelfSigned(hostname, now, now.addYears(kSelfSignedYears));
        if (!pair)
            return pair.error();
        auto material = makeMaterial(pair->certChainPem, pair->keyPem, true);
        if (!material)
            return material.error();
        if (auto s = writePair(dir, **material); !s)
            return s.error();
        qCInfo(lcNet).noquote() << "made a self-signed certificate for" << hostname << "in" << tlsFolder << "("
                                << (*material)->info.sha256Fingerprint << ")";
        auto context = std::unique_ptr<TlsContext>(new TlsContext(dir.absolutePath(), *material, *protocol, true));
        context->loadDomains();
        return context;
    }

    auto material = loadPair(dir);
    if (!material)
        return Error(material.error().code,
            QStringLiteral("The certificate in %1 cannot be used. %2 (Or remove cert.pem and key.pem there to get a "
                           "new self-signed certificate.)")
                .arg(tlsFolder, material.error().message));
    auto context = std::unique_ptr<TlsContext>(new TlsContext(dir.absolutePath(), *material, *protocol, false));
    context->loadDomains();
    return context;
}

QSslConfiguration TlsContext::serverFor(const TlsMaterial &material) const
{
    QSslConfiguration server = QSslConfiguration::defaultConfiguration();
    server.setLocalCertificateChain(material.chain);
    server.setPrivateKey(material.key);
    server.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
    server.setProtocol(m_protocol);
    return server;
}

void TlsContext::rebuildLocked()
{
    m_server = serverFor(*m_material);
    for (auto &[domain, entry] : m_domains)
        entry.server = serverFor(*entry.material);
}

QSslConfiguration TlsContext::serverConfiguration(const QString &serverName) const
{
    const QReadLocker lock(&m_lock);
    if (!serverName.isEmpty())
        for (const auto &[domain, entry] : m_domains)
            if (coversName(entry.material->info.dnsNames, serverName))
                return entry.server;
    return m_server;
}

QList<QPair<QString, CertificateInfo>> TlsContext::domainCertificates() const
{
    const QReadLocker lock(&m_lock);
    QList<QPair<QString, CertificateInfo>> out;
    for (const auto &[domain, entry] : m_domains)
        out.append({ domain, entry.material->info });
    return out;
}

void TlsContext::loadDomains()
{
    const QDir root(QDir(m_folder).filePath(kDomainsFolder));
    const QStringList names = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &domain : names) {
        const QDir dir(root.filePath(domain));
        auto material = loadPair(dir);
        if (!material) {
            // One broken domain pair must not keep the engine from starting:
            // its clients get the default certificate until it is replaced.
            qCWarning(lcNet).noquote() << "not using the certificate of" << domain << ":" << material.error().message;
            continue;
        }
        m_domains[domain] = DomainEntry { *material, serverFor(**material) };
    }
}

QSslConfiguration TlsContext::clientConfiguration() const
{
    const QReadLocker lock(&m_lock);
    return m_client;
}

CertificateInfo TlsContext::info() const
{
    const QReadLocker lock(&m_lock);
    return m_material->info;
}

bool TlsContext::createdOnThisStart() const
{
    return m_created;
}

Status TlsContext::install(const std::shared_ptr<const TlsMaterial> &material, const QString &domain)
{
    const QMutexLocker writer(&m_writeMutex);
    QDir dir(m_folder);
    if (!domain.isEmpty()) {
        const QString path = dir.filePath(kDomainsFolder + QLatin1Char('/') + domain);
        if (!QDir().mkpath(path))
            return Error(ErrorCode::IoError,
                QStringLiteral("Could not create the folder %1: check the permissions of the data folder.").arg(path));
        if (auto s = DurableFile::syncFolder(dir.filePath(kDomainsFolder)); !s)
            return s;
        if (auto s = DurableFile::syncFolder(m_folder); !s)
            return s;
        dir.setPath(path);
    }
    if (auto s = writePair(dir, *material); !s)
        return s;
    const QWriteLocker lock(&m_lock);
    if (domain.isEmpty()) {
        m_material = material;
        m_server = serverFor(*material);
    } else {
        m_domains[domain] = DomainEntry { material, serverFor(*material) };
    }
    qCInfo(lcNet).noquote() << "TLS certificate" << (domain.isEmpty() ? QStringLiteral("(default)") : domain)
                            << "replaced:" << material->info.subject << "until"
                            << material->info.notAfter.toString(Qt::ISODate) << "(" << material->info.sha256Fingerprint
                            << ")";
    return {};
}

Status TlsContext::replacePem(const QByteArray &certChainPem, const QByteArray &keyPem, const QString &domain)
{
    const QString name = domain.trimmed().toLower();
    if (!domain.isEmpty() && (!isDnsName(name) || name.size() > 253))
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("\"%1\" is not a domain name: give the mail domain, such as example.com.")
                .arg(domain.left(100)));
    const auto material = makeMaterial(certChainPem, keyPem, true);
    if (!material)
        return material.error();
    return install(*material, name);
}

Status TlsContext::removeDomain(const QString &domain)
{
    const QString name = domain.trimmed().toLower();
    const QMutexLocker writer(&m_writeMutex);
    {
        const QReadLocker lock(&m_lock);
        if (!m_domains.count(name))
            return Error(ErrorCode::NotFound,
                QStringLiteral("%1 has no certificate of its own; `tls show` lists the domains that have one.")
                    .arg(domain.left(100)));
    }
    QDir dir(QDir(m_folder).filePath(kDomainsFolder + QLatin1Char('/') + name));
    if (!dir.removeRecursively())
        return Error(ErrorCode::IoError,
            QStringLiteral("Could not remove %1: check the permissions of the tls folder.").arg(dir.path()));
    if (auto s = DurableFile::syncFolder(QDir(m_folder).filePath(kDomainsFolder)); !s)
        return s;
    const QWriteLocker lock(&m_lock);
    m_domains.erase(name);
    qCInfo(lcNet).noquote() << "TLS certificate of" << name << "removed";
    return {};
}

Status TlsContext::replacePkcs12(const QByteArray &pkcs12, const QString &passphrase, const QString &domain)
{
    const auto pair = pemFromPkcs12(pkcs12, passphrase);
    if (!pair)
        return pair.error();
    return replacePem(pair->certChainPem, pair->keyPem, domain);
}

void TlsContext::setMinVersion(const QString &minVersion)
{
    const auto protocol = protocolFor(minVersion);
    if (!protocol) {
        qCWarning(lcNet).noquote() << protocol.error().message;
        return;
    }
    const QWriteLocker lock(&m_lock);
    m_protocol = *protocol;
    m_client.setProtocol(m_protocol);
    rebuildLocked();
}

} // namespace mailroom::net
