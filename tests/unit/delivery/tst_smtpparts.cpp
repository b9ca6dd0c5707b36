// The pure parts of outbound delivery: dot-stuffing and CRLF repair of the
// message (RFC 5321 §4.5.2, §2.3.8), EHLO keywords (RFC 5321 §4.1.1.1), MX
// ordering with implicit and null MX (RFC 5321 §5.1, RFC 7505), the
// smarthost setting, and xtext (RFC 3461 §4). The stuffer is also fed byte
// by byte (STYLE rule 14).
// Trust level: test code.
#include <QTest>

#include "delivery/remote/bodywriter.h"
#include "delivery/remote/capabilities.h"
#include "delivery/remote/mxplan.h"
#include "delivery/remote/transaction.h"

using namespace mailroom;
using namespace mailroom::delivery;

class TestSmtpParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dotStuffing_data();
    void dotStuffing();
    void capabilities();
    void heloOnly();
    void mxOrder();
    void mxKinds_data();
    void mxKinds();
    void hostPort_data();
    void hostPort();
    void xtextEncoding();
};

void TestSmtpParts::dotStuffing_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("output");
    QTest::newRow("empty") << QByteArray() << QByteArray(".\r\n");
    QTest::newRow("one line") << QByteArray("a\r\n") << QByteArray("a\r\n.\r\n");
    QTest::newRow("no final newline") << QByteArray("a") << QByteArray("a\r\n.\r\n");
    QTest::newRow("leading dots") << QByteArray(".\r\n..x\r\n.y\r\nz.\r\n")
                                  << QByteArray("..\r\n...x\r\n..y\r\nz.\r\n.\r\n");
    QTest::newRow("first byte dot") << QByteArray(".") << QByteArray("..\r\n.\r\n");
    QTest::newRow("bare LF") << QByteArray("a\nb\n") << QByteArray("a\r\nb\r\n.\r\n");
    QTest::newRow("bare LF then dot") << QByteArray("a\n.\n") << QByteArray("a\r\n..\r\n.\r\n");
    QTest::newRow("bare CR") << QByteArray("a\rb") << QByteArray("a\r\nb\r\n.\r\n");
    QTest::newRow("CR at end") << QByteArray("a\r") << QByteArray("a\r\n.\r\n");
    QTest::newRow("CR CR LF") << QByteArray("a\r\r\n") << QByteArray("a\r\n\r\n.\r\n");
    QTest::newRow("smuggling attempt") << QByteArray("x\n.\r\nMAIL FROM:<a@b>\r\n")
                                       << QByteArray("x\r\n..\r\nMAIL FROM:<a@b>\r\n.\r\n");
    QTest::newRow("blank lines") << QByteArray("\r\n\r\n") << QByteArray("\r\n\r\n.\r\n");
}

void TestSmtpParts::dotStuffing()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, output);
    DotStuffer whole;
    QByteArray all = whole.feed(input);
    all += whole.finish();
    QCOMPARE(all, output);
    DotStuffer bytes;
    QByteArray out;
    for (const char c : input)
        out += bytes.feed(QByteArrayView(&c, 1));
    out += bytes.finish();
    QCOMPARE(out, output);
}

void TestSmtpParts::capabilities()
{
    SmtpReply r;
    r.code = 250;
    r.lines = QStringList { QStringLiteral("mx.example.com greets you"), QStringLiteral("PIPELINING"),
        QStringLiteral("SIZE 10240000"), QStringLiteral("8bitmime"), QStringLiteral("SMTPUTF8"), QStringLiteral("DSN"),
        QStringLiteral("STARTTLS"), QStringLiteral("ENHANCEDSTATUSCODES"), QStringLiteral("AUTH PLAIN login"),
        QStringLiteral("AUTH=CRAM-MD5 PLAIN"), QStringLiteral("X-UNKNOWN 1 2") };
    const Capabilities c = Capabilities::fromEhlo(r);
    QVERIFY(c.esmtp);
    QVERIFY(c.pipelining);
    QVERIFY(c.size);
    QCOMPARE(c.sizeLimit, 10240000);
    QVERIFY(c.eightBitMime);
    QVERIFY(c.smtpUtf8);
    QVERIFY(c.dsn);
    QVERIFY(c.startTls);
    QVERIFY(c.enhancedStatusCodes);
    QCOMPARE(c.authMechanisms,
        (QStringList { QStringLiteral("PLAIN"), QStringLiteral("LOGIN"), QStringLiteral("CRAM-MD5") }));

    // The greeting line is not a keyword; SIZE without a number has no limit.
    r.lines = QStringList { QStringLiteral("STARTTLS"), QStringLiteral("SIZE") };
    const Capabilities d = Capabilities::fromEhlo(r);
    QVERIFY(!d.startTls);
    QVERIFY(d.size);
    QCOMPARE(d.sizeLimit, 0);
}

void TestSmtpParts::heloOnly()
{
    const Capabilities c;
    QVERIFY(!c.esmtp);
    QVERIFY(!c.pipelining);
    QVERIFY(c.authMechanisms.isEmpty());
}

void TestSmtpParts::mxOrder()
{
    dns::Reply<dns::MxRecord> reply;
    reply.rcode = dns::Rcode::Ok;
    reply.records = { { 20, QStringLiteral("b1.example") }, { 10, QStringLiteral("a.example") },
        { 20, QStringLiteral("b2.example") }, { 30, QStringLiteral("c.example") },
        { 20, QStringLiteral("B1.example") } };
    QSet<QString> secondPlaces;
    QRandomGenerator random(42);
    for (int i = 0; i < 50; ++i) {
        const MxPlan plan = planMx(QStringLiteral("example"), reply, random);
        QCOMPARE(plan.kind, MxPlan::Kind::Hosts);
        QCOMPARE(plan.hosts.size(), 4); // B1 and b1 are one host
        QCOMPARE(plan.hosts.first(), QStringLiteral("a.example"));
        QCOMPARE(plan.hosts.last(), QStringLiteral("c.example"));
        secondPlaces.insert(plan.hosts.at(1));
    }
    // Equal preferences come in random order.
    QCOMPARE(secondPlaces, (QSet<QString> { QStringLiteral("b1.example"), QStringLiteral("b2.example") }));
}

void TestSmtpParts::mxKinds_data()
{
    QTest::addColumn<int>("rcode");
    QTest::addColumn<QStringList>("exchanges");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QStringList>("hosts");
    const QStringList self { QStringLiteral("example.org") };
    QTest::newRow("no MX: implicit") << int(dns::Rcode::NoData) << QStringList() << int(MxPlan::Kind::Hosts) << self;
    QTest::newRow("empty answer: implicit") << int(dns::Rcode::Ok) << QStringList() << int(MxPlan::Kind::Hosts) << self;
    QTest::newRow("null MX") << int(dns::Rcode::Ok) << QStringList { QString() } << int(MxPlan::Kind::NullMx)
                             << QStringList();
    QTest::newRow("null MX among others")
        << int(dns::Rcode::Ok) << QStringList { QString(), QStringLiteral("mx.example.org") }
        << int(MxPlan::Kind::Hosts) << QStringList { QStringLiteral("mx.example.org") };
    QTest::newRow("nxdomain") << int(dns::Rcode::NxDomain) << QStringList() << int(MxPlan::Kind::NoDomain)
                              << QStringList();
    QTest::newRow("tempfail") << int(dns::Rcode::TempFail) << QStringList() << int(MxPlan::Kind::TempFail)
                              << QStringList();
    QTest::newRow("malformed") << int(dns::Rcode::Malformed) << QStringList() << int(MxPlan::Kind::TempFail)
                               << QStringList();
}

void TestSmtpParts::mxKinds()
{
    QFETCH(int, rcode);
    QFETCH(QStringList, exchanges);
    QFETCH(int, kind);
    QFETCH(QStringList, hosts);
    dns::Reply<dns::MxRecord> reply;
    reply.rcode = static_cast<dns::Rcode>(rcode);
    for (const QString &e : exchanges)
        reply.records.append({ 10, e });
    QRandomGenerator random(1);
    const MxPlan plan = planMx(QStringLiteral("example.org"), reply, random);
    QCOMPARE(int(plan.kind), kind);
    QCOMPARE(plan.hosts, hosts);
}

void TestSmtpParts::hostPort_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::newRow("host") << QStringLiteral("smtp.example.com") << true << QStringLiteral("smtp.example.com") << 587;
    QTest::newRow("host:port") << QStringLiteral("smtp.example.com:2525") << true << QStringLiteral("smtp.example.com")
                               << 2525;
    QTest::newRow("v4:port") << QStringLiteral("192.0.2.1:25") << true << QStringLiteral("192.0.2.1") << 25;
    QTest::newRow("[v6]:port") << QStringLiteral("[2001:db8::1]:465") << true << QStringLiteral("2001:db8::1") << 465;
    QTest::newRow("[v6]") << QStringLiteral("[2001:db8::1]") << true << QStringLiteral("2001:db8::1") << 587;
    QTest::newRow("bare v6") << QStringLiteral("2001:db8::1") << true << QStringLiteral("2001:db8::1") << 587;
    QTest::newRow("empty port") << QStringLiteral("host:") << false << QString() << 0;
    QTest::newRow("port 0") << QStringLiteral("host:0") << false << QString() << 0;
    QTest::newRow("port too big") << QStringLiteral("host:65536") << false << QString() << 0;
    QTest::newRow("port text") << QStringLiteral("host:smtp") << false << QString() << 0;
    QTest::newRow("unclosed bracket") << QStringLiteral("[2001:db8::1") << false << QString() << 0;
    QTest::newRow("bad v6") << QStringLiteral("2001:zz::1") << false << QString() << 0;
    QTest::newRow("space") << QStringLiteral("a b") << false << QString() << 0;
}

void TestSmtpParts::hostPort()
{
    QFETCH(QString, value);
    QFETCH(bool, valid);
    QFETCH(QString, host);
    QFETCH(int, port);
    const auto hp = parseHostPort(value, 587);
    QCOMPARE(hp.has_value(), valid);
    if (hp) {
        QCOMPARE(hp->host, host);
        QCOMPARE(int(hp->port), port);
    }
}

void TestSmtpParts::xtextEncoding()
{
    QCOMPARE(xtext("user@example.com"), QByteArray("user@example.com"));
    QCOMPARE(xtext("a+b=c d"), QByteArray("a+2Bb+3Dc+20d"));
    QCOMPARE(xtext("\xc3\xa9"), QByteArray("+C3+A9"));
}

QTEST_APPLESS_MAIN(TestSmtpParts)
#include "tst_smtpparts.moc"
