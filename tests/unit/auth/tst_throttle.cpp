// LoginThrottle: delays double up to the cap, the per-IP and per-user limits
// refuse, the window expires (injected clock), IPv6 is grouped by /64,
// loopback is not exempt, and memory stays bounded under 200k addresses.
#include <thread>
#include <vector>

#include <QTest>

#include "auth/throttle.h"

using namespace mailroom::auth;

namespace
{
QHostAddress ip(const char *text)
{
    return QHostAddress(QString::fromLatin1(text));
}
} // namespace

class TestThrottle : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void delaysDouble();
    void ipLimit();
    void userLimit();
    void successClearsUserOnly();
    void windowExpires();
    void ipv6GroupedBy64();
    void loopbackNotExempt();
    void policyChange();
    void memoryBound();
    void threads();

private:
    qint64 m_now = 1000000;
    std::function<qint64()> clock()
    {
        return [this] { return m_now; };
    }
};

void TestThrottle::delaysDouble()
{
    LoginThrottle t(ThrottlePolicy { 1000, 100, 100, 900 }, clock());
    const QList<int> expected { 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000 };
    QCOMPARE(t.before(ip("192.0.2.1"), QStringLiteral("alice")).delayMs, 1000);
    for (const int delay : expected)
        QCOMPARE(t.failed(ip("192.0.2.1"), QStringLiteral("alice")), delay);
    // Many more failures do not overflow.
    for (int i = 0; i < 80; ++i)
        QCOMPARE(t.failed(ip("192.0.2.1"), QStringLiteral("alice")), LoginThrottle::kMaxDelayMs);
    LoginThrottle none(ThrottlePolicy { 0, 100, 100, 900 }, clock());
    QCOMPARE(none.failed(ip("192.0.2.1"), QString()), 0);
}

void TestThrottle::ipLimit()
{
    LoginThrottle t(ThrottlePolicy { 10, 3, 100, 900 }, clock());
    const QHostAddress a = ip("192.0.2.1");
    for (int i = 0; i < 3; ++i) {
        QVERIFY(t.before(a, QStringLiteral("user%1").arg(i)).allowed);
        t.failed(a, QStringLiteral("user%1").arg(i));
    }
    QVERIFY(!t.before(a, QStringLiteral("someone")).allowed);
    QVERIFY(!t.before(a, QString()).allowed);
    QVERIFY(t.before(ip("192.0.2.2"), QStringLiteral("someone")).allowed);
    QVERIFY(t.before(ip("192.0.2.2"), QStringLiteral("user0")).allowed);
}

void TestThrottle::userLimit()
{
    LoginThrottle t(ThrottlePolicy { 10, 100, 3, 900 }, clock());
    t.failed(ip("192.0.2.1"), QStringLiteral("Alice@Example.org"));
    t.failed(ip("198.51.100.7"), QStringLiteral("alice@example.org"));
    QVERIFY(t.before(ip("203.0.113.9"), QStringLiteral("ALICE@example.org")).allowed);
    t.failed(ip("2001:db8::1"), QStringLiteral("ALICE@EXAMPLE.ORG"));
    QVERIFY(!t.before(ip("203.0.113.9"), QStringLiteral("alice@example.org")).allowed);
    QVERIFY(t.before(ip("203.0.113.9"), QStringLiteral("bob@example.org")).allowed);
    QVERIFY(t.before(ip("192.0.2.1"), QString()).allowed);
}

void TestThrottle::successClearsUserOnly()
{
    LoginThrottle t(ThrottlePolicy { 100, 4, 2, 900 }, clock());
    const QHostAddress a = ip("192.0.2.1");
    t.failed(a, QStringLiteral("alice"));
    QCOMPARE(t.failed(a, QStringLiteral("alice")), 200);
    QVERIFY(!t.before(a, QStringLiteral("alice")).allowed);
    t.succeeded(a, QStringLiteral("Alice"));
    QVERIFY(t.before(a, QStringLiteral("alice")).allowed);
    // The IP still has two failures: two more reach its limit.
    QCOMPARE(t.failed(a, QStringLiteral("alice")), 400);
    t.failed(a, QStringLiteral("bob"));
    QVERIFY(!t.before(a, QStringLiteral("carol")).allowed);
}

void TestThrottle::windowExpires()
{
    LoginThrottle t(ThrottlePolicy { 1000, 2, 2, 60 }, clock());
    const QHostAddress a = ip("192.0.2.1");
    t.failed(a, QStringLiteral("alice"));
    m_now += 30000;
    QCOMPARE(t.failed(a, QStringLiteral("alice")), 2000);
    QVERIFY(!t.before(a, QStringLiteral("alice")).allowed);
    m_now += 29999; // the window opened at the first failure, 59.999 s ago
    QVERIFY(!t.before(a, QStringLiteral("alice")).allowed);
    m_now += 1;
    QVERIFY(t.before(a, QStringLiteral("alice")).allowed);
    QCOMPARE(t.failed(a, QStringLiteral("alice")), 1000); // a new window, a new count
    QVERIFY(t.before(a, QStringLiteral("alice")).allowed);
}

void TestThrottle::ipv6GroupedBy64()
{
    LoginThrottle t(ThrottlePolicy { 10, 2, 100, 900 }, clock());
    t.failed(ip("2001:db8:1:2::1"), QString());
    t.failed(ip("2001:db8:1:2:ffff:eeee:dddd:cccc"), QString());
    QVERIFY(!t.before(ip("2001:db8:1:2::99"), QString()).allowed);
    QVERIFY(t.before(ip("2001:db8:1:3::1"), QString()).allowed);
    QVERIFY(t.before(ip("2001:db9:1:2::1"), QString()).allowed);

    // An IPv4-mapped address counts as the IPv4 address, and IPv4 is not grouped.
    t.failed(ip("::ffff:192.0.2.1"), QString());
    t.failed(ip("192.0.2.1"), QString());
    QVERIFY(!t.before(ip("192.0.2.1"), QString()).allowed);
    QVERIFY(!t.before(ip("::ffff:192.0.2.1"), QString()).allowed);
    QVERIFY(t.before(ip("192.0.2.2"), QString()).allowed);
}

void TestThrottle::loopbackNotExempt()
{
    LoginThrottle t(ThrottlePolicy { 10, 2, 100, 900 }, clock());
    for (const char *addr : { "127.0.0.1", "::1" }) {
        t.failed(ip(addr), QString());
        t.failed(ip(addr), QString());
        QVERIFY2(!t.before(ip(addr), QString()).allowed, addr);
    }
    QVERIFY(t.failed(QHostAddress(), QString()) > 0); // no address at all is counted too
}

void TestThrottle::policyChange()
{
    LoginThrottle t(ThrottlePolicy { 10, 5, 100, 900 }, clock());
    const QHostAddress a = ip("192.0.2.1");
    t.failed(a, QString());
    t.failed(a, QString());
    QVERIFY(t.before(a, QString()).allowed);
    t.setPolicy(ThrottlePolicy { 10, 2, 100, 900 });
    QVERIFY(!t.before(a, QString()).allowed);
    t.setPolicy(ThrottlePolicy { 10, 0, 0, 900 }); // 0: no limit
    QVERIFY(t.before(a, QString()).allowed);
    t.setPolicy(ThrottlePolicy { -5, 2, 2, -1 }); // nonsense is clamped, not trusted
    QCOMPARE(t.failed(a, QString()), 0);
}

void TestThrottle::memoryBound()
{
    ThrottlePolicy policy; // the defaults: 100k keys, 10 per IP
    policy.baseDelayMs = 1; // keeps the delays below the cap so they show the counts
    LoginThrottle t(policy, clock());
    const QHostAddress attacker = ip("198.51.100.66");
    for (int i = 0; i < 10; ++i)
        t.failed(attacker, QStringLiteral("root"));
    QVERIFY(!t.before(attacker, QString()).allowed);
    for (quint32 i = 0; i < 200000; ++i) {
        t.failed(QHostAddress(0x0a000000u + i), QString());
        if (i % 1000 == 0)
            m_now += 1; // time moves, but stays within the window
    }
    QVERIFY2(t.trackedKeys() <= 100000, qPrintable(QString::number(t.trackedKeys())));
    QVERIFY(t.trackedKeys() > 40000); // bounded, not flushed
    // Entries with many failures survive the flood, and so do the user counters.
    QVERIFY(!t.before(attacker, QString()).allowed);
    QCOMPARE(t.before(ip("192.0.2.200"), QStringLiteral("root")).delayMs, 1 << 10);

    // Once the window has passed, the table is pruned on the next insertion.
    m_now += 900 * 1000;
    t.failed(ip("192.0.2.1"), QString());
    QVERIFY(t.trackedKeys() <= 100000);
    QVERIFY(t.before(attacker, QString()).allowed);
}

void TestThrottle::threads()
{
    LoginThrottle t(ThrottlePolicy { 1, 1000000, 1000000, 900 }, clock());
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w) {
        workers.emplace_back([&t, w] {
            for (int i = 0; i < 2000; ++i) {
                t.failed(QHostAddress(quint32(0x0a000000u + quint32(i % 50))), QStringLiteral("u%1").arg(w));
                (void)t.before(QHostAddress(quint32(0x0a000000u + quint32(i % 50))), QString());
            }
        });
    }
    for (auto &worker : workers)
        worker.join();
    QCOMPARE(t.trackedKeys(), 50 + 4);
}

QTEST_GUILESS_MAIN(TestThrottle)
#include "tst_throttle.moc"
