// MailStore, part 4: reading messages (SELECT's snapshot, RFC 7162
// CONDSTORE/QRESYNC changes with the VANISHED UIDs, FETCH metadata, console
// pages), the cached ENVELOPE/BODYSTRUCTURE strings (DESIGN §3), and APPEND
// (RFC 9051 §6.3.12). Reads run in one deferred transaction so their parts
// agree. Trust level: internal; APPEND's bytes come from an authenticated
// user and are only parsed for display fields (mime, bounded).
#include "mime/encodedword.h"
#include "mime/envelope.h"
#include "store/blobstore.h"
#include "store/mailstore.h"
#include "store/mailstoreinternal.h"
#include "store/rows.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

using namespace mailstore;

namespace
{
// The display fields a delivery stores (queue/spool.cpp does the same).
EnvelopeFields displayFields(const QByteArray &message)
{
    const mime::HeaderBlock h = mime::HeaderBlock::parse(message, nullptr);
    EnvelopeFields f;
    f.date = QString::fromLatin1(h.value("Date")).left(200);
    f.subject = mime::decodedSubject(h).left(1000);
    f.from = mime::fromDisplay(h).left(1000);
    f.to = mime::decodeUnstructured(h.value("To")).simplified().left(4000);
    f.cc = mime::decodeUnstructured(h.value("Cc")).simplified().left(4000);
    f.messageId = QString::fromLatin1(h.value("Message-ID")).trimmed().left(1000);
    f.inReplyTo = QString::fromLatin1(h.value("In-Reply-To")).trimmed().left(1000);
    return f;
}

// uid, modseq, flags, keywords: what SELECT and untagged FETCH FLAGS need.
// Filled in place: on 100,000 rows a temporary MessageMeta per row costs
// more than reading the row.
void readShortMeta(const Query &q, MessageMeta &m)
{
    m.uid = q.value(0).toLongLong();
    m.modseq = q.value(1).toLongLong();
    m.flags = q.value(2).toUInt();
    const QString kw = q.value(3).toString();
    if (!kw.isEmpty())
        m.keywords = splitKeywords(kw);
}
} // namespace

Result<QList<MessageMeta>> MailStore::snapshot(qint64 mailboxId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    ReadTransaction rt(*db);
    auto box = loadMailbox(*db, mailboxId);
    if (!box)
        return box.error();
    if (!box->has_value())
        return mailboxGone();
    // Reserving saves moving every row's MessageMeta while the list grows.
    auto count
        = Query(*db, QStringLiteral("SELECT COUNT(*) FROM messages WHERE mailbox_id = ?")).bind(mailboxId).scalar();
    if (!count)
        return count.error();
    Query q(*db, QStringLiteral("SELECT uid, modseq, flags, keywords FROM messages WHERE mailbox_id = ? ORDER BY uid"));
    if (auto s = q.bind(mailboxId).exec(); !s)
        return s.error();
    QList<MessageMeta> out;
    out.reserve(count->toLongLong());
    while (q.next())
        readShortMeta(q, out.emplace_back());
    return out;
}

Result<MailboxChanges> MailStore::changesSince(qint64 mailboxId, qint64 modseq)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    ReadTransaction rt(*db);
    MailboxChanges out;
    auto box = loadMailbox(*db, mailboxId);
    if (!box)
        return box.error();
    if (!box->has_value()) {
        out.gone = true;
        return out;
    }
    out.highestModSeq = (*box)->highestModSeq;
    out.uidNext = (*box)->uidNext;
    if (modseq >= out.highestModSeq)
        return out;
    Query q(*db,
        QStringLiteral("SELECT uid, modseq, flags, keywords FROM messages WHERE mailbox_id = ? AND modseq > ?"
                       " ORDER BY uid"));
    if (auto s = q.bind(mailboxId).bind(modseq).exec(); !s)
        return s.error();
    while (q.next())
        readShortMeta(q, out.changed.emplace_back());
    Query x(*db, QStringLiteral("SELECT uid FROM expunged WHERE mailbox_id = ? AND modseq > ? ORDER BY uid"));
    if (auto s = x.bind(mailboxId).bind(modseq).exec(); !s)
        return s.error();
    while (x.next())
        out.expunged.append(x.value(0).toLongLong());
    return out;
}

Result<QList<MessageMeta>> MailStore::messages(qint64 mailboxId, const QList<qint64> &uids, MetaDetail detail)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    // forEachUid wants "uid" first; the meta readers read from column 1, so
    // the uid is selected twice.
    QList<MessageMeta> out;
    out.reserve(uids.size());
    ReadTransaction rt(*db);
    const QString columns = detail == MetaDetail::Full ? kFullColumns
        : detail == MetaDetail::Search                 ? kBasicColumns + QStringLiteral(", env_date, env_subject")
                                                       : kBasicColumns;
    auto s = forEachUid(*db, mailboxId, sortedUids(uids), QStringLiteral("uid, ") + columns, [&](const Query &q) {
        if (detail == MetaDetail::Full)
            return out.append(fullMeta(q, 1));
        MessageMeta m = basicMeta(q, 1);
        if (detail == MetaDetail::Search) {
            m.date = q.value(9).toString();
            m.subject = q.value(10).toString();
        }
        out.append(std::move(m));
    });
    if (!s)
        return s.error();
    return out;
}

Result<QList<MessageMeta>> MailStore::page(qint64 mailboxId, qint64 offset, qint64 limit)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db,
        QStringLiteral("SELECT ") + kFullColumns
            + QStringLiteral(" FROM messages WHERE mailbox_id = ? ORDER BY uid DESC LIMIT ? OFFSET ?"));
    if (auto s = q.bind(mailboxId).bind(std::max<qint64>(limit, 0)).bind(std::max<qint64>(offset, 0)).exec(); !s)
        return s.error();
    QList<MessageMeta> out;
    while (q.next())
        out.append(fullMeta(q));
    return out;
}

Status MailStore::setCache(const QList<CacheEntry> &entries)
{
    if (entries.isEmpty())
        return {};
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    {
        // Not a change a client sees: MODSEQ stays.
        Query q(*db, QStringLiteral("UPDATE messages SET envelope = ?, bodystructure = ? WHERE id = ?"));
        for (const CacheEntry &e : entries)
            if (auto s = q.bind(e.envelope).bind(e.bodyStructure).bind(e.id).exec(); !s)
                return s;
    }
    return tx.commit();
}

Result<AppendResult> MailStore::append(qint64 mailboxId,
    const QByteArray &content,
    quint32 flags,
    const QStringList &keywords,
    const QDateTime &internalDate)
{
    // The file first: a crash before the commit leaves an unreferenced blob
    // that garbage collection removes, never a row without its file.
    auto hash = m_blobs.put(content);
    if (!hash)
        return hash.error();
    const EnvelopeFields env = displayFields(content);
    const QDateTime date = internalDate.isValid() ? internalDate.toUTC() : QDateTime::currentDateTimeUtc();
    const QStringList kw = uniqueKeywords(keywords);
    auto db = m_db.connection();
    if (!db)
        return db.error();
    AppendResult out;
    {
        Transaction tx(*db);
        if (!tx.begun())
            return tx.error();
        auto box = loadMailbox(*db, mailboxId);
        if (!box)
            return box.error();
        if (!box->has_value())
            return mailboxGone();
        auto uid = Mailboxes::appendInTransaction(*db, mailboxId, *hash, content.size(), flags, date, env);
        if (!uid)
            return uid.error();
        if (!kw.isEmpty()) {
            Query q(*db, QStringLiteral("UPDATE messages SET keywords = ? WHERE mailbox_id = ? AND uid = ?"));
            if (auto s = q.bind(joinKeywords(kw)).bind(mailboxId).bind(*uid).exec(); !s)
                return s.error();
        }
        if (auto s = tx.commit(); !s)
            return s.error();
        out.uidValidity = (*box)->uidValidity;
        out.uid = *uid;
    }
    m_events.notifyChanged(mailboxId);
    return out;
}

} // namespace mailroom::store
