// Resolver against a real dnsmasq on a loopback high port: MX order and null
// MX (RFC 7505), A/AAAA (RFC 3596), TXT with split strings and TCP fallback,
// PTR v4/v6, NXDOMAIN, NODATA, REFUSED, timeouts, the cache, destruction with
// queries pending and bad option strings.
// Trust level: test code; it may wait with QTest::qWaitFor, the engine may not.
#include <optional>
#include <unistd.h>

#include <QElapsedTimer>
#include <QHostAddress>
#include <QPointer>
#include <QProcess>
#include <QTcpServer>
#include <QTest>
#include <QUdpSocket>

#include "dns/resolver.h"

using namespace mailroom;
using namespace mailroom::dns;

Q_DECLARE_METATYPE(mailroom::dns::Rcode)

namespace
{

const QString dnsmasqPath = QStringLiteral("/usr/sbin/dnsmasq");

QByteArray repeated(char c, int n)
{
    return QByteArray(n, c);
}

// One TXT record of 300 octets in two character-strings (a string holds 255 at most).
const QByteArray longTxtA = repeated('x', 200);
const QByteArray longTxtB = repeated('y', 100);
// Three records of 400 octets: the answer exceeds 512 octets, so c-ares has to
// retry over TCP after the truncated UDP answer.
const QByteArray bigTxt[3] = { repeated('a', 400), repeated('b', 400), repeated('c', 400) };

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

template<class T> struct Waited {
    std::optional<Reply<T>> reply;
    bool synchronous = false;
};

// Starts a lookup through `start(callback)` and waits for its answer.
template<class T, class Start> Waited<T> await(Start start, int timeoutMs = 15000)
{
    Waited<T> w;
    start([&w](const Reply<T> &r) { w.reply = r; });
    w.synchronous = w.reply.has_value();
    (void)QTest::qWaitFor([&w] { return w.reply.has_value(); }, timeoutMs); // the caller checks w.reply
    return w;
}

} // namespace

class TestResolver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void mx_data();
    void mx();
    void address_data();
    void address();
    void txt_data();
    void txt();
    void ptr_data();
    void ptr();
    void badName_data();
    void badName();
    void callbacksAreAsynchronous();
    void notInitialised();
    void timeout_data();
    void timeout();
    void cache();
    void cacheBounded();
    void destroyWithPending();
    void deleteLaterFromCallback();
    void nameserverStrings_data();
    void nameserverStrings();
    void badOptions();

private:
    std::unique_ptr<QProcess> startDnsmasq(quint16 port);
    std::unique_ptr<Resolver> makeResolver(quint16 port, int timeoutMs = 2000, int tries = 2);

    std::unique_ptr<QProcess> m_dnsmasq;
    quint16 m_port = 0;
};

std::unique_ptr<QProcess> TestResolver::startDnsmasq(quint16 port)
{
    QStringList args = {
        QStringLiteral("--keep-in-foreground"),
        QStringLiteral("--conf-file=/dev/null"),
        QStringLiteral("--no-resolv"),
        QStringLiteral("--no-hosts"),
        QStringLiteral("--listen-address=127.0.0.1"),
        QStringLiteral("--bind-interfaces"),
        QStringLiteral("--port=%1").arg(port),
        QStringLiteral("--pid-file"), // none
        QStringLiteral("--log-facility=-"),
        QStringLiteral("--local=/test/"), // unknown names under .test: NXDOMAIN, not forwarded
        QStringLiteral("--local-ttl=300"),
        QStringLiteral("--mx-host=example.test,mx2.example.test,20"),
        QStringLiteral("--mx-host=example.test,mx1.example.test,10"),
        QStringLiteral("--mx-host=example.test,mx0.example.test,30"),
        QStringLiteral("--mx-host=upper.example.test,MX.Upper.Example.TEST,5"),
        QStringLiteral("--dns-rr=nullmx.example.test,15,000000"), // preference 0, exchange "."
        QStringLiteral("--host-record=mx1.example.test,127.0.0.1,::1"),
        QStringLiteral("--host-record=mx2.example.test,127.0.0.2"),
        QStringLiteral("--txt-record=example.test,v=spf1 -all"),
        QStringLiteral("--txt-record=long.example.test,%1,%2")
            .arg(QString::fromLatin1(longTxtA), QString::fromLatin1(longTxtB)),
        QStringLiteral("--txt-record=multi.example.test,one"),
        QStringLiteral("--txt-record=multi.example.test,two"),
        QStringLiteral("--ptr-record=7.2.0.192.in-addr.arpa,ptr.example.test"),
    };
    for (const QByteArray &t : bigTxt)
        args.append(QStringLiteral("--txt-record=big.example.test,%1,%2")
                        .arg(QString::fromLatin1(t.left(200)), QString::fromLatin1(t.mid(200))));
    if (::geteuid() == 0)
        args.append(QStringLiteral("--user=root")); // do not drop to nobody in the test container
    auto proc = std::make_unique<QProcess>();
    proc->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    proc->setStandardOutputFile(QProcess::nullDevice());
    proc->start(dnsmasqPath, args);
    if (!proc->waitForStarted(5000))
        return nullptr;
    // Ready when it answers.
    auto probe = makeResolver(port, 200, 1);
    for (int i = 0; i < 50 && proc->state() == QProcess::Running; ++i) {
        const auto w
            = await<QHostAddress>([&](auto cb) { probe->lookupA(QStringLiteral("mx1.example.test"), cb); }, 2000);
        if (w.reply && w.reply->rcode == Rcode::Ok)
            return proc;
        QTest::qWait(100);
    }
    return nullptr;
}

std::unique_ptr<Resolver> TestResolver::makeResolver(quint16 port, int timeoutMs, int tries)
{
    Options o;
    o.nameserver = QStringLiteral("127.0.0.1:%1").arg(port);
    o.timeoutMs = timeoutMs;
    o.tries = tries;
    auto r = std::make_unique<Resolver>(o);
    const Status st = r->init();
    if (!st.ok())
        qWarning() << st.error().message;
    return r;
}

void TestResolver::initTestCase()
{
    if (!QFile::exists(dnsmasqPath))
        QFAIL("dnsmasq (package dnsmasq-base) is not installed: run packaging/install-deps.sh");
    m_port = freePort();
    QVERIFY(m_port != 0);
    m_dnsmasq = startDnsmasq(m_port);
    QVERIFY2(m_dnsmasq, "dnsmasq did not start or does not answer");
}

void TestResolver::cleanupTestCase()
{
    if (m_dnsmasq) {
        m_dnsmasq->terminate();
        m_dnsmasq->waitForFinished(5000);
    }
}

void TestResolver::mx_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<Rcode>("rcode");
    QTest::addColumn<QStringList>("exchanges"); // "pref exchange"
    const QStringList example = { QStringLiteral("10 mx1.example.test"), QStringLiteral("20 mx2.example.test"),
        QStringLiteral("30 mx0.example.test") };
    QTest::newRow("ordered") << QStringLiteral("example.test") << Rcode::Ok << example;
    QTest::newRow("trailing dot") << QStringLiteral("example.test.") << Rcode::Ok << example;
    QTest::newRow("upper case") << QStringLiteral("EXAMPLE.Test") << Rcode::Ok << example;
    QTest::newRow("exchange lower-cased") << QStringLiteral("upper.example.test") << Rcode::Ok
                                          << QStringList { QStringLiteral("5 mx.upper.example.test") };
    QTest::newRow("null MX") << QStringLiteral("nullmx.example.test") << Rcode::Ok
                             << QStringList { QStringLiteral("0 ") };
    QTest::newRow("nodata") << QStringLiteral("mx1.example.test") << Rcode::NoData << QStringList();
    QTest::newRow("nxdomain") << QStringLiteral("nx.example.test") << Rcode::NxDomain << QStringList();
    QTest::newRow("refused") << QStringLiteral("outside.invalid") << Rcode::TempFail << QStringList();
}

void TestResolver::mx()
{
    QFETCH(QString, name);
    QFETCH(Rcode, rcode);
    QFETCH(QStringList, exchanges);
    auto r = makeResolver(m_port);
    const auto w = await<MxRecord>([&](auto cb) { r->lookupMx(name, cb); });
    QVERIFY(w.reply);
    QVERIFY(!w.synchronous);
    QCOMPARE(rcodeName(w.reply->rcode), rcodeName(rcode));
    QStringList got;
    for (const MxRecord &mx : w.reply->records)
        got.append(QString::number(mx.preference) + u' ' + mx.exchange);
    QCOMPARE(got, exchanges);
    if (rcode == Rcode::Ok)
        QVERIFY(w.reply->ttl > 0 && w.reply->ttl <= 300);
    if (rcode == Rcode::NoData || rcode == Rcode::NxDomain)
        QVERIFY(w.reply->ttl > 0);
    QCOMPARE(r->pending(), 0);
}

void TestResolver::address_data()
{
    QTest::addColumn<bool>("v6");
    QTest::addColumn<QString>("name");
    QTest::addColumn<Rcode>("rcode");
    QTest::addColumn<QStringList>("addresses");
    QTest::newRow("A") << false << QStringLiteral("mx1.example.test") << Rcode::Ok
                       << QStringList { QStringLiteral("127.0.0.1") };
    QTest::newRow("A upper, dot") << false << QStringLiteral("MX2.EXAMPLE.TEST.") << Rcode::Ok
                                  << QStringList { QStringLiteral("127.0.0.2") };
    QTest::newRow("AAAA") << true << QStringLiteral("mx1.example.test") << Rcode::Ok
                          << QStringList { QStringLiteral("::1") };
    QTest::newRow("AAAA nodata") << true << QStringLiteral("mx2.example.test") << Rcode::NoData << QStringList();
    QTest::newRow("A nodata") << false << QStringLiteral("example.test") << Rcode::NoData << QStringList();
    QTest::newRow("A nxdomain") << false << QStringLiteral("nothing.example.test") << Rcode::NxDomain << QStringList();
    QTest::newRow("AAAA nxdomain") << true << QStringLiteral("nothing.test") << Rcode::NxDomain << QStringList();
}

void TestResolver::address()
{
    QFETCH(bool, v6);
    QFETCH(QString, name);
    QFETCH(Rcode, rcode);
    QFETCH(QStringList, addresses);
    auto r = makeResolver(m_port);
    const auto w = await<QHostAddress>([&](auto cb) { v6 ? r->lookupAaaa(name, cb) : r->lookupA(name, cb); });
    QVERIFY(w.reply);
    QCOMPARE(rcodeName(w.reply->rcode), rcodeName(rcode));
    QStringList got;
    for (const QHostAddress &a : w.reply->records)
        got.append(a.toString());
    QCOMPARE(got, addresses);
    if (rcode == Rcode::Ok)
        QCOMPARE(w.reply->ttl, 300u);
}

void TestResolver::txt_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<Rcode>("rcode");
    QTest::addColumn<QList<QByteArray>>("records");
    QTest::newRow("spf") << QStringLiteral("example.test") << Rcode::Ok << QList<QByteArray> { "v=spf1 -all" };
    QTest::newRow("two strings, one record")
        << QStringLiteral("long.example.test") << Rcode::Ok << QList<QByteArray> { longTxtA + longTxtB };
    QTest::newRow("two records") << QStringLiteral("multi.example.test") << Rcode::Ok
                                 << QList<QByteArray> { "one", "two" };
    QTest::newRow("over 512 octets (TCP)")
        << QStringLiteral("big.example.test") << Rcode::Ok << QList<QByteArray> { bigTxt[0], bigTxt[1], bigTxt[2] };
    QTest::newRow("nodata") << QStringLiteral("mx2.example.test") << Rcode::NoData << QList<QByteArray>();
    QTest::newRow("nxdomain") << QStringLiteral("_dmarc.nx.test") << Rcode::NxDomain << QList<QByteArray>();
}

void TestResolver::txt()
{
    QFETCH(QString, name);
    QFETCH(Rcode, rcode);
    QFETCH(QList<QByteArray>, records);
    auto r = makeResolver(m_port);
    const auto w = await<QByteArray>([&](auto cb) { r->lookupTxt(name, cb); });
    QVERIFY(w.reply);
    QCOMPARE(rcodeName(w.reply->rcode), rcodeName(rcode));
    QList<QByteArray> got = w.reply->records;
    std::sort(got.begin(), got.end()); // RRset order is not defined
    std::sort(records.begin(), records.end());
    QCOMPARE(got, records);
}

void TestResolver::ptr_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<Rcode>("rcode");
    QTest::addColumn<QStringList>("names");
    QTest::newRow("v4 ptr-record") << QStringLiteral("192.0.2.7") << Rcode::Ok
                                   << QStringList { QStringLiteral("ptr.example.test") };
    QTest::newRow("v4 host-record") << QStringLiteral("127.0.0.1") << Rcode::Ok
                                    << QStringList { QStringLiteral("mx1.example.test") };
    QTest::newRow("v4-mapped v6") << QStringLiteral("::ffff:192.0.2.7") << Rcode::Ok
                                  << QStringList { QStringLiteral("ptr.example.test") };
    QTest::newRow("v6 host-record") << QStringLiteral("::1") << Rcode::Ok
                                    << QStringList { QStringLiteral("mx1.example.test") };
    QTest::newRow("null address") << QString() << Rcode::Malformed << QStringList();
}

void TestResolver::ptr()
{
    QFETCH(QString, address);
    QFETCH(Rcode, rcode);
    QFETCH(QStringList, names);
    auto r = makeResolver(m_port);
    const auto w = await<QString>([&](auto cb) { r->lookupPtr(QHostAddress(address), cb); });
    QVERIFY(w.reply);
    QVERIFY(!w.synchronous);
    QCOMPARE(rcodeName(w.reply->rcode), rcodeName(rcode));
    QCOMPARE(w.reply->records, names);
}

void TestResolver::badName_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << QString();
    QTest::newRow("root only") << QStringLiteral(".");
    QTest::newRow("space") << QStringLiteral("exa mple.test");
    QTest::newRow("empty label") << QStringLiteral("a..test");
    QTest::newRow("leading dot") << QStringLiteral(".example.test");
    QTest::newRow("label over 63") << QString(QString(64, u'a') + QStringLiteral(".test"));
    QTest::newRow("name over 253") << QString(QStringLiteral("abcdefghi.").repeated(26) + QStringLiteral("test"));
    QTest::newRow("backslash escape") << QStringLiteral("ex\\000ample.test");
    QTest::newRow("not ACE") << QStringLiteral("bücher.test");
    QTest::newRow("NUL") << QString(QStringLiteral("a") + QChar(0) + QStringLiteral(".test"));
}

void TestResolver::badName()
{
    QFETCH(QString, name);
    auto r = makeResolver(m_port);
    const auto w = await<QHostAddress>([&](auto cb) { r->lookupA(name, cb); });
    QVERIFY(w.reply);
    QVERIFY(!w.synchronous);
    QCOMPARE(rcodeName(w.reply->rcode), rcodeName(Rcode::Malformed));
}

void TestResolver::callbacksAreAsynchronous()
{
    auto r = makeResolver(m_port);
    const auto first = await<MxRecord>([&](auto cb) { r->lookupMx(QStringLiteral("example.test"), cb); });
    QVERIFY(first.reply && first.reply->rcode == Rcode::Ok);
    // A cache hit is still delivered from the event loop.
    bool called = false;
    r->lookupMx(QStringLiteral("example.test"), [&](const Reply<MxRecord> &) { called = true; });
    QVERIFY(!called);
    QCOMPARE(r->pending(), 1);
    QTRY_VERIFY(called);
    QCOMPARE(r->pending(), 0);
}

void TestResolver::notInitialised()
{
    Resolver r(Options {});
    const auto w = await<QHostAddress>([&](auto cb) { r.lookupA(QStringLiteral("example.test"), cb); });
    QVERIFY(w.reply);
    QVERIFY(!w.synchronous);
    QCOMPARE(rcodeName(w.reply->rcode), rcodeName(Rcode::TempFail));
}

void TestResolver::timeout_data()
{
    QTest::addColumn<bool>("silent"); // a bound socket that never answers, or a closed port
    QTest::newRow("silent server") << true;
    QTest::newRow("closed port") << false;
}

void TestResolver::timeout()
{
    QFETCH(bool, silent);
    QUdpSocket sink;
    quint16 port = 0;
    if (silent) {
        QVERIFY(sink.bind(QHostAddress::LocalHost, 0));
        port = sink.localPort();
    } else {
        port = freePort();
    }
    const int timeoutMs = 300;
    const int tries = 2;
    auto r = makeResolver(port, timeoutMs, tries);
    QElapsedTimer clock;
    clock.start();
    const auto w = await<MxRecord>([&](auto cb) { r->lookupMx(QStringLiteral("example.test"), cb); });
    const qint64 elapsed = clock.elapsed();
    QVERIFY(w.reply);
    QCOMPARE(rcodeName(w.reply->rcode), rcodeName(Rcode::TempFail));
    QVERIFY2(elapsed <= timeoutMs * tries + 1500, qPrintable(QString::number(elapsed)));
    if (silent)
        QVERIFY2(elapsed >= timeoutMs, qPrintable(QString::number(elapsed)));
    QCOMPARE(r->pending(), 0);
    // TempFail is not cached: the next lookup asks again (and fails again).
    const auto again = await<MxRecord>([&](auto cb) { r->lookupMx(QStringLiteral("example.test"), cb); });
    QVERIFY(again.reply);
    QCOMPARE(rcodeName(again.reply->rcode), rcodeName(Rcode::TempFail));
}

void TestResolver::cache()
{
    const quint16 port = freePort();
    QVERIFY(port != 0);
    auto own = startDnsmasq(port);
    QVERIFY(own);
    auto r = makeResolver(port, 300, 1);
    const auto mx = await<MxRecord>([&](auto cb) { r->lookupMx(QStringLiteral("example.test"), cb); });
    const auto nx = await<QHostAddress>([&](auto cb) { r->lookupA(QStringLiteral("nx.example.test"), cb); });
    const auto txt = await<QByteArray>([&](auto cb) { r->lookupTxt(QStringLiteral("example.test"), cb); });
    QVERIFY(mx.reply && mx.reply->rcode == Rcode::Ok);
    QVERIFY(nx.reply && nx.reply->rcode == Rcode::NxDomain);
    QVERIFY(txt.reply && txt.reply->rcode == Rcode::Ok);

    own->kill();
    own->waitForFinished(5000);

    // Answered from the cache, whatever the spelling of the name.
    const auto mx2 = await<MxRecord>([&](auto cb) { r->lookupMx(QStringLiteral("Example.TEST."), cb); });
    QVERIFY(mx2.reply);
    QVERIFY(!mx2.synchronous);
    QCOMPARE(rcodeName(mx2.reply->rcode), rcodeName(Rcode::Ok));
    QCOMPARE(mx2.reply->records, mx.reply->records);
    QVERIFY(mx2.reply->ttl <= mx.reply->ttl);
    const auto nx2 = await<QHostAddress>([&](auto cb) { r->lookupA(QStringLiteral("nx.example.test"), cb); });
    QVERIFY(nx2.reply);
    QCOMPARE(rcodeName(nx2.reply->rcode), rcodeName(Rcode::NxDomain));
    // The cache is per type: AAAA was never asked, so now it fails.
    const auto aaaa = await<QHostAddress>([&](auto cb) { r->lookupAaaa(QStringLiteral("example.test"), cb); });
    QVERIFY(aaaa.reply);
    QCOMPARE(rcodeName(aaaa.reply->rcode), rcodeName(Rcode::TempFail));

    r->clearCache();
    const auto mx3 = await<MxRecord>([&](auto cb) { r->lookupMx(QStringLiteral("example.test"), cb); });
    QVERIFY(mx3.reply);
    QCOMPARE(rcodeName(mx3.reply->rcode), rcodeName(Rcode::TempFail));
}

void TestResolver::cacheBounded()
{
    const quint16 port = freePort();
    auto own = startDnsmasq(port);
    QVERIFY(own);
    Options o;
    o.nameserver = QStringLiteral("127.0.0.1:%1").arg(port);
    o.timeoutMs = 300;
    o.tries = 1;
    o.cacheEntries = 2;
    Resolver r(o);
    QVERIFY(r.init().ok());
    const QStringList names
        = { QStringLiteral("mx1.example.test"), QStringLiteral("mx2.example.test"), QStringLiteral("example.test") };
    for (const QString &n : names) {
        const auto w = await<QByteArray>([&](auto cb) { r.lookupTxt(n, cb); });
        QVERIFY(w.reply && w.reply->rcode != Rcode::TempFail);
    }
    own->kill();
    own->waitForFinished(5000);
    // The oldest entry (mx1) was evicted; the two newest are still cached.
    const auto oldest = await<QByteArray>([&](auto cb) { r.lookupTxt(names[0], cb); });
    QCOMPARE(rcodeName(oldest.reply->rcode), rcodeName(Rcode::TempFail));
    const auto newest = await<QByteArray>([&](auto cb) { r.lookupTxt(names[2], cb); });
    QCOMPARE(rcodeName(newest.reply->rcode), rcodeName(Rcode::Ok));
}

void TestResolver::destroyWithPending()
{
    QUdpSocket sink;
    QVERIFY(sink.bind(QHostAddress::LocalHost, 0));
    int calls = 0;
    {
        auto silent = makeResolver(sink.localPort(), 5000, 2);
        for (int i = 0; i < 5; ++i)
            silent->lookupMx(QStringLiteral("n%1.example.test").arg(i), [&](const Reply<MxRecord> &) { ++calls; });
        QTest::qWait(50); // the queries are on the wire
        silent->lookupA(QStringLiteral("bad name"), [&](const Reply<QHostAddress> &) { ++calls; }); // posted
        QCOMPARE(silent->pending(), 6);
    }
    {
        // Queries in flight to a live server whose answers arrive after destruction.
        auto live = makeResolver(m_port);
        for (int i = 0; i < 5; ++i)
            live->lookupTxt(QStringLiteral("example.test"), [&](const Reply<QByteArray> &) { ++calls; });
    }
    QTest::qWait(300);
    QCOMPARE(calls, 0);
}

void TestResolver::deleteLaterFromCallback()
{
    auto *r = makeResolver(m_port).release();
    QPointer<Resolver> guard(r);
    bool called = false;
    r->lookupMx(QStringLiteral("example.test"), [&](const Reply<MxRecord> &reply) {
        called = reply.rcode == Rcode::Ok;
        r->deleteLater();
    });
    QTRY_VERIFY(called);
    QTRY_VERIFY(guard.isNull());
}

void TestResolver::nameserverStrings_data()
{
    QTest::addColumn<QString>("nameserver");
    QTest::addColumn<bool>("valid");
    QTest::newRow("system") << QString() << true;
    QTest::newRow("v4") << QStringLiteral("127.0.0.1") << true;
    QTest::newRow("v4 port") << QStringLiteral("127.0.0.1:5353") << true;
    QTest::newRow("v6") << QStringLiteral("::1") << true;
    QTest::newRow("v6 brackets") << QStringLiteral("[::1]") << true;
    QTest::newRow("v6 port") << QStringLiteral("[::1]:5353") << true;
    QTest::newRow("list") << QStringLiteral("127.0.0.1:53, [2001:db8::1]:5353") << true;
    QTest::newRow("host name") << QStringLiteral("dns.example.com") << false;
    QTest::newRow("host name port") << QStringLiteral("dns.example.com:53") << false;
    QTest::newRow("port 0") << QStringLiteral("127.0.0.1:0") << false;
    QTest::newRow("port too big") << QStringLiteral("127.0.0.1:70000") << false;
    QTest::newRow("port not a number") << QStringLiteral("127.0.0.1:dns") << false;
    QTest::newRow("empty port") << QStringLiteral("127.0.0.1:") << false;
    QTest::newRow("unclosed bracket") << QStringLiteral("[::1:53") << false;
    QTest::newRow("text after bracket") << QStringLiteral("[::1]x53") << false;
    QTest::newRow("empty entry") << QStringLiteral("127.0.0.1,,::1") << false;
    QTest::newRow("scoped v6") << QStringLiteral("[fe80::1%eth0]:53") << false;
    QTest::newRow("garbage") << QStringLiteral("not a server") << false;
}

void TestResolver::nameserverStrings()
{
    QFETCH(QString, nameserver);
    QFETCH(bool, valid);
    Options o;
    o.nameserver = nameserver;
    Resolver r(o);
    const Status st = r.init();
    QCOMPARE(st.ok(), valid);
    if (!valid) {
        QCOMPARE(st.error().code, ErrorCode::InvalidArgument);
        QVERIFY(st.error().message.contains(QStringLiteral("nameserver")));
    }
}

void TestResolver::badOptions()
{
    Options o;
    o.timeoutMs = 0;
    QVERIFY(!Resolver(o).init().ok());
    o.timeoutMs = 1000;
    o.tries = 0;
    QVERIFY(!Resolver(o).init().ok());
}

QTEST_GUILESS_MAIN(TestResolver)
#include "tst_resolver.moc"
