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
#include "net/selfsigned.h"

namespace mailroom::net
{

struct TlsMaterial {
    QList<QSslCertificate> chain; // leaf first
    QSslKey key;
    CertificateInfo info;
    QByteArray certPem; // normalised, exactly as stored
    QByteArray keyPem;
};

namespace
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

// Bounds on what an upload may be (STYLE rule 4); real chains are a few KiB.
constexpr qsizetype kMaxChainPem = 256 * 1024;
constexpr qsizetype kMaxKeyPem = 64 * 1024;
constexpr qsizetype kMaxPkcs12 = 512 * 1024;
constexpr int kMinRsaBits = 2048; // RFC 7525 §4.3 / BCP 195
constexpr int kSelfSignedYears = 10;

const QString kCertFile = QStringLiteral("cert.pem");
const QString kKeyFile = QStringLiteral("key.pem");
const QString kPendingSuffix = QStringLiteral(".new");

Error invalid(const QString &sentence)
{
    ERR_clear_error(); // never leave OpenSSL's per-thread queue to the next caller
    return Error(ErrorCode::InvalidArgument, sentence);
}

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? QByteArray(data, qsizetype(size)) : QByteArray();
}

BioPtr readBio(const QByteArray &data)
{
    return BioPtr(BIO_new_mem_buf(data.constData(), int(data.size())));
}

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
        return std::unique_ptr<TlsContext>(new TlsContext(dir.absolutePath(), *material, *protocol, true));
    }

    const auto certPem = readSmallFile(certPath, kMaxChainPem);
    if (!certPem)
        return certPem.error();
    const auto keyPem = readSmallFile(keyPath, kMaxKeyPem);
    if (!keyPem)
        return keyPem.error();
    auto material = makeMaterial(*certPem, *keyPem, false);
    if (!material)
        return Error(material.error().code,
            QStringLiteral("The certificate in %1 cannot be used. %2 (Or remove cert.pem and key.pem there to get a "
                           "new self-signed certificate.)")
                .arg(tlsFolder, material.error().message));
    if ((*material)->info.notAfter < QDateTime::currentDateTimeUtc())
        qCWarning(lcNet).noquote() << "the TLS certificate expired on"
                                   << (*material)->info.notAfter.toString(Qt::ISODate)
                                   << "- clients will refuse it until it is replaced";
    return std::unique_ptr<TlsContext>(new TlsContext(dir.absolutePath(), *material, *protocol, false));
}

void TlsContext::rebuildLocked()
{
    QSslConfiguration server = QSslConfiguration::defaultConfiguration();
    server.setLocalCertificateChain(m_material->chain);
    server.setPrivateKey(m_material->key);
    server.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
    server.setProtocol(m_protocol);
    m_server = server;
}

QSslConfiguration TlsContext::serverConfiguration() const
{
    const QReadLocker lock(&m_lock);
    return m_server;
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

Status TlsContext::install(const std::shared_ptr<const TlsMaterial> &material)
{
    const QMutexLocker writer(&m_writeMutex);
    if (auto s = writePair(QDir(m_folder), *material); !s)
        return s;
    const QWriteLocker lock(&m_lock);
    m_material = material;
    rebuildLocked();
    qCInfo(lcNet).noquote() << "TLS certificate replaced:" << material->info.subject << "until"
                            << material->info.notAfter.toString(Qt::ISODate) << "(" << material->info.sha256Fingerprint
                            << ")";
    return {};
}

Status TlsContext::replacePem(const QByteArray &certChainPem, const QByteArray &keyPem)
{
    const auto material = makeMaterial(certChainPem, keyPem, true);
    if (!material)
        return material.error();
    return install(*material);
}

Status TlsContext::replacePkcs12(const QByteArray &pkcs12, const QString &passphrase)
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
    return replacePem(bioBytes(certOut.get()), bioBytes(keyOut.get()));
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
