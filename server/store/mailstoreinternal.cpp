// The MailStore helpers declared in mailstoreinternal.h: name and keyword
// rules (RFC 9051 §5.1, §2.3.2), mailbox rows, UIDVALIDITY allocation
// (RFC 9051 §2.3.1.1), quota figures and UID-list lookups.
// Trust level: internal.
#include "store/mailstoreinternal.h"

#include <algorithm>

#include "store/rows.h"
#include "store/sql.h"

namespace mailroom::store::mailstore
{

namespace
{
// Up to this many UIDs are looked up one by one (an index seek each);
// more are read with one scan of their UID range.
constexpr qsizetype kSeekLimit = 200;
constexpr qsizetype kMaxNameBytes = 512;

MailboxRow mailboxFrom(const Query &q)
{
    MailboxRow m;
    m.id = q.value(0).toLongLong();
    m.userId = q.value(1).toLongLong();
    m.name = q.value(2).toString();
    m.specialUse = q.value(3).toString();
    m.uidValidity = q.value(4).toLongLong();
    m.uidNext = q.value(5).toLongLong();
    m.highestModSeq = q.value(6).toLongLong();
    return m;
}

const QString kMailboxColumns
    = QStringLiteral("SELECT id, user_id, name, special_use, uidvalidity, uidnext, highestmodseq FROM mailboxes");
} // namespace

const QString kBasicColumns = QStringLiteral("id, uid, modseq, flags, keywords, size, internal_date, blob_hash");
const QString kFullColumns = kBasicColumns
    + QStringLiteral(", envelope, bodystructure, env_date, env_subject, env_from, env_to, env_cc, env_message_id,"
                     " env_in_reply_to");

QString canonicalName(const QString &name)
{
    if (name.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0)
        return QStringLiteral("INBOX");
    return name;
}

bool isInbox(const QString &canonical)
{
    return canonical == u"INBOX";
}

Status checkName(const QString &name)
{
    if (name.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("A mailbox name cannot be empty."));
    if (name.startsWith(u'/') || name.endsWith(u'/') || name.contains(QLatin1String("//")))
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("The mailbox name \"%1\" has an empty level; names cannot start or end with '/' or "
                           "contain \"//\".")
                .arg(name.left(100)));
    if (name.toUtf8().size() > kMaxNameBytes)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("A mailbox name can be at most %1 bytes long in UTF-8.").arg(kMaxNameBytes));
    if (!QStringView(name).isValidUtf16())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("The mailbox name is not valid Unicode."));
    for (QChar c : name)
        if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() <= 0x9f))
            return Error(
                ErrorCode::InvalidArgument, QStringLiteral("A mailbox name cannot contain control characters."));
    return {};
}

QStringList parentNames(const QString &name)
{
    QStringList out;
    for (qsizetype i = name.indexOf(u'/'); i > 0; i = name.indexOf(u'/', i + 1))
        out << name.left(i);
    return out;
}

QStringList splitKeywords(const QString &stored)
{
    if (stored.isEmpty())
        return {};
    return stored.split(u' ', Qt::SkipEmptyParts);
}

QString joinKeywords(const QStringList &keywords)
{
    return keywords.join(u' ');
}

QStringList uniqueKeywords(const QStringList &keywords)
{
    QStringList out;
    for (const QString &k : keywords)
        if (!k.isEmpty() && !out.contains(k, Qt::CaseInsensitive))
            out << k;
    return out;
}

QList<qint64> sortedUids(QList<qint64> uids)
{
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    return uids;
}

Result<std::optional<MailboxRow>> loadMailbox(const QSqlDatabase &db, qint64 id)
{
    Query q(db, kMailboxColumns + QStringLiteral(" WHERE id = ?"));
    if (auto s = q.bind(id).exec(); !s)
        return s.error();
    if (!q.next())
        return std::optional<MailboxRow>();
    return std::optional<MailboxRow>(mailboxFrom(q));
}

Result<std::optional<MailboxRow>> findMailbox(const QSqlDatabase &db, qint64 userId, const QString &canonical)
{
    Query q(db, kMailboxColumns + QStringLiteral(" WHERE user_id = ? AND name = ?"));
    if (auto s = q.bind(userId).bind(canonical).exec(); !s)
        return s.error();
    if (!q.next())
        return std::optional<MailboxRow>();
    return std::optional<MailboxRow>(mailboxFrom(q));
}

Error mailboxGone()
{
    return Error(ErrorCode::NotFound, QStringLiteral("The mailbox no longer exists."));
}

Error noMailbox(const QString &name)
{
    return Error(ErrorCode::NotFound, QStringLiteral("There is no mailbox \"%1\".").arg(name.left(200)));
}

Status setCounters(const QSqlDatabase &db, qint64 mailboxId, qint64 uidNext, qint64 highestModSeq)
{
    // MAX(): UIDNEXT and HIGHESTMODSEQ only ever grow (RFC 9051 §2.3.1.1, RFC 7162 §3.1.2).
    Query q(db,
        QStringLiteral("UPDATE mailboxes SET uidnext = MAX(uidnext, ?), highestmodseq = MAX(highestmodseq, ?)"
                       " WHERE id = ?"));
    return q.bind(uidNext).bind(highestModSeq).bind(mailboxId).exec();
}

Result<qint64> insertMailbox(const QSqlDatabase &db, qint64 userId, const QString &name, const QString &specialUse)
{
    // The same rule as a new user's mailboxes (directoryusers.cpp).
    auto next = Query(db, QStringLiteral("SELECT MAX(COALESCE(MAX(uidvalidity), 0) + 1, ?) FROM mailboxes"))
                    .bind(QDateTime::currentSecsSinceEpoch() & 0x7fffffff)
                    .scalar();
    if (!next)
        return next.error();
    Query ins(db,
        QStringLiteral("INSERT INTO mailboxes (user_id, name, special_use, uidvalidity, subscribed)"
                       " VALUES (?, ?, ?, ?, 0)"));
    if (auto s = ins.bind(userId).bind(name).bind(specialUse).bind(next->toLongLong()).exec(); !s)
        return s.error();
    return ins.lastInsertId();
}

Result<QuotaRow> quotaRow(const QSqlDatabase &db, qint64 userId)
{
    Query q(db,
        QStringLiteral("SELECT u.quota_bytes, (SELECT COALESCE(SUM(b.used_bytes), 0) FROM mailboxes b"
                       " WHERE b.user_id = u.id) FROM users u WHERE u.id = ?"));
    if (auto s = q.bind(userId).exec(); !s)
        return s.error();
    if (!q.next())
        return Error(ErrorCode::NotFound, QStringLiteral("The user no longer exists."));
    return QuotaRow { q.value(0).toLongLong(), q.value(1).toLongLong() };
}

Error quotaExceeded(qint64 used, qint64 limit)
{
    return Error(
        ErrorCode::QuotaExceeded, QStringLiteral("The mailbox is full (%1 of %2 bytes used).").arg(used).arg(limit));
}

Status forEachUid(const QSqlDatabase &db,
    qint64 mailboxId,
    const QList<qint64> &uids,
    const QString &columns,
    const std::function<void(const Query &)> &onRow)
{
    if (uids.isEmpty())
        return {};
    if (uids.size() <= kSeekLimit) {
        Query q(db,
            QStringLiteral("SELECT ") + columns + QStringLiteral(" FROM messages WHERE mailbox_id = ? AND uid = ?"));
        for (qint64 uid : uids) {
            if (auto s = q.bind(mailboxId).bind(uid).exec(); !s)
                return s;
            if (q.next())
                onRow(q);
        }
        return {};
    }
    Query q(db,
        QStringLiteral("SELECT ") + columns
            + QStringLiteral(" FROM messages WHERE mailbox_id = ? AND uid BETWEEN ? AND ? ORDER BY uid"));
    if (auto s = q.bind(mailboxId).bind(uids.first()).bind(uids.last()).exec(); !s)
        return s;
    auto wanted = uids.cbegin();
    while (q.next()) {
        const qint64 uid = q.value(0).toLongLong();
        wanted = std::lower_bound(wanted, uids.cend(), uid);
        if (wanted == uids.cend())
            break;
        if (*wanted == uid)
            onRow(q);
    }
    return {};
}

MessageMeta basicMeta(const Query &q, int first)
{
    MessageMeta m;
    m.id = q.value(first).toLongLong();
    m.uid = q.value(first + 1).toLongLong();
    m.modseq = q.value(first + 2).toLongLong();
    m.flags = q.value(first + 3).toUInt();
    const QString keywords = q.value(first + 4).toString();
    if (!keywords.isEmpty())
        m.keywords = splitKeywords(keywords);
    m.size = q.value(first + 5).toLongLong();
    m.internalDate = fromMs(q.value(first + 6).toLongLong());
    m.blobHash = q.value(first + 7).toString();
    return m;
}

MessageMeta fullMeta(const Query &q, int first)
{
    MessageMeta m = basicMeta(q, first);
    m.envelope = q.value(first + 8).toByteArray();
    m.bodyStructure = q.value(first + 9).toByteArray();
    m.date = q.value(first + 10).toString();
    m.subject = q.value(first + 11).toString();
    m.from = q.value(first + 12).toString();
    m.to = q.value(first + 13).toString();
    m.cc = q.value(first + 14).toString();
    m.messageId = q.value(first + 15).toString();
    m.inReplyTo = q.value(first + 16).toString();
    return m;
}

ReadTransaction::ReadTransaction(QSqlDatabase db)
    : m_db(std::move(db))
{
    // Without it each statement still reads a consistent state of its own.
    m_active = execScript(m_db, { QStringLiteral("BEGIN DEFERRED") }).ok();
}

ReadTransaction::~ReadTransaction()
{
    if (m_active)
        (void)execScript(m_db, { QStringLiteral("COMMIT") });
}

} // namespace mailroom::store::mailstore
