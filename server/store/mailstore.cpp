// MailStore, part 1: users, the mailbox list with its counts (RFC 9051
// §6.3.9 LIST, §6.3.11 STATUS), subscriptions as names (RFC 9051 §6.3.7,
// §6.3.8), quota figures (RFC 9208) and message files.
// Trust level: internal; callers have authenticated the user.
// Mailbox changes are in mailstoremailboxes.cpp, message reads in
// mailstoremessages.cpp, flags and EXPUNGE in mailstoreflags.cpp, COPY and
// MOVE in mailstorecopy.cpp.
#include "store/mailstore.h"

#include "store/address.h"
#include "store/blobstore.h"
#include "store/mailstoreinternal.h"
#include "store/sql.h"

namespace mailroom::store
{

using namespace mailstore;

namespace
{
// Counts per mailbox; COALESCE because SUM over no rows is NULL.
const QString kEntrySelect = QStringLiteral(
    "SELECT b.id, b.name, b.special_use, b.uidvalidity, b.uidnext, b.highestmodseq, COUNT(m.id),"
    " COALESCE(SUM((m.flags & 1) = 0), 0), COALESCE(SUM((m.flags & 8) <> 0), 0), COALESCE(SUM(m.size), 0)"
    " FROM mailboxes b LEFT JOIN messages m ON m.mailbox_id = b.id");
// The same columns without the counts (zeros) but the kept size.
const QString kEntryBare = QStringLiteral("SELECT b.id, b.name, b.special_use, b.uidvalidity, b.uidnext,"
                                          " b.highestmodseq, 0, 0, 0, b.used_bytes FROM mailboxes b");

MailboxEntry entryFrom(const Query &q)
{
    MailboxEntry e;
    e.id = q.value(0).toLongLong();
    e.name = q.value(1).toString();
    e.specialUse = q.value(2).toString();
    e.uidValidity = q.value(3).toLongLong();
    e.uidNext = q.value(4).toLongLong();
    e.highestModSeq = q.value(5).toLongLong();
    e.messages = q.value(6).toLongLong();
    e.unseen = q.value(7).toLongLong();
    e.deleted = q.value(8).toLongLong();
    e.bytes = q.value(9).toLongLong();
    return e;
}
} // namespace

MailStore::MailStore(Database &db, BlobStore &blobs)
    : m_db(db)
    , m_blobs(blobs)
{
}

Result<qint64> MailStore::userId(const QString &address)
{
    auto a = parseAddress(address);
    if (!a)
        return a.error();
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto id
        = Query(*db, QStringLiteral("SELECT id FROM users WHERE address = ? AND enabled = 1")).bind(a->text()).scalar();
    if (!id)
        return id.error();
    if (!id->isValid())
        return Error(ErrorCode::NotFound, QStringLiteral("There is no enabled user %1.").arg(a->text()));
    return id->toLongLong();
}

Result<QList<MailboxEntry>> MailStore::mailboxes(qint64 userId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(
        *db, kEntrySelect + QStringLiteral(" WHERE b.user_id = ? GROUP BY b.id ORDER BY b.name <> 'INBOX', b.name"));
    if (auto s = q.bind(userId).exec(); !s)
        return s.error();
    QList<MailboxEntry> out;
    while (q.next())
        out << entryFrom(q);
    return out;
}

Result<MailboxEntry> MailStore::mailbox(qint64 userId, const QString &name, Counts counts)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db,
        counts == Counts::With ? kEntrySelect + QStringLiteral(" WHERE b.user_id = ? AND b.name = ? GROUP BY b.id")
                               : kEntryBare + QStringLiteral(" WHERE b.user_id = ? AND b.name = ?"));
    if (auto s = q.bind(userId).bind(canonicalName(name)).exec(); !s)
        return s.error();
    if (!q.next())
        return noMailbox(name);
    return entryFrom(q);
}

Status MailStore::setSubscribed(qint64 userId, const QString &name, bool subscribed)
{
    const QString canonical = canonicalName(name);
    if (auto s = checkName(canonical); !s)
        return s;
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto user = Query(*db, QStringLiteral("SELECT 1 FROM users WHERE id = ?")).bind(userId).scalar();
    if (!user)
        return user.error();
    if (!user->isValid())
        return Error(ErrorCode::NotFound, QStringLiteral("The user no longer exists."));
    // A single statement needs no explicit transaction; removing a name
    // that is not subscribed is not an error (RFC 9051 §6.3.8 leaves it open).
    Query q(*db,
        subscribed ? QStringLiteral("INSERT OR IGNORE INTO subscriptions (user_id, name) VALUES (?, ?)")
                   : QStringLiteral("DELETE FROM subscriptions WHERE user_id = ? AND name = ?"));
    return q.bind(userId).bind(canonical).exec();
}

Result<QStringList> MailStore::subscriptions(qint64 userId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("SELECT name FROM subscriptions WHERE user_id = ? ORDER BY name <> 'INBOX', name"));
    if (auto s = q.bind(userId).exec(); !s)
        return s.error();
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

Result<QuotaUse> MailStore::quota(qint64 userId)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db,
        QStringLiteral("SELECT u.quota_bytes, COALESCE(SUM(m.size), 0), COUNT(m.id) FROM users u"
                       " LEFT JOIN mailboxes b ON b.user_id = u.id LEFT JOIN messages m ON m.mailbox_id = b.id"
                       " WHERE u.id = ? GROUP BY u.id"));
    if (auto s = q.bind(userId).exec(); !s)
        return s.error();
    if (!q.next())
        return Error(ErrorCode::NotFound, QStringLiteral("The user no longer exists."));
    QuotaUse use;
    use.limitBytes = q.value(0).toLongLong();
    use.usedBytes = q.value(1).toLongLong();
    use.messages = q.value(2).toLongLong();
    return use;
}

Result<QByteArray> MailStore::content(const QString &blobHash)
{
    return m_blobs.read(blobHash);
}

} // namespace mailroom::store
