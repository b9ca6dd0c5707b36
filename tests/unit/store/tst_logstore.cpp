// logs.db: batched appends, filters, paging by id, pruning by age and size.
#include <QTemporaryDir>
#include <QTest>

#include "base/events.h"
#include "store/logstore.h"
#include "store/store.h"

using namespace mailroom;
using namespace mailroom::store;

class TestLogStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void queryAndPage();
    void pruneByAgeAndSize();
};

namespace
{
Event makeEvent(EventId id, const QString &user, qint64 ageDays = 0)
{
    Event e;
    e.id = id;
    e.time = QDateTime::currentDateTimeUtc().addDays(-ageDays);
    e.fields = { { QStringLiteral("user"), user }, { QStringLiteral("domain"), user } };
    return e;
}
} // namespace

void TestLogStore::queryAndPage()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.path(), nullptr);
    LogStore &logs = store.value()->logs();
    QList<Event> batch;
    for (int i = 0; i < 300; ++i)
        batch << makeEvent(i % 3 ? EventId::UserAdded : EventId::AdminRejected, QStringLiteral("u%1").arg(i));
    QVERIFY(logs.append(batch).ok());
    QCOMPARE(*logs.count(), 300);

    LogQuery q;
    q.limit = 50;
    const auto newest = logs.query(q);
    QCOMPARE(newest->size(), 50);
    QCOMPARE(newest->first().text, QStringLiteral("user u299 added"));
    QCOMPARE(newest->first().fields.value(QStringLiteral("user")).toString(), QStringLiteral("u299"));
    q.beforeId = newest->last().id;
    const auto older = logs.query(q);
    QCOMPARE(older->first().id, newest->last().id - 1);

    LogQuery warnings;
    warnings.minLevel = Severity::Warning;
    warnings.limit = 1000;
    QCOMPARE(logs.query(warnings)->size(), 100);
    LogQuery byModule;
    byModule.module = QStringLiteral("admin");
    byModule.limit = 1000;
    QCOMPARE(logs.query(byModule)->size(), 100);
    LogQuery byText;
    byText.text = QStringLiteral("u29");
    byText.limit = 1000;
    // user_added texts with "u29": u29, u290 … u299, less every third (admin_rejected)
    QCOMPARE(logs.query(byText)->size(), 8);
}

void TestLogStore::pruneByAgeAndSize()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.path(), nullptr);
    LogStore &logs = store.value()->logs();
    QList<Event> batch;
    for (int i = 0; i < 100; ++i)
        batch << makeEvent(EventId::UserAdded, QStringLiteral("old%1").arg(i), 40);
    for (int i = 0; i < 20000; ++i)
        batch << makeEvent(EventId::UserAdded, QString(200, QLatin1Char('x')) + QString::number(i));
    QVERIFY(logs.append(batch).ok());
    QVERIFY(logs.prune(30, 1024 * 1024 * 1024).ok());
    QCOMPARE(*logs.count(), 20000); // only the old ones went
    QVERIFY(logs.prune(30, 512 * 1024).ok());
    const qint64 left = *logs.count();
    QVERIFY2(left < 20000 && left > 0, qPrintable(QString::number(left)));
    LogQuery q;
    q.limit = 1;
    QVERIFY(logs.query(q)->first().text.endsWith(QStringLiteral("19999 added"))); // newest kept
}

QTEST_GUILESS_MAIN(TestLogStore)
#include "tst_logstore.moc"
