#include "store/queuerepository.h"

#include <QRandomGenerator>

#include "store/address.h"
#include "store/blobstore.h"
#include "store/rows.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

namespace
{

QString newQueueId()
{
    // 12 hex digits: short enough to read out over the phone, 48 random bits.
    const quint64 v = QRandomGenerator::system()->generate64() & 0xffffffffffffULL;
    return QStringLiteral("%1").arg(v, 12, 16, QLatin1Char('0')).toUpper();
}

const QString kDueColumns = QStringLiteral(
    "r.id, r.message_id, r.address, r.orig_rcpt, r.notify, r.attempts, m.queue_id, m.blob_hash, m.sender,"
    " m.envid, m.ret, CASE r.verdict WHEN '' THEN m.verdict ELSE r.verdict END, m.size, m.body_offset, m.smtputf8, "
    "m.body8bit, m.received, m.env_date,"
    " m.subject, m.env_from, m.env_to, m.env_cc, m.env_message_id, m.env_in_reply_to");

DueRecipient dueFromQuery(const Query &q)
{
    DueRecipient d;
    d.id = q.value(0).toLongLong();
    d.messageId = q.value(1).toLongLong();
    d.address = q.value(2).toString();
    d.originalRecipient = q.value(3).toString();
    d.notify = quint8(q.value(4).toInt());
    d.attempts = q.value(5).toInt();
    d.queueId = q.value(6).toString();
    d.blobHash = q.value(7).toString();
    d.sender = q.value(8).toString();
    d.envid = q.value(9).toString();
    d.ret = q.value(10).toString();
    d.verdict = q.value(11).toString();
    d.size = q.value(12).toLongLong();
    d.bodyOffset = q.value(13).toLongLong();
    d.smtpUtf8 = q.value(14).toBool();
    d.body8bit = q.value(15).toBool();
    d.received = fromMs(q.value(16).toLongLong());
    d.env = { q.value(17).toString(), q.value(18).toString(), q.value(19).toString(), q.value(20).toString(),
        q.value(21).toString(), q.value(22).toString(), q.value(23).toString() };
    return d;
}

// The history line of one recipient's outcome, under its message.
Status recipientHistory(const QSqlDatabase &db, qint64 recipientId, const QString &text)
{
    Query msg(db, QStringLiteral("SELECT message_id, address FROM queue_recipients WHERE id = ?"));
    if (auto s = msg.bind(recipientId).exec(); !s)
        return s;
    if (!msg.next())
        return {};
    return addHistoryRow(db, msg.value(0).toLongLong(), msg.value(1).toString(), text);
}
} // namespace

// States a recipient waits in; the rest are final.
const char *const kWaitingStates = "('queued','deferred','held','failed','quarantined')";

Status addHistoryRow(const QSqlDatabase &db, qint64 messageId, const QString &recipient, const QString &text)
{
    Query q(db, QStringLiteral("INSERT INTO queue_history (message_id, time, recipient, text) VALUES (?, ?, ?, ?)"));
    return q.bind(messageId).bind(nowMs()).bind(recipient).bind(text.left(2000)).exec();
}

QueueRepository::QueueRepository(Database &db)
    : m_db(db)
{
}

Result<QList<QueuedIds>> QueueRepository::insertBatch(const QList<NewQueueMessage> &messages)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    QList<QueuedIds> out;
    const qint64 now = nowMs();
    for (const NewQueueMessage &m : messages) {
        if (auto s = BlobStore::registerInTransaction(*db, m.blobHash, m.size); !s)
            return s.error();
        Query ins(*db,
            QStringLiteral("INSERT INTO queue_messages (queue_id, blob_hash, body_offset, size, sender, received,"
                           " client_address, client_helo, auth_user, service, envid, ret, smtputf8, body8bit,"
                           " verdict, subject, env_from, env_to, env_cc, env_date, env_message_id, env_in_reply_to,"
                           " spam_score, spam_tags)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        const QString queueId = newQueueId();
        ins.bind(queueId).bind(m.blobHash).bind(m.bodyOffset).bind(m.size).bind(m.sender).bind(now);
        ins.bind(m.clientAddress).bind(m.clientHelo).bind(m.authUser).bind(m.service).bind(m.envid).bind(m.ret);
        ins.bind(m.smtpUtf8 ? 1 : 0).bind(m.body8bit ? 1 : 0).bind(m.verdict).bind(m.env.subject.left(1000));
        ins.bind(m.env.from.left(1000)).bind(m.env.to.left(4000)).bind(m.env.cc.left(4000)).bind(m.env.date.left(200));
        ins.bind(m.env.messageId.left(1000)).bind(m.env.inReplyTo.left(1000));
        ins.bind(m.spamScored ? QVariant(m.spamScore) : QVariant(QMetaType(QMetaType::Double))).bind(m.spamTags);
        if (auto s = ins.exec(); !s)
            return s.error();
        const qint64 id = ins.lastInsertId();
        for (const NewRecipient &r : m.recipients) {
            Query rc(*db,
                QStringLiteral("INSERT INTO queue_recipients (message_id, address, orig_rcpt, notify, state,"
                               " verdict, next_attempt, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
            const QString verdict = r.verdict.isEmpty() ? m.verdict : r.verdict;
            const QString state = verdict == u"quarantine" ? QStringLiteral("quarantined") : QStringLiteral("queued");
            rc.bind(id).bind(r.address).bind(r.originalRecipient).bind(r.notify).bind(state).bind(r.verdict);
            if (auto s = rc.bind(now).bind(now).exec(); !s)
                return s.error();
        }
        if (auto s = addHistoryRow(*db, id, QString(),
                QStringLiteral("accepted from %1 for %2 recipient(s)")
                    .arg(m.clientAddress.isEmpty() ? m.service : m.clientAddress)
                    .arg(m.recipients.size()));
            !s)
            return s.error();
        out.append({ id, queueId });
    }
    if (auto s = tx.commit(); !s)
        return s.error();
    return out;
}

Result<QList<DueRecipient>> QueueRepository::due(qint64 now, int limit, const QSet<qint64> &exclude)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db,
        QStringLiteral("SELECT ") + kDueColumns
            + QStringLiteral(" FROM queue_recipients r JOIN queue_messages m ON m.id = r.message_id"
                             " WHERE r.state IN ('queued','deferred') AND r.next_attempt <= ?"
                             " ORDER BY r.next_attempt, r.id LIMIT ?"));
    if (auto s = q.bind(now).bind(limit + exclude.size()).exec(); !s)
        return s.error();
    QList<DueRecipient> out;
    while (q.next() && out.size() < limit) {
        DueRecipient d = dueFromQuery(q);
        if (!exclude.contains(d.id))
            out.append(std::move(d));
    }
    return out;
}

Result<qint64> QueueRepository::nextDueMs()
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto v = Query(
        *db, QStringLiteral("SELECT MIN(next_attempt) FROM queue_recipients WHERE state IN ('queued','deferred')"))
                 .scalar();
    if (!v)
        return v.error();
    return v->isNull() ? qint64(-1) : v->toLongLong();
}

Result<DueRecipient> QueueRepository::message(qint64 messageId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db,
        QStringLiteral(
            "SELECT 0, m.id, '', '', 0, 0, m.queue_id, m.blob_hash, m.sender, m.envid, m.ret, m.verdict,"
            " m.size, m.body_offset, m.smtputf8, m.body8bit, m.received, m.env_date, m.subject, m.env_from,"
            " m.env_to, m.env_cc, m.env_message_id, m.env_in_reply_to FROM queue_messages m WHERE m.id = ?"));
    if (auto s = q.bind(messageId).exec(); !s)
        return s.error();
    if (!q.next())
        return Error(ErrorCode::NotFound, QStringLiteral("The queued message is gone."));
    return dueFromQuery(q);
}

Result<QList<qint64>> QueueRepository::messagesToReport()
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("SELECT DISTINCT message_id FROM queue_recipients WHERE state = 'failed'"));
    if (auto s = q.exec(); !s)
        return s.error();
    QList<qint64> out;
    while (q.next())
        out << q.value(0).toLongLong();
    return out;
}

Result<bool> QueueRepository::isLocalDomain(const QString &domain)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto v = Query(*db, QStringLiteral("SELECT 1 FROM domains WHERE name = ?")).bind(domain).scalar();
    if (!v)
        return v.error();
    return v->isValid();
}

Status QueueRepository::deliverLocal(const DueRecipient &r,
    const QList<LocalFiling> &filings,
    const QStringList &forwards,
    QStringList *skipped,
    QList<qint64> *filedMailboxes)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    // Still waiting? A restart or an admin action may have settled it.
    auto state = Query(*db, QStringLiteral("SELECT state FROM queue_recipients WHERE id = ?")).bind(r.id).scalar();
    if (!state)
        return state.error();
    if (state->toString() != u"queued" && state->toString() != u"deferred")
        return {};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QStringList filed;
    QList<qint64> mailboxIds;
    for (const LocalFiling &f : filings) {
        Query mb(*db,
            QStringLiteral("SELECT b.id, u.enabled FROM mailboxes b JOIN users u ON u.id = b.user_id"
                           " WHERE u.address = ? AND ((? = '' AND b.name = 'INBOX') OR (? <> '' AND b.special_use = ?))"
                           " ORDER BY b.id LIMIT 1"));
        if (auto s = mb.bind(f.user).bind(f.specialUse).bind(f.specialUse).bind(f.specialUse).exec(); !s)
            return s;
        qint64 mailboxId = 0;
        if (mb.next() && mb.value(1).toBool())
            mailboxId = mb.value(0).toLongLong();
        if (mailboxId == 0 && !f.specialUse.isEmpty()) {
            // No such special mailbox (the user deleted Junk): the Inbox then.
            Query inbox(*db,
                QStringLiteral("SELECT b.id FROM mailboxes b JOIN users u ON u.id = b.user_id"
                               " WHERE u.address = ? AND u.enabled = 1 AND b.name = 'INBOX'"));
            auto v = inbox.bind(f.user).scalar();
            if (!v)
                return v.error();
            mailboxId = v->toLongLong();
        }
        if (mailboxId == 0) {
            skipped->append(f.user);
            continue;
        }
        auto uid = Mailboxes::appendInTransaction(*db, mailboxId, r.blobHash, r.size, 0, now, r.env);
        if (!uid) {
            if (uid.error().code != ErrorCode::QuotaExceeded)
                return uid.error();
            skipped->append(f.user);
            continue;
        }
        filed << f.user;
        mailboxIds << mailboxId;
    }
    for (const QString &to : forwards) {
        Query rc(*db,
            QStringLiteral("INSERT INTO queue_recipients (message_id, address, orig_rcpt, notify, state, next_attempt,"
                           " updated) VALUES (?, ?, ?, ?, 'queued', ?, ?)"));
        const QString orig
            = r.originalRecipient.isEmpty() ? QStringLiteral("rfc822;") + r.address : r.originalRecipient;
        if (auto s = rc.bind(r.messageId).bind(to).bind(orig).bind(r.notify).bind(nowMs()).bind(nowMs()).exec(); !s)
            return s;
    }
    if (!filed.isEmpty() || !forwards.isEmpty() || skipped->isEmpty()) {
        Query done(*db,
            QStringLiteral("UPDATE queue_recipients SET state = 'delivered', status = '2.0.0', diagnostic = ?,"
                           " last_attempt = ?, attempts = attempts + 1, updated = ? WHERE id = ?"));
        const QString text
            = QStringLiteral("delivered to %1").arg((filed + forwards).join(QStringLiteral(", ")).left(1000));
        if (auto s = done.bind(text).bind(nowMs()).bind(nowMs()).bind(r.id).exec(); !s)
            return s;
        if (auto s = addHistoryRow(*db, r.messageId, r.address, text); !s)
            return s;
    }
    if (auto s = tx.commit(); !s)
        return s;
    if (filedMailboxes)
        *filedMailboxes = mailboxIds;
    return {};
}

Status QueueRepository::defer(
    qint64 id, qint64 nextAttemptMs, const QString &status, const QString &diagnostic, const QString &remoteMta)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    Query q(*db,
        QStringLiteral("UPDATE queue_recipients SET state = CASE state WHEN 'held' THEN 'held' ELSE 'deferred' END,"
                       " attempts = attempts + 1, next_attempt = ?, last_attempt = ?, status = ?, diagnostic = ?,"
                       " remote_mta = ?, updated = ? WHERE id = ? AND state IN ('queued','deferred','held')"));
    q.bind(nextAttemptMs).bind(nowMs()).bind(status).bind(diagnostic.left(2000)).bind(remoteMta);
    if (auto s = q.bind(nowMs()).bind(id).exec(); !s)
        return s;
    if (auto s = recipientHistory(*db, id, QStringLiteral("deferred: %1").arg(diagnostic)); !s)
        return s;
    return tx.commit();
}

Status QueueRepository::finish(
    qint64 id, const QString &state, const QString &status, const QString &diagnostic, const QString &remoteMta)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    Query q(*db,
        QStringLiteral("UPDATE queue_recipients SET state = ?, attempts = attempts + 1, last_attempt = ?, status = ?,"
                       " diagnostic = ?, remote_mta = ?, updated = ? WHERE id = ?"
                       " AND state IN ('queued','deferred','held')"));
    q.bind(state).bind(nowMs()).bind(status).bind(diagnostic.left(2000)).bind(remoteMta).bind(nowMs()).bind(id);
    if (auto s = q.exec(); !s)
        return s;
    if (auto s
        = recipientHistory(*db, id, QStringLiteral("%1: %2").arg(state, diagnostic.isEmpty() ? status : diagnostic));
        !s)
        return s;
    return tx.commit();
}

Status QueueRepository::markDelayNotified(qint64 recipientId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    return Query(*db, QStringLiteral("UPDATE queue_recipients SET delay_notified = 1 WHERE id = ?"))
        .bind(recipientId)
        .exec();
}

Status QueueRepository::addHistory(qint64 messageId, const QString &recipient, const QString &text)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    return addHistoryRow(*db, messageId, recipient, text);
}

Status QueueRepository::setState(qint64 recipientId, const QString &state)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    return Query(*db, QStringLiteral("UPDATE queue_recipients SET state = ?, updated = ? WHERE id = ?"))
        .bind(state)
        .bind(nowMs())
        .bind(recipientId)
        .exec();
}

Result<QStringList> QueueRepository::removeFinished(qint64 messageId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    Query q(*db,
        QStringLiteral("SELECT queue_id FROM queue_messages m WHERE id = ? AND NOT EXISTS (SELECT 1 FROM"
                       " queue_recipients r WHERE r.message_id = m.id AND r.state IN ")
            + QLatin1String(kWaitingStates) + QStringLiteral(")"));
    auto v = q.bind(messageId).scalar();
    if (!v)
        return v.error();
    QStringList out;
    if (v->isValid()) {
        if (auto s = Query(*db, QStringLiteral("DELETE FROM queue_messages WHERE id = ?")).bind(messageId).exec(); !s)
            return s.error();
        out << v->toString();
    }
    if (auto s = tx.commit(); !s)
        return s.error();
    return out;
}

Result<QStringList> QueueRepository::removeAllFinished()
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    const QString done = QStringLiteral(" FROM queue_messages m WHERE NOT EXISTS (SELECT 1 FROM queue_recipients r"
                                        " WHERE r.message_id = m.id AND r.state IN ")
        + QLatin1String(kWaitingStates) + QStringLiteral(")");
    Query q(*db, QStringLiteral("SELECT queue_id") + done);
    if (auto s = q.exec(); !s)
        return s.error();
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    if (!out.isEmpty())
        if (auto s = Query(
                *db, QStringLiteral("DELETE FROM queue_messages WHERE id IN (SELECT m.id") + done + QStringLiteral(")"))
                         .exec();
            !s)
            return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return out;
}

Result<QList<QueueRecipientRow>> selectRecipients(const QSqlDatabase &db, qint64 messageId, const QString &state)
{
    Query q(db,
        QStringLiteral("SELECT id, address, orig_rcpt, state, status, diagnostic, remote_mta, attempts, next_attempt,"
                       " last_attempt, notify FROM queue_recipients WHERE message_id = ? AND (? = '' OR state = ?)"
                       " ORDER BY id"));
    if (auto s = q.bind(messageId).bind(state).bind(state).exec(); !s)
        return s.error();
    QList<QueueRecipientRow> out;
    while (q.next())
        out.append({ q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
            q.value(4).toString(), q.value(5).toString(), q.value(6).toString(), q.value(7).toInt(),
            fromMs(q.value(8).toLongLong()), fromMs(q.value(9).toLongLong()), q.value(10).toInt() });
    return out;
}

Result<QList<QueueRecipientRow>> QueueRepository::recipientsInState(qint64 messageId, const QString &state)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    return selectRecipients(*db, messageId, state);
}

Result<bool> QueueRepository::delayNotified(qint64 recipientId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto v = Query(*db, QStringLiteral("SELECT delay_notified FROM queue_recipients WHERE id = ?"))
                 .bind(recipientId)
                 .scalar();
    if (!v)
        return v.error();
    return v->toBool();
}

} // namespace mailroom::store
