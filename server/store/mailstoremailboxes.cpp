// MailStore, part 2: CREATE, DELETE and RENAME of mailboxes (RFC 9051
// §6.3.4–§6.3.6) with CREATE-SPECIAL-USE (RFC 6154 §3). A new mailbox takes
// a fresh UIDVALIDITY, also when a deleted name is made again; a renamed one
// keeps its UIDVALIDITY and takes a new MODSEQ so open sessions notice.
// Trust level: internal; callers have authenticated the user.
#include <QHash>

#include "store/mailstore.h"
#include "store/mailstoreinternal.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

using namespace mailstore;

namespace
{
// RFC 6154 §2 attributes, in their registered spelling.
Result<QString> checkSpecialUse(const QString &use)
{
    if (use.isEmpty())
        return QString();
    static const QStringList known { QStringLiteral("\\All"), QStringLiteral("\\Archive"), QStringLiteral("\\Drafts"),
        QStringLiteral("\\Flagged"), QStringLiteral("\\Junk"), QStringLiteral("\\Sent"), QStringLiteral("\\Trash") };
    for (const QString &k : known)
        if (k.compare(use, Qt::CaseInsensitive) == 0)
            return k;
    return Error(ErrorCode::InvalidArgument,
        QStringLiteral("\"%1\" is not a special use this server knows (%2).").arg(use.left(40), known.join(u' ')));
}

Status checkUser(const QSqlDatabase &db, qint64 userId)
{
    auto v = Query(db, QStringLiteral("SELECT 1 FROM users WHERE id = ?")).bind(userId).scalar();
    if (!v)
        return v.error();
    if (!v->isValid())
        return Error(ErrorCode::NotFound, QStringLiteral("The user no longer exists."));
    return {};
}

Error exists(const QString &name)
{
    return Error(ErrorCode::AlreadyExists, QStringLiteral("A mailbox \"%1\" exists already.").arg(name.left(200)));
}

// The user's mailbox names and ids.
Result<QHash<QString, qint64>> allMailboxes(const QSqlDatabase &db, qint64 userId)
{
    Query q(db, QStringLiteral("SELECT name, id FROM mailboxes WHERE user_id = ?"));
    if (auto s = q.bind(userId).exec(); !s)
        return s.error();
    QHash<QString, qint64> out;
    while (q.next())
        out.insert(q.value(0).toString(), q.value(1).toLongLong());
    return out;
}

// Creates the parents of name that are missing; adds them to known.
Status createParents(const QSqlDatabase &db, qint64 userId, const QString &name, QHash<QString, qint64> &known)
{
    for (const QString &parent : parentNames(name)) {
        if (known.contains(parent))
            continue;
        auto id = insertMailbox(db, userId, parent, QString());
        if (!id)
            return id.error();
        known.insert(parent, *id);
    }
    return {};
}

Result<qint64> create(Database &database, qint64 userId, const QString &name, const QString &specialUse, bool parents)
{
    const QString canonical = canonicalName(name);
    if (auto s = checkName(canonical); !s)
        return s.error();
    auto use = checkSpecialUse(specialUse);
    if (!use)
        return use.error();
    auto db = database.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    if (auto s = checkUser(*db, userId); !s)
        return s.error();
    auto known = allMailboxes(*db, userId);
    if (!known)
        return known.error();
    if (known->contains(canonical))
        return exists(canonical);
    if (parents)
        if (auto s = createParents(*db, userId, canonical, known.value()); !s)
            return s.error();
    auto id = insertMailbox(*db, userId, canonical, *use);
    if (!id)
        return id;
    if (auto s = tx.commit(); !s)
        return s.error();
    return id;
}
} // namespace

Result<qint64> MailStore::createMailbox(qint64 userId, const QString &name, const QString &specialUse)
{
    return create(m_db, userId, name, specialUse, false);
}

Result<qint64> MailStore::createMailboxPath(qint64 userId, const QString &name, const QString &specialUse)
{
    return create(m_db, userId, name, specialUse, true);
}

Status MailStore::deleteMailbox(qint64 userId, const QString &name)
{
    const QString canonical = canonicalName(name);
    if (isInbox(canonical))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("INBOX cannot be deleted."));
    auto db = m_db.connection();
    if (!db)
        return db.error();
    qint64 id = 0;
    {
        Transaction tx(*db);
        if (!tx.begun())
            return tx.error();
        auto row = findMailbox(*db, userId, canonical);
        if (!row)
            return row.error();
        if (!row->has_value())
            return noMailbox(name);
        id = (*row)->id;
        // Messages and expunged UIDs go by ON DELETE CASCADE; the blob
        // references drop with each message (the messages_blob_unref trigger).
        // Children and subscriptions stay (RFC 9051 §6.3.5, §6.3.7).
        if (auto s = Query(*db, QStringLiteral("DELETE FROM mailboxes WHERE id = ?")).bind(id).exec(); !s)
            return s;
        if (auto s = tx.commit(); !s)
            return s;
    }
    m_events.notifyChanged(id);
    return {};
}

Status MailStore::renameMailbox(qint64 userId, const QString &from, const QString &to)
{
    const QString source = canonicalName(from);
    const QString target = canonicalName(to);
    if (auto s = checkName(target); !s)
        return s;
    if (isInbox(target))
        return exists(target);
    auto db = m_db.connection();
    if (!db)
        return db.error();
    QList<qint64> changed;
    {
        Transaction tx(*db);
        if (!tx.begun())
            return tx.error();
        auto known = allMailboxes(*db, userId);
        if (!known)
            return known.error();
        if (!known->contains(source))
            return noMailbox(from);
        if (known->contains(target))
            return exists(target);
        if (target.startsWith(source + u'/'))
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("A mailbox cannot be moved into itself (\"%1\" is inside \"%2\").")
                    .arg(target.left(200), source.left(200)));
        if (isInbox(source)) {
            // RFC 9051 §6.3.6: INBOX's messages move to a new mailbox of the
            // new name, INBOX stays (empty) and its children are not renamed.
            if (auto s = createParents(*db, userId, target, known.value()); !s)
                return s;
            auto newId = insertMailbox(*db, userId, target, QString());
            if (!newId)
                return newId.error();
            auto inbox = loadMailbox(*db, known->value(source));
            auto dest = loadMailbox(*db, *newId);
            if (!inbox || !dest)
                return !inbox ? inbox.error() : dest.error();
            if (!inbox->has_value() || !dest->has_value())
                return mailboxGone();
            Query all(*db, QStringLiteral("SELECT uid FROM messages WHERE mailbox_id = ? ORDER BY uid"));
            if (auto s = all.bind((*inbox)->id).exec(); !s)
                return s;
            QList<qint64> uids;
            while (all.next())
                uids << all.value(0).toLongLong();
            auto moved = copyInTransaction(*db, **inbox, uids, **dest, true, false);
            if (!moved)
                return moved.error();
            changed << (*inbox)->id << *newId;
        } else {
            // The mailbox and every name below it; all targets must be free.
            QList<QPair<qint64, QString>> renames { { known->value(source), target } };
            const QString prefix = source + u'/';
            for (auto it = known->cbegin(); it != known->cend(); ++it)
                if (it.key().startsWith(prefix))
                    renames.append({ it.value(), target + it.key().mid(source.size()) });
            for (const auto &r : std::as_const(renames)) {
                if (known->contains(r.second))
                    return exists(r.second);
                if (auto s = checkName(r.second); !s)
                    return s;
            }
            if (auto s = createParents(*db, userId, target, known.value()); !s)
                return s;
            Query upd(
                *db, QStringLiteral("UPDATE mailboxes SET name = ?, highestmodseq = highestmodseq + 1 WHERE id = ?"));
            for (const auto &r : std::as_const(renames)) {
                if (auto s = upd.bind(r.second).bind(r.first).exec(); !s)
                    return s;
                changed << r.first;
            }
        }
        if (auto s = tx.commit(); !s)
            return s;
    }
    for (qint64 id : std::as_const(changed))
        m_events.notifyChanged(id);
    return {};
}

} // namespace mailroom::store
