// TlsContext: the first start makes a self-signed pair (RFC 5280 profile) and
// the next start loads it; a real TLS handshake on loopback with the server
// configuration; uploads (PEM, PKCS#12) that are accepted survive a reopen,
// and every refused upload leaves both files byte-identical.
// Reference material comes from the openssl command line tool (OpenSSL 3.0).
#include <atomic>
#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslCertificateExtension>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "net/selfsigned.h"
#include "net/tlscontext.h"

using namespace mailroom;
using namespace mailroom::net;

namespace
{
const QString kHost = QStringLiteral("mail.test.example");

QByteArray content(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

int fileMode(const QString &path)
{
    struct stat st = {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 0777) : -1;
}

// Runs the openssl tool in dir; false (with its stderr in the log) on failure.
bool openssl(const QString &dir, const QStringList &args)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning().noquote() << "openssl" << args.join(QLatin1Char(' ')) << "failed:" << p.readAllStandardError();
        return false;
    }
    return true;
}

// openssl req -x509 for a throw-away RSA pair in dir/<stem>-key.pem, <stem>-cert.pem.
bool makeRsaPair(const QString &dir, const QString &stem, const QString &cn, int days = 30)
{
    return openssl(dir,
        { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
            QStringLiteral("-nodes"), QStringLiteral("-subj"), QStringLiteral("/CN=") + cn, QStringLiteral("-addext"),
            QStringLiteral("subjectAltName=DNS:") + cn, QStringLiteral("-days"), QString::number(days),
            QStringLiteral("-keyout"), stem + QStringLiteral("-key.pem"), QStringLiteral("-out"),
            stem + QStringLiteral("-cert.pem") });
}

QString fingerprint(const QByteArray &pem)
{
    const QSslCertificate cert(pem, QSsl::Pem);
    return QString::fromLatin1(cert.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

// The server side of the handshake test: each accepted socket becomes a
// QSslSocket with the context's server configuration and echoes one line.
class TlsEchoServer : public QTcpServer
{
public:
    explicit TlsEchoServer(const TlsContext &ctx)
        : m_ctx(ctx)
    {
    }
    QSslSocket *last = nullptr;
    QList<QSslError> errors;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QSslSocket(this);
        last = socket;
        QVERIFY(socket->setSocketDescriptor(descriptor));
        socket->setSslConfiguration(m_ctx.serverConfiguration());
        connect(socket, &QSslSocket::readyRead, socket, [socket] {
            if (socket->canReadLine() && socket->readLine() == "hello server\r\n")
                socket->write("hello client\r\n");
        });
        socket->startServerEncryption();
    }

private:
    const TlsContext &m_ctx;
};
} // namespace

class TestTlsContext : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void firstOpenMakesPairSecondLoadsIt();
    void openErrors();
    void handshake_data();
    void handshake();
    void clientConfiguration();
    void replacePem();
    void replacePemWithChain();
    void refused_data();
    void refused();
    void replacePkcs12();
    void interruptedReplacement();
    void concurrentReaders();

private:
    std::unique_ptr<TlsContext> openFresh(QTemporaryDir &dir, const QString &minVersion = QStringLiteral("1.2"))
    {
        auto r = TlsContext::open(dir.filePath(QStringLiteral("tls")), kHost, minVersion);
        if (!r) {
            qWarning().noquote() << r.error().message;
            return nullptr;
        }
        return std::move(r).value();
    }
    QByteArray file(const QString &name) const
    {
        return content(m_tools.filePath(name));
    }

    QTemporaryDir m_tools; // PEM and PKCS#12 files made by the openssl tool
};

void TestTlsContext::initTestCase()
{
    QVERIFY(m_tools.isValid());
    const QString d = m_tools.path();
    QVERIFY(makeRsaPair(d, QStringLiteral("a"), QStringLiteral("mail.example.test")));
    QVERIFY(makeRsaPair(d, QStringLiteral("b"), QStringLiteral("other.example.test")));
    // An intermediate-style chain: a CA and a leaf it signed.
    QVERIFY(makeRsaPair(d, QStringLiteral("ca"), QStringLiteral("Test CA"), 60));
    QVERIFY(openssl(d,
        { QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
            QStringLiteral("-nodes"), QStringLiteral("-subj"), QStringLiteral("/CN=chain.example.test"),
            QStringLiteral("-keyout"), QStringLiteral("leaf-key.pem"), QStringLiteral("-out"),
            QStringLiteral("leaf.csr") }));
    QVERIFY(openssl(d,
        { QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), QStringLiteral("leaf.csr"),
            QStringLiteral("-CA"), QStringLiteral("ca-cert.pem"), QStringLiteral("-CAkey"),
            QStringLiteral("ca-key.pem"), QStringLiteral("-CAcreateserial"), QStringLiteral("-days"),
            QStringLiteral("30"), QStringLiteral("-out"), QStringLiteral("leaf-cert.pem") }));
    QVERIFY(openssl(d,
        { QStringLiteral("pkcs12"), QStringLiteral("-export"), QStringLiteral("-inkey"), QStringLiteral("a-key.pem"),
            QStringLiteral("-in"), QStringLiteral("a-cert.pem"), QStringLiteral("-passout"),
            QStringLiteral("pass:secret"), QStringLiteral("-out"), QStringLiteral("a.p12") }));
    QVERIFY(openssl(d,
        { QStringLiteral("pkcs12"), QStringLiteral("-export"), QStringLiteral("-inkey"), QStringLiteral("leaf-key.pem"),
            QStringLiteral("-in"), QStringLiteral("leaf-cert.pem"), QStringLiteral("-certfile"),
            QStringLiteral("ca-cert.pem"), QStringLiteral("-passout"), QStringLiteral("pass:secret"),
            QStringLiteral("-out"), QStringLiteral("chain.p12") }));
    QVERIFY(openssl(d,
        { QStringLiteral("pkey"), QStringLiteral("-in"), QStringLiteral("a-key.pem"), QStringLiteral("-aes256"),
            QStringLiteral("-passout"), QStringLiteral("pass:x"), QStringLiteral("-out"),
            QStringLiteral("a-key-encrypted.pem") }));
}

void TestTlsContext::firstOpenMakesPairSecondLoadsIt()
{
    QTemporaryDir dir;
    const QString tls = dir.filePath(QStringLiteral("tls"));
    const auto first = openFresh(dir);
    QVERIFY(first);
    QVERIFY(first->createdOnThisStart());
    QVERIFY(QFile::exists(tls + QStringLiteral("/cert.pem")));
    QCOMPARE(fileMode(tls + QStringLiteral("/key.pem")), 0600);
    QCOMPARE(fileMode(tls), 0700);

    const CertificateInfo info = first->info();
    QVERIFY(info.selfSigned);
    QVERIFY(info.dnsNames.contains(kHost));
    QVERIFY(info.dnsNames.contains(QStringLiteral("localhost")));
    QCOMPARE(info.subject, QStringLiteral("CN=") + kHost);
    QCOMPARE(info.issuer, info.subject);
    QCOMPARE(info.keyType, QStringLiteral("EC P-256"));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(info.notBefore <= now.addSecs(60));
    QVERIFY(info.notAfter > now.addYears(9));
    QVERIFY(
        QRegularExpression(QStringLiteral("^([0-9A-F]{2}:){31}[0-9A-F]{2}$")).match(info.sha256Fingerprint).hasMatch());

    // The RFC 5280 profile we promise.
    const QSslCertificate cert = first->serverConfiguration().localCertificate();
    QCOMPARE(cert.version(), QByteArray("3"));
    QVERIFY(cert.serialNumber().size() >= 2 * 15); // "ab:cd:..." of 16 or 17 octets
    QHash<QString, bool> critical;
    for (const QSslCertificateExtension &ext : cert.extensions())
        critical.insert(ext.name(), ext.isCritical());
    QCOMPARE(critical.value(QStringLiteral("basicConstraints"), false), true);
    QCOMPARE(critical.value(QStringLiteral("keyUsage"), false), true);
    QVERIFY(critical.contains(QStringLiteral("extendedKeyUsage")));
    QVERIFY(critical.contains(QStringLiteral("subjectAltName")));
    for (const QSslCertificateExtension &ext : cert.extensions()) {
        if (ext.name() == QLatin1String("basicConstraints"))
            QCOMPARE(ext.value().toMap().value(QStringLiteral("ca")).toBool(), false);
    }
    QCOMPARE(first->serverConfiguration().privateKey().algorithm(), QSsl::Ec);

    const QByteArray certBefore = content(tls + QStringLiteral("/cert.pem"));
    const QByteArray keyBefore = content(tls + QStringLiteral("/key.pem"));
    const auto second = openFresh(dir);
    QVERIFY(second);
    QVERIFY(!second->createdOnThisStart());
    QCOMPARE(second->info().sha256Fingerprint, info.sha256Fingerprint);
    QCOMPARE(content(tls + QStringLiteral("/cert.pem")), certBefore);
    QCOMPARE(content(tls + QStringLiteral("/key.pem")), keyBefore);
}

void TestTlsContext::openErrors()
{
    QTemporaryDir dir;
    auto bad = TlsContext::open(dir.filePath(QStringLiteral("tls")), kHost, QStringLiteral("1.1"));
    QVERIFY(!bad);
    QVERIFY(bad.error().message.contains(QStringLiteral("tls.min_version")));

    auto badHost
        = TlsContext::open(dir.filePath(QStringLiteral("tls2")), QStringLiteral("bad host!"), QStringLiteral("1.2"));
    QVERIFY(!badHost);
    QVERIFY(badHost.error().message.contains(QStringLiteral("not a DNS name")));

    QVERIFY(openFresh(dir));
    QVERIFY(QFile::remove(dir.filePath(QStringLiteral("tls/key.pem"))));
    auto missing = TlsContext::open(dir.filePath(QStringLiteral("tls")), kHost, QStringLiteral("1.2"));
    QVERIFY(!missing);
    QVERIFY(missing.error().message.contains(QStringLiteral("key.pem is missing")));

    QVERIFY(QFile::copy(m_tools.filePath(QStringLiteral("b-key.pem")), dir.filePath(QStringLiteral("tls/key.pem"))));
    auto mismatch = TlsContext::open(dir.filePath(QStringLiteral("tls")), kHost, QStringLiteral("1.2"));
    QVERIFY(!mismatch);
    QVERIFY(mismatch.error().message.contains(QStringLiteral("does not belong")));
}

void TestTlsContext::handshake_data()
{
    QTest::addColumn<QString>("minVersion");
    QTest::addColumn<int>("clientProtocol");
    QTest::addColumn<bool>("succeeds");
    QTest::addColumn<int>("negotiated");
    QTest::newRow("1.2 server, any client") << "1.2" << int(QSsl::TlsV1_2OrLater) << true << int(QSsl::TlsV1_3);
    QTest::newRow("1.2 server, 1.2-only client") << "1.2" << int(QSsl::TlsV1_2) << true << int(QSsl::TlsV1_2);
    QTest::newRow("1.3 server, any client") << "1.3" << int(QSsl::TlsV1_2OrLater) << true << int(QSsl::TlsV1_3);
    QTest::newRow("1.3 server, 1.2-only client") << "1.3" << int(QSsl::TlsV1_2) << false << int(QSsl::UnknownProtocol);
}

void TestTlsContext::handshake()
{
    QFETCH(QString, minVersion);
    QFETCH(int, clientProtocol);
    QFETCH(bool, succeeds);
    QFETCH(int, negotiated);
    QTemporaryDir dir;
    const auto ctx = openFresh(dir, minVersion);
    QVERIFY(ctx);

    TlsEchoServer server(*ctx);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QSslSocket client;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    config.setProtocol(QSsl::SslProtocol(clientProtocol));
    client.setSslConfiguration(config);
    QSignalSpy failed(&client, &QSslSocket::errorOccurred);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort());

    if (!succeeds) {
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 10000);
        QVERIFY(!client.isEncrypted());
        QVERIFY(!server.last || !server.last->isEncrypted());
        return;
    }
    QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted(), 10000);
    QCOMPARE(int(client.sessionProtocol()), negotiated);
    QCOMPARE(fingerprint(client.peerCertificate().toPem()), ctx->info().sha256Fingerprint);
    client.write("hello server\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(client.canReadLine(), 10000);
    QCOMPARE(client.readLine(), QByteArray("hello client\r\n"));
    QVERIFY(server.last && server.last->isEncrypted());
    QCOMPARE(int(server.last->sessionProtocol()), negotiated);
    // Opportunistic TLS records, it does not refuse: our self-signed pair fails verification.
    QVERIFY(!QSslCertificate::verify(client.peerCertificateChain(), kHost).isEmpty());
    client.disconnectFromHost();
}

void TestTlsContext::clientConfiguration()
{
    QTemporaryDir dir;
    const auto ctx = openFresh(dir);
    QVERIFY(ctx);
    QSslConfiguration client = ctx->clientConfiguration();
    QCOMPARE(client.peerVerifyMode(), QSslSocket::VerifyNone);
    QCOMPARE(client.protocol(), QSsl::TlsV1_2OrLater);
    QVERIFY(!client.caCertificates().isEmpty());
    QVERIFY(client.localCertificate().isNull());
    QCOMPARE(ctx->serverConfiguration().protocol(), QSsl::TlsV1_2OrLater);

    ctx->setMinVersion(QStringLiteral("1.3"));
    QCOMPARE(ctx->serverConfiguration().protocol(), QSsl::TlsV1_3OrLater);
    QCOMPARE(ctx->clientConfiguration().protocol(), QSsl::TlsV1_3OrLater);
    ctx->setMinVersion(QStringLiteral("1.0")); // ignored, with a warning
    QCOMPARE(ctx->serverConfiguration().protocol(), QSsl::TlsV1_3OrLater);
}

void TestTlsContext::replacePem()
{
    QTemporaryDir dir;
    const QString tls = dir.filePath(QStringLiteral("tls"));
    const auto ctx = openFresh(dir);
    QVERIFY(ctx);
    const QSslConfiguration before = ctx->serverConfiguration();

    const Status s = ctx->replacePem(file(QStringLiteral("a-cert.pem")), file(QStringLiteral("a-key.pem")));
    QVERIFY2(s.ok(), qPrintable(s.error().message));
    const CertificateInfo info = ctx->info();
    QCOMPARE(info.sha256Fingerprint, fingerprint(file(QStringLiteral("a-cert.pem"))));
    QCOMPARE(info.subject, QStringLiteral("CN=mail.example.test"));
    QCOMPARE(info.dnsNames, QStringList { QStringLiteral("mail.example.test") });
    QCOMPARE(info.keyType, QStringLiteral("RSA 2048"));
    QVERIFY(info.selfSigned);
    QCOMPARE(ctx->serverConfiguration().privateKey().algorithm(), QSsl::Rsa);
    QCOMPARE(fingerprint(ctx->serverConfiguration().localCertificate().toPem()), info.sha256Fingerprint);
    // A copy taken before (an existing connection's) is unchanged.
    QVERIFY(before.localCertificate() != ctx->serverConfiguration().localCertificate());
    QCOMPARE(fileMode(tls + QStringLiteral("/key.pem")), 0600);
    QVERIFY(QDir(tls)
                .entryList({ QStringLiteral("*.new"), QStringLiteral(".tmp-*") }, QDir::Files | QDir::Hidden)
                .isEmpty());

    const auto reopened = openFresh(dir);
    QVERIFY(reopened);
    QVERIFY(!reopened->createdOnThisStart());
    QCOMPARE(reopened->info().sha256Fingerprint, info.sha256Fingerprint);
    QCOMPARE(reopened->info().keyType, QStringLiteral("RSA 2048"));
}

void TestTlsContext::replacePemWithChain()
{
    QTemporaryDir dir;
    const auto ctx = openFresh(dir);
    QVERIFY(ctx);
    const QByteArray chain = file(QStringLiteral("leaf-cert.pem")) + file(QStringLiteral("ca-cert.pem"));
    const Status s = ctx->replacePem(chain, file(QStringLiteral("leaf-key.pem")));
    QVERIFY2(s.ok(), qPrintable(s.error().message));
    QCOMPARE(ctx->serverConfiguration().localCertificateChain().size(), 2);
    QVERIFY(!ctx->info().selfSigned);
    QCOMPARE(ctx->info().issuer, QStringLiteral("CN=Test CA"));

    // The server's own certificate must come first.
    const QByteArray wrongOrder = file(QStringLiteral("ca-cert.pem")) + file(QStringLiteral("leaf-cert.pem"));
    QVERIFY(!ctx->replacePem(wrongOrder, file(QStringLiteral("leaf-key.pem"))).ok());
}

void TestTlsContext::refused_data()
{
    QTest::addColumn<QByteArray>("cert");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QString>("sentence");

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto expired = makeSelfSigned(QStringLiteral("old.example.test"), now.addDays(-60), now.addDays(-1));
    QVERIFY(expired.ok());
    const auto future = makeSelfSigned(QStringLiteral("new.example.test"), now.addDays(5), now.addDays(60));
    QVERIFY(future.ok());
    const QByteArray aCert = file(QStringLiteral("a-cert.pem"));
    const QByteArray aKey = file(QStringLiteral("a-key.pem"));

    QTest::newRow("mismatched key") << aCert << file(QStringLiteral("b-key.pem"))
                                    << QStringLiteral("The key does not belong to the certificate");
    QTest::newRow("garbage certificate") << QByteArray("this is not a certificate\n") << aKey
                                         << QStringLiteral("No certificate was found");
    QByteArray damaged = aCert;
    damaged[damaged.indexOf('\n') + 10] = '*';
    QTest::newRow("damaged certificate") << damaged << aKey << QStringLiteral("is damaged");
    QTest::newRow("garbage key") << aCert
                                 << QByteArray("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                                 << QStringLiteral("No private key was found");
    QTest::newRow("encrypted key") << aCert << file(QStringLiteral("a-key-encrypted.pem"))
                                   << QStringLiteral("protected by a passphrase");
    QTest::newRow("empty") << QByteArray() << QByteArray() << QStringLiteral("No certificate was found");
    QTest::newRow("expired") << expired->certChainPem << expired->keyPem << QStringLiteral("expired on");
    QTest::newRow("not yet valid") << future->certChainPem << future->keyPem << QStringLiteral("not valid before");
    QTest::newRow("too large") << QByteArray(1024 * 1024, 'A') << aKey << QStringLiteral("too large");
}

void TestTlsContext::refused()
{
    QFETCH(QByteArray, cert);
    QFETCH(QByteArray, key);
    QFETCH(QString, sentence);
    QTemporaryDir dir;
    const QString tls = dir.filePath(QStringLiteral("tls"));
    const auto ctx = openFresh(dir);
    QVERIFY(ctx);
    const QByteArray certBefore = content(tls + QStringLiteral("/cert.pem"));
    const QByteArray keyBefore = content(tls + QStringLiteral("/key.pem"));
    const QString fpBefore = ctx->info().sha256Fingerprint;

    const Status s = ctx->replacePem(cert, key);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().message.contains(sentence), qPrintable(s.error().message));
    QVERIFY(s.error().message.contains(QLatin1Char(':'))); // "what happened: what to do"
    QCOMPARE(content(tls + QStringLiteral("/cert.pem")), certBefore);
    QCOMPARE(content(tls + QStringLiteral("/key.pem")), keyBefore);
    QCOMPARE(ctx->info().sha256Fingerprint, fpBefore);
    QCOMPARE(fingerprint(ctx->serverConfiguration().localCertificate().toPem()), fpBefore);
    QCOMPARE(QDir(tls).entryList(QDir::Files | QDir::Hidden).size(), 2);
}

void TestTlsContext::replacePkcs12()
{
    QTemporaryDir dir;
    const QString tls = dir.filePath(QStringLiteral("tls"));
    const auto ctx = openFresh(dir);
    QVERIFY(ctx);
    const QByteArray p12 = file(QStringLiteral("a.p12"));
    const QByteArray certBefore = content(tls + QStringLiteral("/cert.pem"));
    const QByteArray keyBefore = content(tls + QStringLiteral("/key.pem"));

    Status s = ctx->replacePkcs12(p12, QStringLiteral("wrong"));
    QVERIFY(!s.ok());
    QVERIFY2(s.error().message.contains(QStringLiteral("passphrase does not open")), qPrintable(s.error().message));
    s = ctx->replacePkcs12(QByteArray("garbage"), QStringLiteral("secret"));
    QVERIFY(!s.ok());
    QVERIFY(s.error().message.contains(QStringLiteral("not a PKCS#12 file")));
    QCOMPARE(content(tls + QStringLiteral("/cert.pem")), certBefore);
    QCOMPARE(content(tls + QStringLiteral("/key.pem")), keyBefore);

    s = ctx->replacePkcs12(p12, QStringLiteral("secret"));
    QVERIFY2(s.ok(), qPrintable(s.error().message));
    QCOMPARE(ctx->info().sha256Fingerprint, fingerprint(file(QStringLiteral("a-cert.pem"))));
    QCOMPARE(fileMode(tls + QStringLiteral("/key.pem")), 0600);
    const auto reopened = openFresh(dir);
    QVERIFY(reopened);
    QCOMPARE(reopened->info().sha256Fingerprint, ctx->info().sha256Fingerprint);

    // With an intermediate: stored leaf first, then its issuer.
    s = ctx->replacePkcs12(file(QStringLiteral("chain.p12")), QStringLiteral("secret"));
    QVERIFY2(s.ok(), qPrintable(s.error().message));
    const QList<QSslCertificate> chain = ctx->serverConfiguration().localCertificateChain();
    QCOMPARE(chain.size(), 2);
    QCOMPARE(
        chain.at(0).subjectInfo(QSslCertificate::CommonName), QStringList { QStringLiteral("chain.example.test") });
    QCOMPARE(chain.at(1).subjectInfo(QSslCertificate::CommonName), QStringList { QStringLiteral("Test CA") });
}

void TestTlsContext::interruptedReplacement()
{
    QTemporaryDir dir;
    const QString tls = dir.filePath(QStringLiteral("tls"));
    QString original;
    {
        const auto ctx = openFresh(dir);
        QVERIFY(ctx);
        original = ctx->info().sha256Fingerprint;
    }
    // Crash before cert.pem.new was complete: the half upload is dropped.
    QVERIFY(QFile::copy(m_tools.filePath(QStringLiteral("a-key.pem")), tls + QStringLiteral("/key.pem.new")));
    {
        const auto ctx = openFresh(dir);
        QVERIFY(ctx);
        QCOMPARE(ctx->info().sha256Fingerprint, original);
        QVERIFY(!QFile::exists(tls + QStringLiteral("/key.pem.new")));
    }
    // Crash after key.pem was renamed but before cert.pem: rolled forward.
    QVERIFY(QFile::remove(tls + QStringLiteral("/key.pem")));
    QVERIFY(QFile::copy(m_tools.filePath(QStringLiteral("a-key.pem")), tls + QStringLiteral("/key.pem")));
    QVERIFY(QFile::copy(m_tools.filePath(QStringLiteral("a-cert.pem")), tls + QStringLiteral("/cert.pem.new")));
    const auto ctx = openFresh(dir);
    QVERIFY(ctx);
    QCOMPARE(ctx->info().sha256Fingerprint, fingerprint(file(QStringLiteral("a-cert.pem"))));
    QCOMPARE(QDir(tls).entryList(QDir::Files | QDir::Hidden).size(), 2);
}

void TestTlsContext::concurrentReaders()
{
    QTemporaryDir dir;
    const auto ctx = openFresh(dir);
    QVERIFY(ctx);
    const QString first = ctx->info().sha256Fingerprint;
    const QString second = fingerprint(file(QStringLiteral("a-cert.pem")));
    std::atomic<bool> stop { false };
    std::atomic<int> bad { 0 };
    QList<QThread *> readers;
    for (int i = 0; i < 3; ++i) {
        readers.append(QThread::create([&] {
            while (!stop) {
                const QSslConfiguration c = ctx->serverConfiguration();
                const QString fp = fingerprint(c.localCertificate().toPem());
                if ((fp != first && fp != second) || c.privateKey().isNull())
                    ++bad;
            }
        }));
        readers.last()->start();
    }
    QVERIFY(ctx->replacePem(file(QStringLiteral("a-cert.pem")), file(QStringLiteral("a-key.pem"))).ok());
    QTest::qWait(50);
    stop = true;
    for (QThread *t : readers) {
        QVERIFY(t->wait(10000));
        delete t;
    }
    QCOMPARE(bad.load(), 0);
}

QTEST_GUILESS_MAIN(TestTlsContext)
#include "tst_tlscontext.moc"
