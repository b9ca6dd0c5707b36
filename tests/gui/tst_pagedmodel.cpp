// The console's paged table model with 100,000 rows: pages are fetched as
// asked, each page is one insertion, a reload drops stale replies, and the
// time figures are printed (not asserted; see tests/bench for measurements).
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include "models/logmodel.h"
#include "models/pagedlistmodel.h"

using namespace mailroom::widgets;

class TestPagedModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hundredThousandRows();
    void staleRepliesAreDropped();
    void failureIsReported();
    void logModelBatchesAndCaps();
};

namespace
{
QJsonArray rows(qint64 offset, int count)
{
    QJsonArray a;
    for (int i = 0; i < count; ++i)
        a.append(QJsonObject { { QStringLiteral("address"),
                                   QStringLiteral("user%1@example.com").arg(offset + i, 6, 10, QLatin1Char('0')) },
            { QStringLiteral("enabled"), true } });
    return a;
}
} // namespace

void TestPagedModel::hundredThousandRows()
{
    constexpr qint64 total = 100000;
    PagedListModel model({ { QStringLiteral("address"), QStringLiteral("Address"), {} },
        { QStringLiteral("enabled"), QStringLiteral("Enabled"), {} } });
    int fetches = 0;
    model.setFetcher([&](qint64 offset, int limit, auto done, auto) {
        ++fetches;
        done(rows(offset, int(qMin<qint64>(limit, total - offset))), total);
    });
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QTableView view;
    view.setModel(&model);
    view.resize(800, 600);
    view.show();
    QElapsedTimer t;
    t.start();
    model.reload();
    QCOMPARE(model.rowCount(), 1000); // only the first page until asked
    QCOMPARE(inserted.count(), 1);
    while (model.canFetchMore({}))
        model.fetchMore({});
    const qint64 loadMs = t.elapsed();
    QCOMPARE(model.rowCount(), int(total));
    QCOMPARE(fetches, 100);
    QCOMPARE(inserted.count(), 100); // one insertion per page, not per row
    QCOMPARE(model.index(99999, 0).data().toString(), QStringLiteral("user099999@example.com"));
    QCOMPARE(model.index(5, 1).data().toString(), QStringLiteral("yes"));
    t.restart();
    view.scrollToBottom();
    QCoreApplication::processEvents();
    view.scrollToTop();
    QCoreApplication::processEvents();
    qInfo("100000 rows: loaded in %lld ms (100 pages), scrolled end to end in %lld ms", loadMs, t.elapsed());
}

void TestPagedModel::staleRepliesAreDropped()
{
    PagedListModel model({ { QStringLiteral("address"), QStringLiteral("Address"), {} } });
    std::function<void(QJsonArray, qint64)> pending;
    model.setFetcher([&](qint64, int, auto done, auto) { pending = done; });
    model.reload();
    auto first = pending;
    model.reload(); // the admin typed in the search box meanwhile
    first(rows(0, 10), 10); // the old answer arrives late
    QCOMPARE(model.rowCount(), 0);
    pending(rows(0, 3), 3);
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(!model.canFetchMore({}));
}

void TestPagedModel::failureIsReported()
{
    PagedListModel model({ { QStringLiteral("address"), QStringLiteral("Address"), {} } });
    model.setFetcher([](qint64, int, auto, auto fail) { fail(QStringLiteral("The engine is not running.")); });
    QSignalSpy failed(&model, &PagedListModel::loadFailed);
    model.reload();
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.first().first().toString(), QStringLiteral("The engine is not running."));
}

void TestPagedModel::logModelBatchesAndCaps()
{
    LogModel model;
    model.setMaxRows(1000);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 5000; ++i)
        model.queueLive(QJsonObject { { QStringLiteral("text"), QString::number(i) } });
    QCOMPARE(model.rowCount(), 0); // nothing until the batch timer
    model.flush();
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 1000); // capped, newest kept
    QCOMPARE(model.index(999, LogModel::Text).data().toString(), QStringLiteral("4999"));
    model.setPaused(true);
    model.queueLive(QJsonObject { { QStringLiteral("text"), QStringLiteral("later") } });
    model.flush();
    QCOMPARE(model.queued(), 1);
    model.setPaused(false);
    QCOMPARE(model.queued(), 0);
    QCOMPARE(model.index(999, LogModel::Text).data().toString(), QStringLiteral("later"));
}

QTEST_MAIN(TestPagedModel)
#include "tst_pagedmodel.moc"
