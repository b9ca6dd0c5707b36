// QueueRepository, the quarantine: messages the spam filter held back for
// some recipients (state 'quarantined'), until an admin releases or deletes
// them, or they expire. They stay queue rows on the same blob, so releasing
// one is a state change, never a copy. Trust level: input from local admins.
#include <utility>

#include "store/queuerepository.h"
#include "store/rows.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

namespace
{
const QString kColumns = QStringLiteral(
    "m.id, m.queue_id, m.sender, m.env_from, m.subject, m.blob_hash, m.spam_tags, m.size, m.body_offset,"
    " COALESCE(m.spam_score, 0), m.received,"
    " (SELECT group_concat(r.address, char(10)) FROM queue_recipients r WHERE r.message_id = m.id"
    "  AND r.state = 'quarantined')");
const QString kInQuarantine
    = QStringLiteral("EXISTS (SELECT 1 FROM queue_recipients r WHERE r.message_id = m.id AND r.state = 'quarantined')");

QuarantineRow rowFrom(const Query &q)
{
    QuarantineRow r;
    r.id = q.value(0).toLongLong();
    r.queueId = q.value(1).toString();
    r.sender = q.value(2).toString();
    r.from = q.value(3).toString();
    r.subject = q.value(4).toString();
    r.blobHash = q.value(5).toString();
    r.spamTags = q.value(6).toString();
    r.size = q.value(7).toLongLong();
    r.bodyOffset = q.value(8).toLongLong();
    r.score = q.value(9).toDouble();
    r.received = fromMs(q.value(10).toLongLong());
    r.recipients = q.value(11).toString().split(u'\n', Qt::SkipEmptyParts);
    return r;
}

Error notInQuarantine(const QString &queueId)
{
    return Error(ErrorCode::NotFound,
        QStringLiteral("Message %1 is not in quarantine; it may have been released or deleted. Refresh the list.")
            .arg(queueId.left(40)));
}

// In the caller's transaction: sets the quarantined recipients of the
// message (SET clause with its binds) and returns the message id and how
// many recipients changed; NotFound when none waited in quarantine.
Result<std::pair<qint64, int>> settleQuarantined(
    const QSqlDatabase &db, const QString &queueId, const QString &set, const QVariantList &binds)
{
    auto id = Query(db, QStringLiteral("SELECT id FROM queue_messages WHERE queue_id = ?"))
                  .bind(queueId.trimmed().toUpper())
                  .scalar();
    if (!id)
        return id.error();
    if (!id->isValid())
        return notInQuarantine(queueId);
    Query up(db,
        QStringLiteral("UPDATE queue_recipients SET ") + set
            + QStringLiteral(" WHERE message_id = ? AND state = 'quarantined'"));
    for (const QVariant &b : binds)
        up.bind(b);
    if (auto s = up.bind(id->toLongLong()).exec(); !s)
        return s.error();
    if (up.rowsAffected() == 0)
        return notInQuarantine(queueId);
    return std::pair<qint64, int>(id->toLongLong(), up.rowsAffected());
}
} // namespace

Result<QList<QuarantineRow>> QueueRepository::quarantine(const QueueFilter &f, qint64 *total)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    QString cond = QStringLiteral(" WHERE ") + kInQuarantine;
    QVariantList binds;
    if (!f.text.isEmpty()) {
        cond += QStringLiteral(" AND (m.queue_id LIKE ? ESCAPE '\\' OR m.sender LIKE ? ESCAPE '\\' OR m.subject LIKE ?"
                               " ESCAPE '\\' OR m.env_from LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM"
                               " queue_recipients r WHERE r.message_id = m.id AND r.address LIKE ? ESCAPE '\\'))");
        const QString p = likePattern(f.text);
        binds << p << p << p << p << p;
    }
    if (total) {
        Query count(*db, QStringLiteral("SELECT COUNT(*) FROM queue_messages m") + cond);
        for (const QVariant &b : std::as_const(binds))
            count.bind(b);
        auto n = count.scalar();
        if (!n)
            return n.error();
        *total = n->toLongLong();
    }
    Query q(*db,
        QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM queue_messages m") + cond
            + QStringLiteral(" ORDER BY m.received DESC, m.id DESC LIMIT ? OFFSET ?"));
    for (const QVariant &b : std::as_const(binds))
        q.bind(b);
    if (auto s = q.bind(f.limit).bind(f.offset).exec(); !s)
        return s.error();
    QList<QuarantineRow> out;
    while (q.next())
        out.append(rowFrom(q));
    return out;
}

Result<QuarantineRow> QueueRepository::quarantined(const QString &queueId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db,
        QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM queue_messages m WHERE m.queue_id = ? AND ")
            + kInQuarantine);
    if (auto s = q.bind(queueId.trimmed().toUpper()).exec(); !s)
        return s.error();
    if (!q.next())
        return notInQuarantine(queueId);
    return rowFrom(q);
}

Result<int> QueueRepository::releaseQuarantine(const QString &queueId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    auto settled = settleQuarantined(*db, queueId,
        QStringLiteral("state = 'queued', verdict = 'accept', next_attempt = ?, updated = ?"), { nowMs(), nowMs() });
    if (!settled)
        return settled.error();
    const auto [id, n] = *settled;
    if (auto s
        = addHistoryRow(*db, id, QString(), QStringLiteral("released from quarantine for %1 recipient(s)").arg(n));
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return n;
}

Result<int> QueueRepository::discardQuarantine(const QString &queueId, const QString &why)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    auto settled = settleQuarantined(
        *db, queueId, QStringLiteral("state = 'discarded', diagnostic = ?, updated = ?"), { why.left(200), nowMs() });
    if (!settled)
        return settled.error();
    const auto [id, n] = *settled;
    // Nothing else waits: the message goes, and with it the queue's
    // reference on its blob.
    Query del(*db,
        QStringLiteral("DELETE FROM queue_messages WHERE id = ? AND NOT EXISTS (SELECT 1 FROM queue_recipients r"
                       " WHERE r.message_id = ? AND r.state IN ")
            + QLatin1String(kWaitingStates) + QStringLiteral(")"));
    if (auto s = del.bind(id).bind(id).exec(); !s)
        return s.error();
    if (del.rowsAffected() == 0)
        if (auto s = addHistoryRow(*db, id, QString(), QStringLiteral("quarantine: %1").arg(why.left(200))); !s)
            return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return n;
}

Result<QStringList> QueueRepository::expireQuarantine(qint64 before)
{
    QStringList ids;
    {
        auto db = m_db.connection();
        if (!db)
            return db.error();
        Query q(*db,
            QStringLiteral("SELECT m.queue_id FROM queue_messages m WHERE m.received < ? AND ") + kInQuarantine
                + QStringLiteral(" LIMIT 10000"));
        if (auto s = q.bind(before).exec(); !s)
            return s.error();
        while (q.next())
            ids << q.value(0).toString();
    }
    QStringList out;
    for (const QString &id : std::as_const(ids)) {
        auto n = discardQuarantine(id, QStringLiteral("expired in quarantine"));
        if (!n && n.error().code != ErrorCode::NotFound)
            return n.error();
        if (n)
            out << id;
    }
    return out;
}

} // namespace mailroom::store
