// Greylisting's store: a new triplet waits, an early retry still waits, a
// retry after the delay passes and allows its network, a retry after the
// window starts over, several recipients wait for the slowest, pruning.
#include <QTemporaryDir>
#include <QTest>

#include "store/greylist.h"
#include "store/store.h"

using namespace mailroom::store;

class TestGreylist : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void waitThenPass();
    void lateRetryStartsOver();
    void everyRecipientMustHaveWaited();
    void allowanceExpiresAndPrunes();
};

namespace
{
const QString net = QStringLiteral("192.0.2.0/24");
const QString from = QStringLiteral("bob@example.org");
const QStringList ann { QStringLiteral("ann@example.com") };

GreylistPolicy policy()
{
    GreylistPolicy p;
    p.delaySecs = 300;
    p.retryWindowSecs = 3600;
    p.allowSecs = 86400;
    return p;
}
} // namespace

void TestGreylist::waitThenPass()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.path(), nullptr);
    Greylist &g = store.value()->greylist();
    auto first = g.check(net, from, ann, 1000, policy());
    QVERIFY(first.ok() && !first->pass);
    QCOMPARE(first->waitSecs, qint64(300));
    auto early = g.check(net, from, ann, 1100, policy());
    QVERIFY(!early->pass);
    QCOMPARE(early->waitSecs, qint64(200));
    auto retry = g.check(net, from, ann, 1300, policy());
    QVERIFY(retry->pass && !retry->allowedNetwork);
    // The network is allowed now: another sender and recipient pass at once.
    auto other
        = g.check(net, QStringLiteral("carol@example.net"), { QStringLiteral("dan@example.com") }, 1301, policy());
    QVERIFY(other->pass && other->allowedNetwork);
    // Another network is not.
    QVERIFY(!g.check(QStringLiteral("198.51.100.0/24"), from, ann, 1302, policy())->pass);
}

void TestGreylist::lateRetryStartsOver()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.path(), nullptr);
    Greylist &g = store.value()->greylist();
    QVERIFY(!g.check(net, from, ann, 1000, policy())->pass);
    auto late = g.check(net, from, ann, 1000 + 3601, policy());
    QVERIFY(!late->pass);
    QCOMPARE(late->waitSecs, qint64(300));
    QVERIFY(g.check(net, from, ann, 1000 + 3601 + 300, policy())->pass);
}

void TestGreylist::everyRecipientMustHaveWaited()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.path(), nullptr);
    Greylist &g = store.value()->greylist();
    QVERIFY(!g.check(net, from, ann, 1000, policy())->pass);
    const QStringList both { ann.first(), QStringLiteral("bea@example.com") };
    auto mixed = g.check(net, from, both, 1300, policy());
    QVERIFY(!mixed->pass); // bea is new
    QCOMPARE(mixed->waitSecs, qint64(300));
    QVERIFY(g.check(net, from, both, 1600, policy())->pass);
}

void TestGreylist::allowanceExpiresAndPrunes()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.path(), nullptr);
    Greylist &g = store.value()->greylist();
    QVERIFY(!g.check(net, from, ann, 1000, policy())->pass);
    QVERIFY(g.check(net, from, ann, 1300, policy())->pass);
    // A day and more later the allowance is over, and the triplet too.
    const qint64 later = 1300 + 86400 + 3601;
    QVERIFY(!g.check(net, QStringLiteral("new@example.org"), ann, later, policy())->pass);
    QCOMPARE(*g.prune(later + 10, 3600), 2); // the old triplet and the allowance
}

QTEST_GUILESS_MAIN(TestGreylist)
#include "tst_greylist.moc"
