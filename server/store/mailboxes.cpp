#include "store/mailboxes.h"

#include "store/address.h"
#include "store/rows.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

Mailboxes::Mailboxes(Database &db)
    : m_db(db)
{
}

Result<QList<MailboxInfo>> Mailboxes::list(const QString &userAddress)
{
    auto a = parseAddress(userAddress);
    if (!a)
        return a.error();
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db,
        QStringLiteral("SELECT b.id, b.name, b.special_use, b.uidvalidity, b.uidnext, b.highestmodseq,"
                       " COUNT(m.id), COALESCE(SUM((m.flags & 1) = 0), 0), COALESCE(SUM(m.size), 0)"
                       " FROM mailboxes b JOIN users u ON u.id = b.user_id"
                       " LEFT JOIN messages m ON m.mailbox_id = b.id"
                       " WHERE u.address = ? GROUP BY b.id ORDER BY b.id"));
    if (auto s = q.bind(a->text()).exec(); !s)
        return s.error();
    QList<MailboxInfo> out;
    while (q.next()) {
        MailboxInfo m;
        m.id = q.value(0).toLongLong();
        m.name = q.value(1).toString();
        m.specialUse = q.value(2).toString();
        m.uidValidity = q.value(3).toLongLong();
        m.uidNext = q.value(4).toLongLong();
        m.highestModSeq = q.value(5).toLongLong();
        m.messages = q.value(6).toLongLong();
        m.unseen = q.value(7).toLongLong();
        m.bytes = q.value(8).toLongLong();
        out << m;
    }
    if (out.isEmpty())
        return Error(ErrorCode::NotFound, QStringLiteral("There is no user %1.").arg(a->text()));
    return out;
}

Result<qint64> Mailboxes::append(qint64 mailboxId,
    const QString &blobHash,
    qint64 size,
    quint32 flags,
    const QDateTime &internalDate,
    const EnvelopeFields &env)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    auto uid = appendInTransaction(*db, mailboxId, blobHash, size, flags, internalDate, env);
    if (!uid)
        return uid;
    if (auto s = tx.commit(); !s)
        return s.error();
    return uid;
}

Result<qint64> Mailboxes::appendInTransaction(const QSqlDatabase &db,
    qint64 mailboxId,
    const QString &blobHash,
    qint64 size,
    quint32 flags,
    const QDateTime &internalDate,
    const EnvelopeFields &env)
{
    Query mb(db,
        QStringLiteral("SELECT b.uidnext, b.highestmodseq, u.quota_bytes,"
                       " (SELECT COALESCE(SUM(x.used_bytes), 0) FROM mailboxes x WHERE x.user_id = u.id)"
                       " FROM mailboxes b JOIN users u ON u.id = b.user_id WHERE b.id = ?"));
    if (auto s = mb.bind(mailboxId).exec(); !s)
        return s.error();
    if (!mb.next())
        return Error(ErrorCode::NotFound, QStringLiteral("The mailbox no longer exists."));
    const qint64 uid = mb.value(0).toLongLong();
    const qint64 modseq = mb.value(1).toLongLong() + 1;
    const qint64 quota = mb.value(2).toLongLong();
    const qint64 used = mb.value(3).toLongLong();
    if (quota > 0 && used + size > quota)
        return Error(ErrorCode::QuotaExceeded,
            QStringLiteral("The mailbox is full (%1 of %2 bytes used).").arg(used).arg(quota));
    auto blob = Query(db, QStringLiteral("SELECT 1 FROM blobs WHERE hash = ?")).bind(blobHash).scalar();
    if (!blob)
        return blob.error();
    if (!blob->isValid())
        return Error(
            ErrorCode::NotFound, QStringLiteral("Internal error: the message file %1 is not stored.").arg(blobHash));
    Query ins(db,
        QStringLiteral("INSERT INTO messages (mailbox_id, uid, modseq, flags, internal_date, size, blob_hash,"
                       " env_date, env_subject, env_from, env_to, env_cc, env_message_id, env_in_reply_to)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    ins.bind(mailboxId).bind(uid).bind(modseq).bind(flags).bind(internalDate.toMSecsSinceEpoch()).bind(size);
    ins.bind(blobHash).bind(env.date).bind(env.subject).bind(env.from).bind(env.to).bind(env.cc);
    ins.bind(env.messageId).bind(env.inReplyTo);
    if (auto s = ins.exec(); !s)
        return s.error();
    Query upd(db, QStringLiteral("UPDATE mailboxes SET uidnext = ?, highestmodseq = ? WHERE id = ?"));
    if (auto s = upd.bind(uid + 1).bind(modseq).bind(mailboxId).exec(); !s)
        return s.error();
    return uid;
}

} // namespace mailroom::store
