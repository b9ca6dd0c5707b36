// RemoteDelivery against a real dnsmasq (loopback high port) and real SMTP
// servers (aiosmtpd through smtpd.py): per-recipient results, dot-stuffing,
// MX order and fallback, implicit and null MX (RFC 7505), NXDOMAIN, smarthost
// AUTH over STARTTLS (RFC 3207, 4954) without the password in the log, the
// per-destination connection cap with reuse, timeouts, oversize replies and
// shutdown. Trust level: test code; it may wait with QTest::qWaitFor.
#include <optional>
#include <unistd.h>

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include "delivery/remote/remotedelivery.h"
#include "dns/resolver.h"

using namespace mailroom;
using namespace mailroom::delivery;
using queue::Outcome;

namespace
{

const QString dnsmasqPath = QStringLiteral("/usr/sbin/dnsmasq");
const QString pythonPath = QStringLiteral("/usr/bin/python3");
const QString relayPassword = QStringLiteral("s3cret-Pa55word");

quint16 freePort()
{
    for (int attempt = 0; attempt < 20; ++attempt) {
        QUdpSocket udp;
        if (!udp.bind(QHostAddress::LocalHost, 0))
            continue;
        const quint16 port = udp.localPort();
        QTcpServer tcp;
        if (tcp.listen(QHostAddress::LocalHost, port))
            return port;
    }
    return 0;
}

QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_log.append(message);
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

// A server that accepts and then sends `greeting` (maybe nothing at all).
class FakeServer : public QTcpServer
{
public:
    explicit FakeServer(QByteArray greeting)
        : m_greeting(std::move(greeting))
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection())
                s->write(m_greeting);
        });
    }

private:
    QByteArray m_greeting;
};

// A line-based SMTP server that records every line. It offers DSN and
// STARTTLS, and answers the TLS client hello with garbage: the handshake fails.
class ScriptedServer : public QTcpServer
{
public:
    ScriptedServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection()) {
                ++connections;
                s->write("220 fake.test ESMTP\r\n");
                connect(s, &QTcpSocket::readyRead, s, [this, s] { onReadyRead(s); });
            }
        });
    }

    int connections = 0;
    QByteArrayList lines;

private:
    void onReadyRead(QTcpSocket *s)
    {
        if (s->property("tls").toBool()) {
            s->readAll();
            s->write("this is not TLS\r\n");
            s->disconnectFromHost();
            return;
        }
        while (s->canReadLine()) {
            const QByteArray line = s->readLine().trimmed();
            lines.append(line);
            if (s->property("data").toBool()) {
                if (line == ".") {
                    s->setProperty("data", false);
                    s->write("250 2.0.0 Accepted\r\n");
                }
                continue;
            }
            const QByteArray verb = line.split(' ').first().toUpper();
            if (verb == "EHLO") {
                s->write("250-fake.test\r\n250-DSN\r\n250 STARTTLS\r\n");
            } else if (verb == "STARTTLS") {
                s->write("220 2.0.0 Go ahead\r\n");
                s->setProperty("tls", true);
            } else if (verb == "DATA") {
                s->write("354 Go ahead\r\n");
                s->setProperty("data", true);
            } else if (verb == "QUIT") {
                s->write("221 Bye\r\n");
                s->disconnectFromHost();
            } else {
                s->write("250 2.0.0 Ok\r\n");
            }
        }
    }
};

struct Received {
    QByteArray content;
    QJsonObject envelope;
};

} // namespace

class TestRemoteDelivery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void perRecipientResults();
    void dotStuffingAndLineEnds();
    void mxPreferenceFallback();
    void implicitMx();
    void nullMx();
    void nxDomain();
    void allHostsDown();
    void smtpUtf8Missing();
    void smarthostAuth_data();
    void smarthostAuth();
    void smarthostWithoutStartTls();
    void connectionCapAndReuse();
    void failedHandshakeRetriesInClearWithDsn();
    void silentServerTimesOut();
    void oversizeReply();
    void shutdownDefersPending();

private:
    std::unique_ptr<QProcess> startSmtpd(quint16 port, const QString &maildir, const QStringList &extra);
    queue::DeliveryJob makeJob(const QString &domain, const QStringList &locals, const QByteArray &content = {});
    std::optional<QList<queue::RecipientResult>> run(RemoteDelivery &agent, const queue::DeliveryJob &job);
    RemoteOptions options() const;
    QList<Received> received(const QString &maildir) const;

    QTemporaryDir m_tmp;
    std::unique_ptr<QProcess> m_dnsmasq;
    std::unique_ptr<QProcess> m_mx; // STARTTLS + PIPELINING on 127.0.0.1:m_mxPort
    std::unique_ptr<QProcess> m_relay; // STARTTLS + AUTH required on m_relayPort
    std::unique_ptr<QProcess> m_plain; // SMTPUTF8 but no STARTTLS or PIPELINING on m_plainPort
    std::unique_ptr<dns::Resolver> m_resolver;
    quint16 m_dnsPort = 0, m_mxPort = 0, m_relayPort = 0, m_plainPort = 0;
    QString m_mxDir, m_relayDir, m_plainDir;
    int m_jobCounter = 0;
};

std::unique_ptr<QProcess> TestRemoteDelivery::startSmtpd(quint16 port, const QString &maildir, const QStringList &extra)
{
    auto proc = std::make_unique<QProcess>();
    proc->setProcessChannelMode(QProcess::SeparateChannels);
    proc->setProcessEnvironment(QProcessEnvironment::systemEnvironment());
    proc->start(pythonPath,
        QStringList { QStringLiteral(MAILROOM_TEST_SMTPD), QStringLiteral("--port"), QString::number(port),
            QStringLiteral("--maildir"), maildir }
            + extra);
    if (!proc->waitForStarted(5000))
        return nullptr;
    QByteArray out;
    const bool ready = QTest::qWaitFor(
        [&] {
            out += proc->readAllStandardOutput();
            return out.contains("READY") || proc->state() != QProcess::Running;
        },
        20000);
    if (!ready || !out.contains("READY")) {
        qWarning() << "smtpd.py did not start:" << proc->readAllStandardError();
        return nullptr;
    }
    return proc;
}

void TestRemoteDelivery::initTestCase()
{
    if (!QFile::exists(dnsmasqPath))
        QFAIL("dnsmasq (package dnsmasq-base) is not installed: run packaging/install-deps.sh");
    if (QProcess::execute(pythonPath, { QStringLiteral("-c"), QStringLiteral("import aiosmtpd") }) != 0)
        QFAIL("python3-aiosmtpd is not installed: run packaging/install-deps.sh");
    QVERIFY(m_tmp.isValid());
    g_previousHandler = qInstallMessageHandler(captureLog);
    QLoggingCategory::setFilterRules(QStringLiteral("mailroom.*=true"));

    m_dnsPort = freePort();
    QVERIFY(m_dnsPort != 0);
    QStringList args = {
        QStringLiteral("--keep-in-foreground"),
        QStringLiteral("--conf-file=/dev/null"),
        QStringLiteral("--no-resolv"),
        QStringLiteral("--no-hosts"),
        QStringLiteral("--listen-address=127.0.0.1"),
        QStringLiteral("--bind-interfaces"),
        QStringLiteral("--port=%1").arg(m_dnsPort),
        QStringLiteral("--pid-file"),
        QStringLiteral("--log-facility=-"),
        QStringLiteral("--local=/test/"),
        QStringLiteral("--mx-host=good.test,mx.good.test,10"),
        QStringLiteral("--host-record=mx.good.test,127.0.0.1"),
        // The better MX has an address where nothing listens.
        QStringLiteral("--mx-host=multi.test,mxb.multi.test,20"),
        QStringLiteral("--mx-host=multi.test,mxa.multi.test,10"),
        QStringLiteral("--mx-host=multi.test,noaddr.multi.test,15"),
        QStringLiteral("--host-record=mxa.multi.test,127.0.0.2"),
        QStringLiteral("--host-record=mxb.multi.test,127.0.0.1"),
        QStringLiteral("--mx-host=dead.test,mx.dead.test,10"),
        QStringLiteral("--host-record=mx.dead.test,127.0.0.2"),
        QStringLiteral("--host-record=implicit.test,127.0.0.1"),
        QStringLiteral("--dns-rr=nullmx.test,15,000000"),
        QStringLiteral("--host-record=relay.test,127.0.0.1"),
        QStringLiteral("--mx-host=fake.test,mx.fake.test,10"),
        QStringLiteral("--host-record=mx.fake.test,127.0.0.3"),
    };
    if (::geteuid() == 0)
        args.append(QStringLiteral("--user=root"));
    m_dnsmasq = std::make_unique<QProcess>();
    m_dnsmasq->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_dnsmasq->setStandardOutputFile(QProcess::nullDevice());
    m_dnsmasq->start(dnsmasqPath, args);
    QVERIFY(m_dnsmasq->waitForStarted(5000));

    dns::Options o;
    o.nameserver = QStringLiteral("127.0.0.1:%1").arg(m_dnsPort);
    o.timeoutMs = 1000;
    o.tries = 2;
    o.cacheEntries = 0;
    m_resolver = std::make_unique<dns::Resolver>(o);
    QVERIFY(m_resolver->init().ok());
    bool answered = false;
    for (int i = 0; i < 50 && !answered; ++i) {
        std::optional<dns::Rcode> rcode;
        m_resolver->lookupA(
            QStringLiteral("mx.good.test"), [&](const dns::Reply<QHostAddress> &r) { rcode = r.rcode; });
        QVERIFY(QTest::qWaitFor([&] { return rcode.has_value(); }, 5000));
        answered = *rcode == dns::Rcode::Ok;
        if (!answered)
            QTest::qWait(100);
    }
    QVERIFY2(answered, "dnsmasq does not answer");

    m_mxPort = freePort();
    m_relayPort = freePort();
    m_plainPort = freePort();
    m_mxDir = m_tmp.filePath(QStringLiteral("mx"));
    m_relayDir = m_tmp.filePath(QStringLiteral("relay"));
    m_plainDir = m_tmp.filePath(QStringLiteral("plain"));
    m_mx = startSmtpd(m_mxPort, m_mxDir, { QStringLiteral("--starttls"), QStringLiteral("--pipelining") });
    QVERIFY(m_mx);
    m_relay = startSmtpd(m_relayPort, m_relayDir,
        { QStringLiteral("--starttls"), QStringLiteral("--auth"), QStringLiteral("relayuser:") + relayPassword });
    QVERIFY(m_relay);
    m_plain = startSmtpd(m_plainPort, m_plainDir, { QStringLiteral("--smtputf8") });
    QVERIFY(m_plain);
}

void TestRemoteDelivery::cleanupTestCase()
{
    m_resolver.reset();
    for (auto *p : { m_mx.get(), m_relay.get(), m_plain.get(), m_dnsmasq.get() }) {
        if (p) {
            p->terminate();
            p->waitForFinished(5000);
        }
    }
    if (g_previousHandler)
        qInstallMessageHandler(g_previousHandler);
}

void TestRemoteDelivery::init()
{
    g_log.clear();
    for (const QString &dir : { m_mxDir, m_relayDir, m_plainDir }) {
        QDir d(dir);
        for (const QString &f : d.entryList({ QStringLiteral("*.eml"), QStringLiteral("*.json") }, QDir::Files))
            d.remove(f);
    }
}

RemoteOptions TestRemoteDelivery::options() const
{
    RemoteOptions o;
    o.heloName = QStringLiteral("client.test");
    o.port = m_mxPort;
    o.connectTimeoutSecs = 5;
    o.commandTimeoutSecs = 10;
    o.dataTimeoutSecs = 10;
    return o;
}

queue::DeliveryJob TestRemoteDelivery::makeJob(
    const QString &domain, const QStringList &locals, const QByteArray &content)
{
    const int n = ++m_jobCounter;
    const QByteArray prefix = "Return-Path: <sender@client.test>\r\n";
    const QByteArray body = content.isEmpty()
        ? QByteArray("From: sender@client.test\r\nSubject: test %1\r\n\r\nHello.\r\n")
              .replace("%1", QByteArray::number(n))
        : content;
    const QString path = m_tmp.filePath(QStringLiteral("msg%1.eml").arg(n));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(prefix + body) != prefix.size() + body.size())
        qFatal("cannot write the test message");
    f.close();
    queue::DeliveryJob job;
    job.messageId = n;
    job.queueId = QStringLiteral("QTEST%1").arg(n);
    job.sender = QStringLiteral("sender@client.test");
    job.contentPath = path;
    job.contentOffset = prefix.size();
    job.size = body.size();
    job.domain = domain;
    for (int i = 0; i < locals.size(); ++i) {
        queue::Recipient r;
        r.id = n * 100 + i;
        r.address = locals.at(i) + u'@' + domain;
        job.recipients.append(r);
    }
    return job;
}

std::optional<QList<queue::RecipientResult>> TestRemoteDelivery::run(
    RemoteDelivery &agent, const queue::DeliveryJob &job)
{
    std::optional<QList<queue::RecipientResult>> results;
    int calls = 0;
    agent.deliver(job, [&](const QList<queue::RecipientResult> &r) {
        ++calls;
        results = r;
    });
    if (!QTest::qWaitFor([&] { return results.has_value(); }, 60000))
        return std::nullopt;
    QTest::qWait(50); // a second call would show up here
    if (calls != 1)
        return std::nullopt;
    return results;
}

QList<Received> TestRemoteDelivery::received(const QString &maildir) const
{
    QDir d(maildir);
    QStringList names = d.entryList({ QStringLiteral("*.eml") }, QDir::Files);
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        return a.section(u'.', 0, 0).toInt() < b.section(u'.', 0, 0).toInt();
    });
    QList<Received> out;
    for (const QString &name : std::as_const(names)) {
        QFile eml(d.filePath(name));
        QFile json(d.filePath(name.section(u'.', 0, 0) + QStringLiteral(".json")));
        if (!eml.open(QIODevice::ReadOnly) || !json.open(QIODevice::ReadOnly))
            continue;
        out.append(Received { eml.readAll(), QJsonDocument::fromJson(json.readAll()).object() });
    }
    return out;
}

void TestRemoteDelivery::perRecipientResults()
{
    RemoteDelivery agent(*m_resolver, options());
    const auto job = makeJob(
        QStringLiteral("good.test"), { QStringLiteral("ok"), QStringLiteral("defer"), QStringLiteral("reject") });
    const auto results = run(agent, job);
    QVERIFY(results);
    QCOMPARE(results->size(), 3);
    const QString mta = QStringLiteral("mx.good.test [127.0.0.1]");

    QCOMPARE(results->at(0).recipientId, job.recipients.at(0).id);
    QCOMPARE(results->at(0).outcome, Outcome::Delivered);
    QCOMPARE(results->at(0).status, QStringLiteral("2.0.0"));
    QVERIFY2(results->at(0).diagnostic.startsWith(QLatin1String("smtp; 250 2.0.0 Queued as")),
        qPrintable(results->at(0).diagnostic));
    QCOMPARE(results->at(0).remoteMta, mta);

    QCOMPARE(results->at(1).recipientId, job.recipients.at(1).id);
    QCOMPARE(results->at(1).outcome, Outcome::Deferred);
    QCOMPARE(results->at(1).status, QStringLiteral("4.2.0"));
    QCOMPARE(results->at(1).diagnostic, QStringLiteral("smtp; 451 4.2.0 Mailbox busy, try later"));
    QCOMPARE(results->at(1).remoteMta, mta);

    QCOMPARE(results->at(2).recipientId, job.recipients.at(2).id);
    QCOMPARE(results->at(2).outcome, Outcome::Failed);
    QCOMPARE(results->at(2).status, QStringLiteral("5.1.1"));
    QCOMPARE(results->at(2).diagnostic, QStringLiteral("smtp; 550 5.1.1 No such user here"));

    const QList<Received> got = received(m_mxDir);
    QCOMPARE(got.size(), 1);
    QCOMPARE(got.first().envelope.value(QStringLiteral("from")).toString(), QStringLiteral("sender@client.test"));
    QCOMPARE(got.first().envelope.value(QStringLiteral("to")).toVariant().toStringList(),
        QStringList { QStringLiteral("ok@good.test") });
    QVERIFY(got.first().envelope.value(QStringLiteral("tls")).toBool()); // opportunistic STARTTLS
    QVERIFY(got.first()
                .envelope.value(QStringLiteral("mail_options"))
                .toVariant()
                .toStringList()
                .contains(QStringLiteral("SIZE=%1").arg(job.size)));
    QVERIFY(!got.first().content.contains("Return-Path")); // contentOffset skipped it
    // The TLS result is logged: protocol, cipher and why the certificate did not verify.
    const QStringList tlsLines = g_log.filter(QStringLiteral("TLS with mx.good.test"));
    QVERIFY2(!tlsLines.isEmpty(), qPrintable(g_log.join(u'\n')));
    QVERIFY2(tlsLines.first().contains(QLatin1String("not verified")), qPrintable(tlsLines.first()));
}

void TestRemoteDelivery::dotStuffingAndLineEnds()
{
    RemoteDelivery agent(*m_resolver, options());
    QByteArray content = "From: sender@client.test\r\nSubject: dots\r\n\r\n"
                         ".\r\n..two\r\n.leading\r\nbare lf\n.after bare lf\nmiddle . dot\r\n";
    // A big body crosses many 64 KiB chunks with lines that start with dots.
    for (int i = 0; i < 20000; ++i)
        content += "." + QByteArray::number(i) + " line of the big part of the message\r\n";
    content += "last line without newline";
    const auto job = makeJob(QStringLiteral("good.test"), { QStringLiteral("ok") }, content);
    const auto results = run(agent, job);
    QVERIFY(results);
    QCOMPARE(results->first().outcome, Outcome::Delivered);
    const QList<Received> got = received(m_mxDir);
    QCOMPARE(got.size(), 1);
    QByteArray expected = content;
    expected.replace("bare lf\n.after bare lf\n", "bare lf\r\n.after bare lf\r\n");
    expected += "\r\n";
    QCOMPARE(got.first().content.size(), expected.size());
    QVERIFY(got.first().content == expected);
}

void TestRemoteDelivery::mxPreferenceFallback()
{
    RemoteDelivery agent(*m_resolver, options());
    const auto results = run(agent, makeJob(QStringLiteral("multi.test"), { QStringLiteral("ok") }));
    QVERIFY(results);
    QCOMPARE(results->first().outcome, Outcome::Delivered);
    QCOMPARE(results->first().remoteMta, QStringLiteral("mxb.multi.test [127.0.0.1]"));
    // mxa (preference 10) was tried first and refused the connection.
    QVERIFY2(!g_log.filter(QStringLiteral("mxa.multi.test [127.0.0.2]")).isEmpty(), qPrintable(g_log.join(u'\n')));
    QCOMPARE(received(m_mxDir).size(), 1);
}

void TestRemoteDelivery::implicitMx()
{
    RemoteDelivery agent(*m_resolver, options());
    const auto results = run(agent, makeJob(QStringLiteral("implicit.test"), { QStringLiteral("ok") }));
    QVERIFY(results);
    QCOMPARE(results->first().outcome, Outcome::Delivered);
    QCOMPARE(results->first().remoteMta, QStringLiteral("implicit.test [127.0.0.1]"));
}

void TestRemoteDelivery::nullMx()
{
    RemoteDelivery agent(*m_resolver, options());
    const auto results
        = run(agent, makeJob(QStringLiteral("nullmx.test"), { QStringLiteral("a"), QStringLiteral("b") }));
    QVERIFY(results);
    QCOMPARE(results->size(), 2);
    for (const auto &r : *results) {
        QCOMPARE(r.outcome, Outcome::Failed);
        QCOMPARE(r.status, QStringLiteral("5.1.10"));
        QCOMPARE(r.diagnostic, QStringLiteral("smtp; 556 5.1.10 Recipient address has null MX"));
    }
}

void TestRemoteDelivery::nxDomain()
{
    RemoteDelivery agent(*m_resolver, options());
    const auto results = run(agent, makeJob(QStringLiteral("nothere.test"), { QStringLiteral("a") }));
    QVERIFY(results);
    QCOMPARE(results->first().outcome, Outcome::Failed);
    QCOMPARE(results->first().status, QStringLiteral("5.1.2"));
    QVERIFY(results->first().diagnostic.contains(QLatin1String("does not exist")));
}

void TestRemoteDelivery::allHostsDown()
{
    RemoteDelivery agent(*m_resolver, options());
    const auto results = run(agent, makeJob(QStringLiteral("dead.test"), { QStringLiteral("a") }));
    QVERIFY(results);
    QCOMPARE(results->first().outcome, Outcome::Deferred);
    QCOMPARE(results->first().status, QStringLiteral("4.4.1"));
    QVERIFY2(results->first().diagnostic.contains(QLatin1String("mx.dead.test [127.0.0.2]")),
        qPrintable(results->first().diagnostic));
}

void TestRemoteDelivery::smtpUtf8Missing()
{
    RemoteDelivery agent(*m_resolver, options());
    auto job = makeJob(QStringLiteral("good.test"), { QStringLiteral("ok") });
    job.smtpUtf8 = true; // aiosmtpd here does not offer SMTPUTF8
    const auto results = run(agent, job);
    QVERIFY(results);
    QCOMPARE(results->first().outcome, Outcome::Failed);
    QCOMPARE(results->first().status, QStringLiteral("5.6.7"));
    QCOMPARE(received(m_mxDir).size(), 0);
}

void TestRemoteDelivery::smarthostAuth_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("delivered");
    QTest::newRow("right password") << relayPassword << true;
    QTest::newRow("wrong password") << QStringLiteral("wrong-%1").arg(relayPassword) << false;
}

void TestRemoteDelivery::smarthostAuth()
{
    QFETCH(QString, password);
    QFETCH(bool, delivered);
    RemoteOptions o = options();
    o.relayHost = QStringLiteral("relay.test:%1").arg(m_relayPort);
    o.relayTls = RemoteOptions::RelayTls::StartTls;
    o.relayUsername = QStringLiteral("relayuser");
    o.relayPassword = password;
    RemoteDelivery agent(*m_resolver, o);
    // Any domain goes to the smarthost, even one that does not exist.
    const auto results = run(agent, makeJob(QStringLiteral("nothere.test"), { QStringLiteral("ok") }));
    QVERIFY(results);
    const QList<Received> got = received(m_relayDir);
    if (delivered) {
        QCOMPARE(results->first().outcome, Outcome::Delivered);
        QCOMPARE(results->first().remoteMta, QStringLiteral("relay.test [127.0.0.1]"));
        QCOMPARE(got.size(), 1);
        QVERIFY(got.first().envelope.value(QStringLiteral("tls")).toBool());
        QVERIFY(got.first().envelope.value(QStringLiteral("authenticated")).toBool());
    } else {
        QCOMPARE(results->first().outcome, Outcome::Deferred);
        QCOMPARE(results->first().status, QStringLiteral("4.7.8"));
        QVERIFY2(results->first().diagnostic.startsWith(QLatin1String("smtp; 535")),
            qPrintable(results->first().diagnostic));
        QCOMPARE(got.size(), 0);
    }
    QVERIFY(!g_log.isEmpty());
    const QString log = g_log.join(u'\n');
    QVERIFY(!log.contains(password));
    QVERIFY(!log.contains(QString::fromLatin1(password.toUtf8().toBase64())));
    QVERIFY(!log.contains(QString::fromLatin1(QByteArray("\0relayuser\0", 11).append(password.toUtf8()).toBase64())));
    QVERIFY(!results->first().diagnostic.contains(password));
}

void TestRemoteDelivery::smarthostWithoutStartTls()
{
    RemoteOptions o = options();
    o.relayHost = QStringLiteral("127.0.0.1:%1").arg(m_plainPort);
    o.relayTls = RemoteOptions::RelayTls::StartTls;
    o.relayUsername = QStringLiteral("relayuser");
    o.relayPassword = relayPassword;
    RemoteDelivery agent(*m_resolver, o);
    const auto results = run(agent, makeJob(QStringLiteral("good.test"), { QStringLiteral("ok") }));
    QVERIFY(results);
    QCOMPARE(results->first().outcome, Outcome::Deferred);
    QCOMPARE(results->first().status, QStringLiteral("4.7.0"));
    QCOMPARE(received(m_plainDir).size(), 0);

    // relay.tls = none, no credentials: plain SMTP without PIPELINING works.
    o.relayTls = RemoteOptions::RelayTls::None;
    o.relayUsername.clear();
    o.relayPassword.clear();
    agent.setOptions(o);
    const auto plain
        = run(agent, makeJob(QStringLiteral("good.test"), { QStringLiteral("ok"), QStringLiteral("reject") }));
    QVERIFY(plain);
    QCOMPARE(plain->at(0).outcome, Outcome::Delivered);
    QCOMPARE(plain->at(1).outcome, Outcome::Failed);
    QCOMPARE(received(m_plainDir).size(), 1);
}

void TestRemoteDelivery::connectionCapAndReuse()
{
    RemoteOptions o = options();
    o.maxConnectionsPerDomain = 1;
    RemoteDelivery agent(*m_resolver, o);
    std::optional<QList<queue::RecipientResult>> first, second;
    agent.deliver(makeJob(QStringLiteral("good.test"), { QStringLiteral("one") }),
        [&](const QList<queue::RecipientResult> &r) { first = r; });
    agent.deliver(makeJob(QStringLiteral("good.test"), { QStringLiteral("two") }),
        [&](const QList<queue::RecipientResult> &r) { second = r; });
    QCOMPARE(agent.activeJobs(), 1);
    QCOMPARE(agent.waitingJobs(), 1);
    QVERIFY(QTest::qWaitFor([&] { return first && second; }, 60000));
    QCOMPARE(first->first().outcome, Outcome::Delivered);
    QCOMPARE(second->first().outcome, Outcome::Delivered);
    QCOMPARE(agent.idleConnections(), 1);
    const QList<Received> got = received(m_mxDir);
    QCOMPARE(got.size(), 2);
    // One connection carried both messages (RSET, then MAIL).
    QCOMPARE(got.at(0).envelope.value(QStringLiteral("peer")), got.at(1).envelope.value(QStringLiteral("peer")));
}

void TestRemoteDelivery::failedHandshakeRetriesInClearWithDsn()
{
    ScriptedServer fake;
    // Same port as the MX server, other loopback address (MX hosts share delivery.port).
    QVERIFY(fake.listen(QHostAddress(QStringLiteral("127.0.0.3")), m_mxPort));
    RemoteDelivery agent(*m_resolver, options());
    auto job = makeJob(QStringLiteral("fake.test"), { QStringLiteral("ok") });
    job.envid = QStringLiteral("env 1+x=");
    job.recipients[0].notify = queue::NotifySuccess | queue::NotifyFailure;
    job.recipients[0].originalRecipient = QStringLiteral("rfc822;Orig@Example.test");
    const auto results = run(agent, job);
    QVERIFY(results);
    QCOMPARE(results->first().outcome, Outcome::Delivered);
    QCOMPARE(results->first().remoteMta, QStringLiteral("mx.fake.test [127.0.0.3]"));
    QCOMPARE(fake.connections, 2);
    QCOMPARE(fake.lines.count("STARTTLS"), 1); // not again on the retry
    QVERIFY2(!g_log.filter(QStringLiteral("retrying without TLS")).isEmpty(), qPrintable(g_log.join(u'\n')));
    QVERIFY2(
        fake.lines.contains("MAIL FROM:<sender@client.test> ENVID=env+201+2Bx+3D"), fake.lines.join(" | ").constData());
    QVERIFY(fake.lines.contains("RCPT TO:<ok@fake.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Orig@Example.test"));
}

void TestRemoteDelivery::silentServerTimesOut()
{
    FakeServer silent { QByteArray() };
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    RemoteOptions o = options();
    o.relayHost = QStringLiteral("127.0.0.1:%1").arg(silent.serverPort());
    o.relayTls = RemoteOptions::RelayTls::None;
    o.commandTimeoutSecs = 1;
    RemoteDelivery agent(*m_resolver, o);
    const auto results = run(agent, makeJob(QStringLiteral("good.test"), { QStringLiteral("ok") }));
    QVERIFY(results);
    QCOMPARE(results->first().outcome, Outcome::Deferred);
    QCOMPARE(results->first().status, QStringLiteral("4.4.1"));
    QVERIFY2(results->first().diagnostic.contains(QLatin1String("timed out")), qPrintable(results->first().diagnostic));
}

void TestRemoteDelivery::oversizeReply()
{
    FakeServer chatty { "220-" + QByteArray(5000, 'x') + "\r\n220 hi\r\n" };
    QVERIFY(chatty.listen(QHostAddress::LocalHost, 0));
    RemoteOptions o = options();
    o.relayHost = QStringLiteral("127.0.0.1:%1").arg(chatty.serverPort());
    o.relayTls = RemoteOptions::RelayTls::None;
    RemoteDelivery agent(*m_resolver, o);
    const auto results = run(agent, makeJob(QStringLiteral("good.test"), { QStringLiteral("ok") }));
    QVERIFY(results);
    QCOMPARE(results->first().outcome, Outcome::Deferred);
    QVERIFY2(
        results->first().diagnostic.contains(QLatin1String("protocol error")), qPrintable(results->first().diagnostic));
}

void TestRemoteDelivery::shutdownDefersPending()
{
    RemoteOptions o = options();
    o.maxConnectionsPerDomain = 1;
    RemoteDelivery agent(*m_resolver, o);
    QList<QList<queue::RecipientResult>> all;
    for (int i = 0; i < 2; ++i)
        agent.deliver(makeJob(QStringLiteral("good.test"), { QStringLiteral("ok") }),
            [&](const QList<queue::RecipientResult> &r) { all.append(r); });
    agent.shutdown();
    QCOMPARE(all.size(), 2); // shutdown() hands every result back before it returns
    for (const auto &r : std::as_const(all)) {
        QCOMPARE(r.size(), 1);
        QCOMPARE(r.first().outcome, Outcome::Deferred);
        QCOMPARE(r.first().status, QStringLiteral("4.3.2"));
    }
    std::optional<QList<queue::RecipientResult>> late;
    agent.deliver(makeJob(QStringLiteral("good.test"), { QStringLiteral("ok") }),
        [&](const QList<queue::RecipientResult> &r) { late = r; });
    QVERIFY(!late); // never inside deliver()
    QVERIFY(QTest::qWaitFor([&] { return late.has_value(); }, 5000));
    QCOMPARE(late->first().status, QStringLiteral("4.3.2"));
}

QTEST_GUILESS_MAIN(TestRemoteDelivery)
#include "tst_remotedelivery.moc"
