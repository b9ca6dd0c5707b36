// The console's paged table model with 100,000 rows: pages are fetched as
// asked, each page is one insertion, a reload drops stale replies, and the
// time figures are printed (not asserted; see tests/bench for measurements).
// The message list pages 100,000 messages the same way and drags rows out as
// application/x-mailroom-message.
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMimeData>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include "adminclient/adminclient.h"
#include "models/logmodel.h"
#include "models/messagelistmodel.h"
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
    void messageListPagesAndDrags();
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

void TestPagedModel::messageListPagesAndDrags()
{
    constexpr qint64 total = 100000;
    mailroom::adminclient::AdminClient client(QStringLiteral("tst_pagedmodel")); // never connected
    MessageListModel model(client);
    int fetches = 0;
    // Newest first, as messages.list answers: UID total at row 0.
    model.setFetcher([&](qint64 offset, int limit, auto done, auto) {
        ++fetches;
        QJsonArray a;
        for (qint64 i = offset; i < qMin<qint64>(offset + limit, total); ++i)
            a.append(QJsonObject { { QStringLiteral("uid"), total - i },
                { QStringLiteral("subject"), QStringLiteral("Message %1").arg(total - i) },
                { QStringLiteral("flags"), i % 2 ? QJsonArray { QStringLiteral("\\Seen") } : QJsonArray() } });
        done(a, total);
    });
    QTableView view;
    view.setModel(&model);
    view.resize(800, 600);
    view.show();
    QElapsedTimer t;
    t.start();
    model.setMailbox(QStringLiteral("ann@example.com"), QStringLiteral("INBOX"));
    QCOMPARE(model.rowCount(), 500); // one page until the view asks
    while (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(model.rowCount(), int(total));
    QCOMPARE(fetches, 200);
    qInfo("100000 messages: loaded in %lld ms (200 pages)", t.elapsed());
    QCOMPARE(model.index(99999, 2).data().toString(), QStringLiteral("Message 1"));
    QVERIFY(model.index(0, 1).data(Qt::FontRole).value<QFont>().bold()); // unread
    QVERIFY(!model.index(1, 1).data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(model.flags(model.index(5, 0)) & Qt::ItemIsDragEnabled);
    QVERIFY(!(model.flags(model.index(5, 0)) & Qt::ItemIsEditable));

    std::unique_ptr<QMimeData> mime(model.mimeData({ model.index(99999, 3), model.index(7, 0), model.index(7, 2) }));
    QVERIFY(mime && mime->hasFormat(QLatin1String(kMessageMimeType)));
    const QJsonArray items = QJsonDocument::fromJson(mime->data(QLatin1String(kMessageMimeType))).array();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items.at(0).toObject().value(QStringLiteral("uid")).toInteger(), total - 7);
    QCOMPARE(items.at(1).toObject().value(QStringLiteral("uid")).toInteger(), qint64(1));
    QCOMPARE(items.at(1).toObject().value(QStringLiteral("mailbox")).toString(), QStringLiteral("INBOX"));
    QCOMPARE(items.at(1).toObject().value(QStringLiteral("user")).toString(), QStringLiteral("ann@example.com"));

    // Another folder starts from its first page again.
    model.setMailbox(QStringLiteral("ann@example.com"), QStringLiteral("Junk"));
    QCOMPARE(model.rowCount(), 500);
    QCOMPARE(model.mailbox(), QStringLiteral("Junk"));
}

QTEST_MAIN(TestPagedModel)
#include "tst_pagedmodel.moc"
