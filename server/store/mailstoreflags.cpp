// MailStore, part 5: STORE (RFC 9051 §6.4.6) with CONDSTORE's
// UNCHANGEDSINCE (RFC 7162 §3.1.3) and EXPUNGE / UID EXPUNGE (RFC 9051
// §6.4.3, RFC 4315 §2.1). Keywords compare case-insensitively and keep the
// spelling they were first stored with (RFC 9051 §2.3.2). Each call is one
// transaction with one new MODSEQ for all the rows it changes; expunged UIDs
// are kept for QRESYNC's VANISHED (RFC 7162 §3.2.10).
// Trust level: internal; the IMAP layer has checked the keywords' syntax.
#include "store/mailstore.h"
#include "store/mailstoreinternal.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

using namespace mailstore;

namespace
{
// Same keywords, ignoring case and order.
bool sameKeywords(const QStringList &a, const QStringList &b)
{
    if (a.size() != b.size())
        return false;
    for (const QString &k : a)
        if (!b.contains(k, Qt::CaseInsensitive))
            return false;
    return true;
}

// Applies the change to one message; false when nothing would change.
bool apply(const FlagChange &c, const QStringList &requested, quint32 &flags, QStringList &keywords)
{
    const quint32 oldFlags = flags;
    switch (c.mode) {
    case FlagMode::Replace: {
        QStringList next;
        for (const QString &k : requested) {
            // An existing keyword keeps its spelling.
            const auto it = std::find_if(keywords.cbegin(), keywords.cend(),
                [&](const QString &have) { return have.compare(k, Qt::CaseInsensitive) == 0; });
            next << (it != keywords.cend() ? *it : k);
        }
        flags = c.flags;
        if (flags == oldFlags && sameKeywords(next, keywords))
            return false;
        keywords = next;
        return true;
    }
    case FlagMode::Add: {
        flags |= c.flags;
        bool added = false;
        for (const QString &k : requested)
            if (!keywords.contains(k, Qt::CaseInsensitive)) {
                keywords << k;
                added = true;
            }
        return added || flags != oldFlags;
    }
    case FlagMode::Remove: {
        flags &= ~c.flags;
        qsizetype removed = 0;
        for (const QString &k : requested)
            removed
                += keywords.removeIf([&](const QString &have) { return have.compare(k, Qt::CaseInsensitive) == 0; });
        return removed > 0 || flags != oldFlags;
    }
    }
    return false;
}
} // namespace

Result<FlagResult> MailStore::storeFlags(qint64 mailboxId, const QList<qint64> &uids, const FlagChange &change)
{
    const QList<qint64> wanted = sortedUids(uids);
    const QStringList requested = uniqueKeywords(change.keywords);
    auto db = m_db.connection();
    if (!db)
        return db.error();
    FlagResult out;
    {
        Transaction tx(*db);
        if (!tx.begun())
            return tx.error();
        auto box = loadMailbox(*db, mailboxId);
        if (!box)
            return box.error();
        if (!box->has_value())
            return mailboxGone();
        const qint64 modseq = (*box)->highestModSeq + 1;
        out.highestModSeq = (*box)->highestModSeq;
        struct Row {
            qint64 id;
            MessageMeta meta;
        };
        QList<Row> rows;
        auto read = forEachUid(
            *db, mailboxId, wanted, QStringLiteral("uid, id, modseq, flags, keywords"), [&](const Query &q) {
                MessageMeta m;
                m.uid = q.value(0).toLongLong();
                m.modseq = q.value(2).toLongLong();
                if (change.unchangedSince >= 0 && m.modseq > change.unchangedSince) {
                    out.failed << m.uid;
                    return;
                }
                m.flags = q.value(3).toUInt();
                m.keywords = splitKeywords(q.value(4).toString());
                if (!apply(change, requested, m.flags, m.keywords))
                    return;
                m.modseq = modseq;
                rows.append({ q.value(1).toLongLong(), std::move(m) });
            });
        if (!read)
            return read.error();
        if (rows.isEmpty())
            return out; // nothing to write: the transaction rolls back
        {
            Query upd(*db, QStringLiteral("UPDATE messages SET flags = ?, keywords = ?, modseq = ? WHERE id = ?"));
            for (const Row &r : std::as_const(rows))
                if (auto s = upd.bind(r.meta.flags).bind(joinKeywords(r.meta.keywords)).bind(modseq).bind(r.id).exec();
                    !s)
                    return s.error();
        }
        if (auto s = setCounters(*db, mailboxId, (*box)->uidNext, modseq); !s)
            return s.error();
        if (auto s = tx.commit(); !s)
            return s.error();
        out.highestModSeq = modseq;
        out.updated.reserve(rows.size());
        for (Row &r : rows)
            out.updated.append(std::move(r.meta));
    }
    m_events.notifyChanged(mailboxId);
    return out;
}

Result<QList<qint64>> MailStore::expunge(qint64 mailboxId, const QList<qint64> *uids)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    QList<qint64> gone;
    {
        Transaction tx(*db);
        if (!tx.begun())
            return tx.error();
        auto box = loadMailbox(*db, mailboxId);
        if (!box)
            return box.error();
        if (!box->has_value())
            return mailboxGone();
        QList<qint64> ids;
        const auto collect = [&](const Query &q) {
            if (q.value(2).toUInt() & FlagDeleted) {
                gone << q.value(0).toLongLong();
                ids << q.value(1).toLongLong();
            }
        };
        if (uids) {
            if (auto s = forEachUid(*db, mailboxId, sortedUids(*uids), QStringLiteral("uid, id, flags"), collect); !s)
                return s.error();
        } else {
            Query q(*db,
                QStringLiteral("SELECT uid, id, flags FROM messages WHERE mailbox_id = ? AND (flags & ?) <> 0"
                               " ORDER BY uid"));
            if (auto s = q.bind(mailboxId).bind(quint32(FlagDeleted)).exec(); !s)
                return s.error();
            while (q.next())
                collect(q);
        }
        if (ids.isEmpty())
            return gone;
        const qint64 modseq = (*box)->highestModSeq + 1;
        {
            Query del(*db, QStringLiteral("DELETE FROM messages WHERE id = ?"));
            Query rec(
                *db, QStringLiteral("INSERT OR REPLACE INTO expunged (mailbox_id, uid, modseq) VALUES (?, ?, ?)"));
            for (qsizetype i = 0; i < ids.size(); ++i) {
                if (auto s = del.bind(ids[i]).exec(); !s)
                    return s.error();
                if (auto s = rec.bind(mailboxId).bind(gone[i]).bind(modseq).exec(); !s)
                    return s.error();
            }
        }
        if (auto s = setCounters(*db, mailboxId, (*box)->uidNext, modseq); !s)
            return s.error();
        if (auto s = tx.commit(); !s)
            return s.error();
    }
    m_events.notifyChanged(mailboxId);
    return gone;
}

} // namespace mailroom::store
