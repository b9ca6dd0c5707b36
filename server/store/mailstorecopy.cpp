// MailStore, part 3: COPY and MOVE (RFC 9051 §6.4.7, RFC 6851) with the
// UIDPLUS COPYUID mapping (RFC 4315 §3). The copies take new UIDs in the
// order of the source UIDs, keep flags, keywords, internal date and the
// cached IMAP strings, and reference the same blob (the messages triggers
// count it). A move expunges the sources in the same transaction. Moving
// into or out of \Junk (RFC 6154) is reported for spam training.
// Trust level: internal; callers have authenticated the user.
#include "store/mailstore.h"
#include "store/mailstoreinternal.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

using namespace mailstore;

namespace mailstore
{

Result<CopyOutcome> copyInTransaction(const QSqlDatabase &db,
    const MailboxRow &from,
    const QList<qint64> &uids,
    const MailboxRow &to,
    bool move,
    bool checkQuota)
{
    struct Source {
        qint64 uid, id, size;
        QString hash;
    };
    QList<Source> sources;
    qint64 bytes = 0;
    auto read = forEachUid(db, from.id, uids, QStringLiteral("uid, id, size, blob_hash"), [&](const Query &q) {
        sources.append(
            { q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong(), q.value(3).toString() });
        bytes += q.value(2).toLongLong();
    });
    if (!read)
        return read.error();
    CopyOutcome out;
    out.destModSeq = to.highestModSeq;
    if (sources.isEmpty())
        return out;
    if (checkQuota) {
        auto quota = quotaRow(db, to.userId);
        if (!quota)
            return quota.error();
        if (quota->limit > 0 && quota->used + bytes > quota->limit)
            return quotaExceeded(quota->used, quota->limit);
    }
    // One new MODSEQ per mailbox touched (one in all when they are the same).
    out.destModSeq = to.highestModSeq + 1;
    const qint64 sourceModSeq = from.id == to.id ? out.destModSeq : from.highestModSeq + 1;
    qint64 uid = to.uidNext;
    Query ins(db,
        QStringLiteral("INSERT INTO messages (mailbox_id, uid, modseq, flags, keywords, internal_date, size, blob_hash,"
                       " env_date, env_subject, env_from, env_to, env_cc, env_message_id, env_in_reply_to,"
                       " bodystructure, envelope) SELECT ?, ?, ?, flags, keywords, internal_date, size, blob_hash,"
                       " env_date, env_subject, env_from, env_to, env_cc, env_message_id, env_in_reply_to,"
                       " bodystructure, envelope FROM messages WHERE id = ?"));
    for (const Source &s : std::as_const(sources)) {
        if (auto st = ins.bind(to.id).bind(uid).bind(out.destModSeq).bind(s.id).exec(); !st)
            return st.error();
        out.sourceUids << s.uid;
        out.destUids << uid++;
        out.blobHashes << s.hash;
    }
    if (move) {
        Query del(db, QStringLiteral("DELETE FROM messages WHERE id = ?"));
        Query gone(db, QStringLiteral("INSERT OR REPLACE INTO expunged (mailbox_id, uid, modseq) VALUES (?, ?, ?)"));
        for (const Source &s : std::as_const(sources)) {
            if (auto st = del.bind(s.id).exec(); !st)
                return st.error();
            if (auto st = gone.bind(from.id).bind(s.uid).bind(sourceModSeq).exec(); !st)
                return st.error();
        }
        if (from.id != to.id)
            if (auto st = setCounters(db, from.id, from.uidNext, sourceModSeq); !st)
                return st.error();
    }
    if (auto st = setCounters(db, to.id, uid, out.destModSeq); !st)
        return st.error();
    return out;
}

} // namespace mailstore

Result<CopyResult> MailStore::copy(qint64 fromMailboxId, const QList<qint64> &uids, qint64 toMailboxId, bool move)
{
    const QList<qint64> wanted = sortedUids(uids);
    auto db = m_db.connection();
    if (!db)
        return db.error();
    MailboxRow from, to;
    CopyOutcome done;
    {
        Transaction tx(*db);
        if (!tx.begun())
            return tx.error();
        auto f = loadMailbox(*db, fromMailboxId);
        if (!f)
            return f.error();
        auto t = loadMailbox(*db, toMailboxId);
        if (!t)
            return t.error();
        if (!f->has_value() || !t->has_value())
            return mailboxGone();
        from = **f;
        to = **t;
        // A move within one user's mailboxes does not change what they use.
        auto r = copyInTransaction(*db, from, wanted, to, move, !move || from.userId != to.userId);
        if (!r)
            return r.error();
        done = std::move(r).value();
        if (auto s = tx.commit(); !s)
            return s.error();
    }
    CopyResult out;
    out.destUidValidity = to.uidValidity;
    out.sourceUids = done.sourceUids;
    out.destUids = done.destUids;
    if (move)
        out.expungedUids = done.sourceUids;
    if (done.sourceUids.isEmpty())
        return out;
    m_events.notifyChanged(to.id);
    if (move && from.id != to.id)
        m_events.notifyChanged(from.id);
    const QString junk = QStringLiteral("\\Junk");
    const bool intoJunk = to.specialUse == junk && from.specialUse != junk;
    const bool outOfJunk = from.specialUse == junk && to.specialUse != junk && to.specialUse != u"\\Trash";
    if (intoJunk || outOfJunk)
        for (const QString &hash : std::as_const(done.blobHashes))
            emit m_events.junkMoved(to.userId, hash, intoJunk);
    return out;
}

} // namespace mailroom::store
