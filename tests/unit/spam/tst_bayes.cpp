// Bayes: the chi-square arithmetic, the token table, and the filter trained
// on a few messages through spam.db: the verdict goes the right way, a
// message learned twice counts once, relearning moves its counts, and the
// counts survive a restart. Directions, not exact numbers.
#include <cmath>

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>

#include "spam/bayes.h"
#include "spam/bayesfilter.h"
#include "store/spamstore.h"
#include "store/store.h"

using namespace mailroom;
using namespace mailroom::spam;

class TestBayes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chi2Q_data();
    void chi2Q();
    void tokenTableGrowsAndClamps();
    void learnsTheDirection();
    void relearningMovesCounts();
    void countsSurviveARestart();
    void aUsersOwnModelScoresOnlyWhenReady();
};

namespace
{
QByteArray mail(const char *subject, const QByteArray &body)
{
    return QByteArray("From: someone@example.org\r\nSubject: ") + subject + "\r\n\r\n" + body + "\r\n";
}

QList<QByteArray> spams()
{
    QList<QByteArray> out;
    for (int i = 0; i < 12; ++i)
        out << mail("Cheap watches",
            "Buy replica watches now, limited offer " + QByteArray::number(i)
                + ". Click http://deals.example.biz/offer to claim your discount casino bonus");
    return out;
}

QList<QByteArray> hams()
{
    QList<QByteArray> out;
    for (int i = 0; i < 12; ++i)
        out << mail("Meeting notes",
            "Hi team, attached are the notes from the design review " + QByteArray::number(i)
                + ". Let us discuss the schedule for the release on Thursday.");
    return out;
}
} // namespace

void TestBayes::chi2Q_data()
{
    QTest::addColumn<double>("x2");
    QTest::addColumn<int>("halfDof");
    QTest::addColumn<double>("expected");
    // Closed forms: 2 dof: e^-x/2; 4 dof: e^-m (1 + m).
    QTest::newRow("2 dof at 2") << 2.0 << 1 << std::exp(-1.0);
    QTest::newRow("4 dof at 6") << 6.0 << 2 << std::exp(-3.0) * 4.0;
    QTest::newRow("zero") << 0.0 << 5 << 1.0;
    // Large arguments underflow a naive e^-m; in log space the tail is
    // still a probability.
    QTest::newRow("1600 dof near its mean") << 1600.0 << 800 << 0.495;
}

void TestBayes::chi2Q()
{
    QFETCH(double, x2);
    QFETCH(int, halfDof);
    QFETCH(double, expected);
    QVERIFY2(
        std::fabs(spam::chi2Q(x2, halfDof) - expected) < 0.01, qPrintable(QString::number(spam::chi2Q(x2, halfDof))));
}

void TestBayes::tokenTableGrowsAndClamps()
{
    TokenTable t;
    for (quint64 k = 0; k < 5000; ++k)
        t.add(k * 7919, 1, 0);
    QCOMPARE(t.size(), 5000);
    QCOMPARE(t.find(7919 * 42)->spam, 1u);
    QVERIFY(!t.find(3));
    t.add(0, 2, 1); // key 0 is stored too
    QCOMPARE(t.find(0)->ham, 1u);
    t.add(0, -5, -5);
    QCOMPARE(t.find(0)->spam, 0u);
}

void TestBayes::learnsTheDirection()
{
    QTemporaryDir dir;
    auto store = store::Store::open(dir.path(), nullptr);
    QVERIFY(store.ok());
    BayesFilter filter(store.value()->spam());
    QVERIFY(filter.load().ok());
    QVERIFY(!filter.status().ready);
    QCOMPARE(filter.train(spams(), true)->learned, 12);
    QCOMPARE(filter.train(hams(), false)->learned, 12);
    QVERIFY(filter.status().ready);

    const BayesScore s = filter.score(mail("Replica watches", "Click for your casino bonus and discount offer"));
    const BayesScore h = filter.score(mail("Design review", "Notes on the release schedule for Thursday, team"));
    QVERIFY(s.ready && h.ready);
    QVERIFY2(s.probability > 0.7, qPrintable(QString::number(s.probability)));
    QVERIFY2(h.probability < 0.3, qPrintable(QString::number(h.probability)));
    // An unknown message says nothing either way.
    QCOMPARE(filter.score(mail("zzz", "qqqq wwww")).used, 0);
}

void TestBayes::relearningMovesCounts()
{
    QTemporaryDir dir;
    auto store = store::Store::open(dir.path(), nullptr);
    BayesFilter filter(store.value()->spam());
    QVERIFY(filter.load().ok());
    QVERIFY(filter.train(spams(), true).ok());
    QVERIFY(filter.train(hams(), false).ok());
    // The same messages again: nothing changes.
    const auto again = filter.train(spams(), true);
    QCOMPARE(again->unchanged, 12);
    QCOMPARE(filter.status().spam, 12);
    // One spam message was a mistake: relearned as ham, it moves over.
    const QByteArray oops = spams().first();
    const double before = filter.score(oops).probability;
    const auto moved = filter.train({ oops }, false);
    QCOMPARE(moved->moved, 1);
    QCOMPARE(filter.status().spam, 11);
    QCOMPARE(filter.status().ham, 13);
    QVERIFY(filter.score(oops).probability < before);
    // The database agrees with memory.
    QCOMPARE(store.value()->spam().totals(0)->spam, 11);
    QCOMPARE(*store.value()->spam().trainedAs(
                 0, QString::fromLatin1(QCryptographicHash::hash(oops, QCryptographicHash::Sha256).toHex())),
        store::SpamClass::Ham);
}

void TestBayes::countsSurviveARestart()
{
    QTemporaryDir dir;
    const QByteArray probe = mail("Replica watches", "casino bonus discount offer");
    double trained = 0;
    {
        auto store = store::Store::open(dir.path(), nullptr);
        BayesFilter filter(store.value()->spam());
        QVERIFY(filter.load().ok());
        QVERIFY(filter.train(spams(), true).ok());
        QVERIFY(filter.train(hams(), false).ok());
        trained = filter.score(probe).probability;
    }
    auto store = store::Store::open(dir.path(), nullptr);
    BayesFilter filter(store.value()->spam());
    QVERIFY(filter.load().ok());
    QCOMPARE(filter.status().spam, 12);
    QCOMPARE(filter.status().ham, 12);
    QCOMPARE(filter.score(probe).probability, trained);
}

void TestBayes::aUsersOwnModelScoresOnlyWhenReady()
{
    QTemporaryDir dir;
    const QByteArray probe = mail("Replica watches", "casino bonus discount offer");
    constexpr qint64 ann = 7;
    {
        auto store = store::Store::open(dir.path(), nullptr);
        BayesFilter filter(store.value()->spam());
        QVERIFY(filter.load().ok());
        QVERIFY(filter.train(spams(), true, ann).ok());
        // Half trained: the global model (empty) answers for Ann.
        QCOMPARE(filter.score(probe, ann).scope, qint64(0));
        QVERIFY(filter.train(hams(), false, ann).ok());
        QVERIFY(filter.status(ann).ready);
        QVERIFY(!filter.status().ready);
        const BayesScore own = filter.score(probe, ann);
        QCOMPARE(own.scope, ann);
        QVERIFY2(own.probability > 0.7, qPrintable(QString::number(own.probability)));
        // Another user, and the global model, know nothing.
        QCOMPARE(filter.score(probe, 8).used, 0);
        QCOMPARE(filter.score(probe).used, 0);
    }
    // Kept in spam.db under Ann's scope, read again on first use.
    auto store = store::Store::open(dir.path(), nullptr);
    BayesFilter filter(store.value()->spam());
    QVERIFY(filter.load().ok());
    QCOMPARE(filter.status(ann).spam, 12);
    QCOMPARE(filter.status().spam, 0);
    QCOMPARE(filter.score(probe, ann).scope, ann);
}

QTEST_GUILESS_MAIN(TestBayes)
#include "tst_bayes.moc"
