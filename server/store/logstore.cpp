#include "store/logstore.h"

#include <QJsonDocument>
#include <QJsonObject>

#include "store/rows.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

LogStore::LogStore(Database &db)
    : m_db(db)
{
}

Result<QList<qint64>> LogStore::append(const QList<Event> &events)
{
    QList<qint64> ids;
    if (events.isEmpty())
        return ids;
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    for (const Event &e : events) {
        const EventType &t = e.type();
        Query ins(*db,
            QStringLiteral("INSERT INTO events (time, level, module, event, text, fields) "
                           "VALUES (?, ?, ?, ?, ?, ?)"));
        ins.bind(e.time.toMSecsSinceEpoch()).bind(int(t.severity)).bind(QString::fromLatin1(t.module));
        ins.bind(QString::fromLatin1(t.name)).bind(e.text());
        ins.bind(
            QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(e.fields)).toJson(QJsonDocument::Compact)));
        if (auto s = ins.exec(); !s)
            return s.error();
        ids << ins.lastInsertId();
    }
    if (auto s = tx.commit(); !s)
        return s.error();
    return ids;
}

Result<QList<LogRow>> LogStore::query(const LogQuery &lq)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    QStringList conditions;
    QVariantList binds;
    if (lq.minLevel) {
        conditions << QStringLiteral("level >= ?");
        binds << int(*lq.minLevel);
    }
    if (!lq.module.isEmpty()) {
        conditions << QStringLiteral("module = ?");
        binds << lq.module;
    }
    if (!lq.text.isEmpty()) {
        conditions << QStringLiteral("text LIKE ? ESCAPE '\\'");
        binds << likePattern(lq.text);
    }
    if (lq.since.isValid()) {
        conditions << QStringLiteral("time >= ?");
        binds << lq.since.toMSecsSinceEpoch();
    }
    if (lq.until.isValid()) {
        conditions << QStringLiteral("time <= ?");
        binds << lq.until.toMSecsSinceEpoch();
    }
    if (lq.beforeId > 0) {
        conditions << QStringLiteral("id < ?");
        binds << lq.beforeId;
    }
    const QString where = conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(u" AND ");
    Query q(*db,
        QStringLiteral("SELECT id, time, level, module, event, text, fields FROM events") + where
            + QStringLiteral(" ORDER BY id DESC LIMIT ?"));
    for (const QVariant &b : std::as_const(binds))
        q.bind(b);
    if (auto s = q.bind(qMax(1, lq.limit)).exec(); !s)
        return s.error();
    QList<LogRow> rows;
    while (q.next()) {
        LogRow r;
        r.id = q.value(0).toLongLong();
        r.time = fromMs(q.value(1).toLongLong());
        r.level = Severity(qBound(0, q.value(2).toInt(), 3));
        r.module = q.value(3).toString();
        r.event = q.value(4).toString();
        r.text = q.value(5).toString();
        r.fields = QJsonDocument::fromJson(q.value(6).toString().toUtf8()).object().toVariantMap();
        rows << r;
    }
    return rows;
}

Status LogStore::prune(int retentionDays, qint64 maxBytes)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query old(*db, QStringLiteral("DELETE FROM events WHERE time < ?"));
    if (auto s = old.bind(nowMs() - qint64(retentionDays) * 86400 * 1000).exec(); !s)
        return s;
    // Size in use (pages not on the free list); drop the oldest tenth until
    // under the cap, then give free pages back to the file system.
    for (int round = 0; round < 20; ++round) {
        auto used = Query(*db,
            QStringLiteral("SELECT (page_count - freelist_count) * page_size FROM "
                           "pragma_page_count, pragma_freelist_count, pragma_page_size"))
                        .scalar();
        if (!used)
            return used.error();
        if (used->toLongLong() <= maxBytes)
            break;
        Query drop(*db,
            QStringLiteral("DELETE FROM events WHERE id <= (SELECT MIN(id) + (MAX(id) - MIN(id)) / 10 "
                           "FROM events)"));
        if (auto s = drop.exec(); !s)
            return s;
        if (drop.rowsAffected() == 0)
            break;
    }
    return execScript(*db, { QStringLiteral("PRAGMA incremental_vacuum") });
}

Result<qint64> LogStore::count()
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto n = Query(*db, QStringLiteral("SELECT COUNT(*) FROM events")).scalar();
    if (!n)
        return n.error();
    return n->toLongLong();
}

} // namespace mailroom::store
