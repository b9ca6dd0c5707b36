// Transactions: one opened inside another on the same thread is a savepoint
// (its rollback undoes only its part; nothing is durable before the outer
// commit), and writers on several threads queue for the database without
// "database is locked" errors.
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "store/directory.h"
#include "store/store.h"
#include "store/transaction.h"

using namespace mailroom;
using namespace mailroom::store;

class TestTransaction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void batchCommitsEverything();
    void innerFailureUndoesOnlyItself();
    void batchNotCommittedChangesNothing();
    void writersOnManyThreads();
};

namespace
{
bool hasDomain(Store &s, const QString &name)
{
    return s.directory().findDomain(name).ok();
}
} // namespace

void TestTransaction::batchCommitsEverything()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.path(), nullptr);
    QVERIFY(store.ok());
    Store &s = *store.value();
    auto batch = s.beginBatch();
    QVERIFY(batch.ok());
    QVERIFY(s.directory().addDomain(QStringLiteral("one.test"), {}).ok());
    QVERIFY(s.directory().addDomain(QStringLiteral("two.test"), {}).ok());
    // Visible to this thread's connection before the commit ...
    QVERIFY(hasDomain(s, QStringLiteral("one.test")));
    QVERIFY(batch.value()->commit().ok());
    // ... and to a fresh store after it.
    batch.value().reset();
    store.value().reset();
    auto again = Store::open(dir.path(), nullptr);
    QVERIFY(again.ok());
    QVERIFY(hasDomain(*again.value(), QStringLiteral("one.test")));
    QVERIFY(hasDomain(*again.value(), QStringLiteral("two.test")));
}

void TestTransaction::innerFailureUndoesOnlyItself()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.path(), nullptr);
    QVERIFY(store.ok());
    Store &s = *store.value();
    QVERIFY(s.directory().addDomain(QStringLiteral("taken.test"), {}).ok());
    auto batch = s.beginBatch();
    QVERIFY(batch.ok());
    QVERIFY(s.directory().addDomain(QStringLiteral("first.test"), {}).ok());
    QVERIFY(!s.directory().addDomain(QStringLiteral("taken.test"), {}).ok()); // a duplicate
    QVERIFY(s.directory().addDomain(QStringLiteral("third.test"), {}).ok());
    QVERIFY(batch.value()->commit().ok());
    QVERIFY(hasDomain(s, QStringLiteral("first.test")));
    QVERIFY(hasDomain(s, QStringLiteral("third.test")));
    auto all = s.directory().listDomains({});
    QVERIFY(all.ok());
    QCOMPARE(all->total, 3);
}

void TestTransaction::batchNotCommittedChangesNothing()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.path(), nullptr);
    QVERIFY(store.ok());
    Store &s = *store.value();
    {
        auto batch = s.beginBatch();
        QVERIFY(batch.ok());
        QVERIFY(s.directory().addDomain(QStringLiteral("gone.test"), {}).ok());
        // The inner call "committed" (released its savepoint), yet the
        // batch rolls back when it ends without a commit.
    }
    QVERIFY(!hasDomain(s, QStringLiteral("gone.test")));
    // A later transaction on the same connection is a real one again.
    QVERIFY(s.directory().addDomain(QStringLiteral("kept.test"), {}).ok());
    QVERIFY(hasDomain(s, QStringLiteral("kept.test")));
}

void TestTransaction::writersOnManyThreads()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.path(), nullptr);
    QVERIFY(store.ok());
    Store &s = *store.value();
    constexpr int kThreads = 4;
    constexpr int kEach = 40;
    QAtomicInt failures;
    QList<QThread *> threads;
    for (int t = 0; t < kThreads; ++t)
        threads << QThread::create([&s, &failures, t] {
            for (int i = 0; i < kEach; ++i) {
                auto batch = s.beginBatch();
                const bool ok = batch.ok()
                    && s.directory().addDomain(QStringLiteral("d%1-%2.test").arg(t).arg(i), {}).ok()
                    && batch.value()->commit().ok();
                if (!ok)
                    failures.fetchAndAddRelaxed(1);
            }
        });
    for (QThread *t : std::as_const(threads))
        t->start();
    for (QThread *t : std::as_const(threads)) {
        QVERIFY(t->wait(60000));
        delete t;
    }
    QCOMPARE(failures.loadRelaxed(), 0);
    auto all = s.directory().listDomains({});
    QVERIFY(all.ok());
    QCOMPARE(all->total, kThreads * kEach);
}

QTEST_GUILESS_MAIN(TestTransaction)
#include "tst_transaction.moc"
