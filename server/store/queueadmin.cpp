// QueueRepository, the admin side: list, show, history and the actions an
// admin takes on a queued message (retry, hold, release, delete, bounce).
// Trust level: input from local admins.
#include "store/queuerepository.h"
#include "store/rows.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

namespace
{
Error noMessage(const QString &queueId)
{
    return Error(ErrorCode::NotFound,
        QStringLiteral("There is no queued message %1; it may have been delivered already. Refresh the list.")
            .arg(queueId.left(40)));
}

Status fillRecipients(const QSqlDatabase &db, QueueMessageRow &m)
{
    auto rows = selectRecipients(db, m.id, QString());
    if (!rows)
        return rows.error();
    m.recipients = std::move(rows).value();
    return {};
}

const QString kMessageColumns = QStringLiteral(
    "m.id, m.queue_id, m.sender, m.subject, m.client_address, m.auth_user, m.service, m.verdict, m.size, m.received,"
    " (SELECT CASE WHEN SUM(r.state = 'held') > 0 THEN 'held' WHEN SUM(r.state = 'deferred') > 0 THEN 'deferred'"
    "  WHEN SUM(r.state = 'queued') > 0 THEN 'queued' ELSE 'quarantined' END FROM queue_recipients r"
    "  WHERE r.message_id = m.id AND r.state IN ('queued','deferred','held','quarantined')),"
    " (SELECT r.diagnostic FROM queue_recipients r WHERE r.message_id = m.id AND r.diagnostic <> ''"
    "  ORDER BY r.last_attempt DESC LIMIT 1),"
    " (SELECT MIN(r.next_attempt) FROM queue_recipients r WHERE r.message_id = m.id AND r.state IN"
    "  ('queued','deferred'))");

QueueMessageRow messageFromQuery(const Query &q)
{
    QueueMessageRow m;
    m.id = q.value(0).toLongLong();
    m.queueId = q.value(1).toString();
    m.sender = q.value(2).toString();
    m.subject = q.value(3).toString();
    m.clientAddress = q.value(4).toString();
    m.authUser = q.value(5).toString();
    m.service = q.value(6).toString();
    m.verdict = q.value(7).toString();
    m.size = q.value(8).toLongLong();
    m.received = fromMs(q.value(9).toLongLong());
    m.state = q.value(10).isNull() ? QStringLiteral("done") : q.value(10).toString();
    m.lastError = q.value(11).toString();
    if (!q.value(12).isNull())
        m.nextAttempt = fromMs(q.value(12).toLongLong());
    return m;
}
} // namespace

Result<QList<QueueMessageRow>> QueueRepository::list(const QueueFilter &f, qint64 *total)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    QStringList where;
    QVariantList binds;
    if (!f.state.isEmpty()) {
        where << QStringLiteral("EXISTS (SELECT 1 FROM queue_recipients r WHERE r.message_id = m.id AND r.state = ?)");
        binds << f.state;
    }
    if (!f.text.isEmpty()) {
        where << QStringLiteral("(m.queue_id LIKE ? ESCAPE '\\' OR m.sender LIKE ? ESCAPE '\\' OR m.subject LIKE ?"
                                " ESCAPE '\\' OR EXISTS (SELECT 1 FROM queue_recipients r WHERE r.message_id = m.id"
                                " AND r.address LIKE ? ESCAPE '\\'))");
        const QString p = likePattern(f.text);
        binds << p << p << p << p;
    }
    const QString cond = where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where.join(u" AND ");
    Query count(*db, QStringLiteral("SELECT COUNT(*) FROM queue_messages m") + cond);
    for (const QVariant &b : std::as_const(binds))
        count.bind(b);
    auto n = count.scalar();
    if (!n)
        return n.error();
    *total = n->toLongLong();
    Query q(*db,
        QStringLiteral("SELECT ") + kMessageColumns + QStringLiteral(" FROM queue_messages m") + cond
            + QStringLiteral(" ORDER BY m.id DESC LIMIT ? OFFSET ?"));
    for (const QVariant &b : std::as_const(binds))
        q.bind(b);
    if (auto s = q.bind(f.limit).bind(f.offset).exec(); !s)
        return s.error();
    QList<QueueMessageRow> out;
    while (q.next())
        out.append(messageFromQuery(q));
    for (QueueMessageRow &m : out)
        if (auto s = fillRecipients(*db, m); !s)
            return s.error();
    return out;
}

Result<QueueMessageRow> QueueRepository::find(const QString &queueId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(
        *db, QStringLiteral("SELECT ") + kMessageColumns + QStringLiteral(" FROM queue_messages m WHERE queue_id = ?"));
    if (auto s = q.bind(queueId.toUpper()).exec(); !s)
        return s.error();
    if (!q.next())
        return noMessage(queueId);
    QueueMessageRow m = messageFromQuery(q);
    if (auto s = fillRecipients(*db, m); !s)
        return s.error();
    return m;
}

Result<QList<QueueHistoryRow>> QueueRepository::history(const QString &queueId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db,
        QStringLiteral("SELECT h.time, h.recipient, h.text FROM queue_history h JOIN queue_messages m"
                       " ON m.id = h.message_id WHERE m.queue_id = ? ORDER BY h.id"));
    if (auto s = q.bind(queueId.toUpper()).exec(); !s)
        return s.error();
    QList<QueueHistoryRow> out;
    while (q.next())
        out.append({ fromMs(q.value(0).toLongLong()), q.value(1).toString(), q.value(2).toString() });
    return out;
}

Result<int> QueueRepository::apply(const QString &queueId, const QString &action)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    QString sql;
    if (action == u"retry")
        sql = QStringLiteral(
            "UPDATE queue_recipients SET next_attempt = ?, updated = ? WHERE state IN "
            "('queued','deferred') AND message_id = (SELECT id FROM queue_messages WHERE queue_id = ?)");
    else if (action == u"hold")
        sql = QStringLiteral(
            "UPDATE queue_recipients SET state = 'held', next_attempt = ?, updated = ? WHERE state IN "
            "('queued','deferred') AND message_id = (SELECT id FROM queue_messages WHERE queue_id = ?)");
    else if (action == u"release")
        sql = QStringLiteral(
            "UPDATE queue_recipients SET state = 'queued', next_attempt = ?, updated = ? WHERE state = "
            "'held' AND message_id = (SELECT id FROM queue_messages WHERE queue_id = ?)");
    else
        return Error(ErrorCode::InvalidArgument, QStringLiteral("Unknown queue action \"%1\".").arg(action.left(40)));
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    auto exists = Query(*db, QStringLiteral("SELECT id FROM queue_messages WHERE queue_id = ?"))
                      .bind(queueId.toUpper())
                      .scalar();
    if (!exists)
        return exists.error();
    if (!exists->isValid())
        return noMessage(queueId);
    Query q(*db, sql);
    if (auto s = q.bind(nowMs()).bind(nowMs()).bind(queueId.toUpper()).exec(); !s)
        return s.error();
    const int changed = q.rowsAffected();
    if (auto s = addHistoryRow(*db, exists->toLongLong(), QString(), QStringLiteral("admin: %1").arg(action)); !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return changed;
}

Result<int> QueueRepository::remove(const QString &queueId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("DELETE FROM queue_messages WHERE queue_id = ?"));
    if (auto s = q.bind(queueId.toUpper()).exec(); !s)
        return s.error();
    if (q.rowsAffected() == 0)
        return noMessage(queueId);
    return q.rowsAffected();
}

Result<int> QueueRepository::failAll(const QString &queueId, const QString &status, const QString &diagnostic)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    Query q(*db,
        QStringLiteral("UPDATE queue_recipients SET state = 'failed', status = ?, diagnostic = ?, updated = ?"
                       " WHERE state IN ('queued','deferred','held') AND message_id ="
                       " (SELECT id FROM queue_messages WHERE queue_id = ?)"));
    if (auto s = q.bind(status).bind(diagnostic).bind(nowMs()).bind(queueId.toUpper()).exec(); !s)
        return s.error();
    const int n = q.rowsAffected();
    if (n == 0) {
        auto exists = Query(*db, QStringLiteral("SELECT 1 FROM queue_messages WHERE queue_id = ?"))
                          .bind(queueId.toUpper())
                          .scalar();
        if (!exists)
            return exists.error();
        if (!exists->isValid())
            return noMessage(queueId);
    }
    if (auto s = tx.commit(); !s)
        return s.error();
    return n;
}

Result<qint64> QueueRepository::waitingCount()
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto v = Query(*db,
        QStringLiteral("SELECT COUNT(DISTINCT message_id) FROM queue_recipients WHERE state IN "
                       "('queued','deferred','held')"))
                 .scalar();
    if (!v)
        return v.error();
    return v->toLongLong();
}

} // namespace mailroom::store
