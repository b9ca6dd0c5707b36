// Directory: users. A user is created with its six default mailboxes in the
// same transaction (Inbox, Sent, Drafts, Junk, Trash, Archive; RFC 6154
// special-use), so a crash never leaves a user without them.
#include "store/address.h"
#include "store/directory.h"
#include "store/rows.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

namespace
{
const QString kUserColumns
    = QStringLiteral("u.id, u.address, u.display_name, u.quota_bytes, u.enabled, u.cram_md5, u.created,"
                     " (SELECT COALESCE(SUM(b.used_bytes), 0) FROM mailboxes b WHERE b.user_id = u.id)");

User userFrom(const Query &q)
{
    User u;
    u.id = q.value(0).toLongLong();
    u.address = q.value(1).toString();
    u.displayName = q.value(2).toString();
    u.quotaBytes = q.value(3).toLongLong();
    u.enabled = q.value(4).toBool();
    u.cramMd5Allowed = q.value(5).toBool();
    u.created = fromMs(q.value(6).toLongLong());
    u.usedBytes = q.value(7).toLongLong();
    return u;
}

struct DefaultMailbox {
    const char *name;
    const char *specialUse;
};
constexpr DefaultMailbox kDefaultMailboxes[] = {
    { "INBOX", "" },
    { "Sent", "\\Sent" },
    { "Drafts", "\\Drafts" },
    { "Junk", "\\Junk" },
    { "Trash", "\\Trash" },
    { "Archive", "\\Archive" },
};

Status checkDisplayName(const QString &name)
{
    if (name.size() > 200 || name.contains(QLatin1Char('\n')) || name.contains(QLatin1Char('\r')))
        return Error(
            ErrorCode::InvalidArgument, QStringLiteral("A display name is one line of at most 200 characters."));
    return {};
}

Status checkQuota(qint64 bytes)
{
    if (bytes < 0)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("A quota cannot be negative; 0 means no limit."));
    return {};
}

Error noUser(const QString &address)
{
    return Error(ErrorCode::NotFound, QStringLiteral("There is no user %1.").arg(address));
}
} // namespace

Result<User> Directory::findUser(const QString &address)
{
    auto a = parseAddress(address);
    if (!a)
        return a.error();
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("SELECT ") + kUserColumns + QStringLiteral(" FROM users u WHERE u.address = ?"));
    if (auto s = q.bind(a->text()).exec(); !s)
        return s.error();
    if (!q.next())
        return noUser(a->text());
    return userFrom(q);
}

Result<User> Directory::addUser(
    const QString &address, const QString &passwordHash, const QString &displayName, qint64 quotaBytes)
{
    auto a = parseAddress(address);
    if (!a)
        return a.error();
    if (auto s = checkDisplayName(displayName); !s)
        return s.error();
    if (auto s = checkQuota(quotaBytes); !s)
        return s.error();
    if (passwordHash.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("A user needs a password."));
    const QString addr = a->text();
    auto db = m_db.connection();
    if (!db)
        return db.error();
    {
        Transaction tx(*db);
        if (!tx.begun())
            return tx.error();
        auto domainId = localDomainId(*db, a->domain);
        if (!domainId)
            return domainId.error();
        auto kind = addressKind(*db, addr);
        if (!kind)
            return kind.error();
        if (*kind == Kind::User)
            return Error(ErrorCode::AlreadyExists,
                QStringLiteral("The user %1 exists already. Choose another address or edit that user.").arg(addr));
        if (*kind != Kind::None)
            return Error(ErrorCode::Conflict,
                QStringLiteral("%1 is an alias. Remove the alias first, or choose another address.").arg(addr));
        Query ins(*db,
            QStringLiteral("INSERT INTO users (domain_id, address, display_name, password_hash, quota_bytes,"
                           " enabled, created) VALUES (?, ?, ?, ?, ?, 1, ?)"));
        if (auto s = ins.bind(*domainId)
                         .bind(addr)
                         .bind(displayName.trimmed())
                         .bind(passwordHash)
                         .bind(quotaBytes)
                         .bind(nowMs())
                         .exec();
            !s)
            return s.error();
        const qint64 userId = ins.lastInsertId();
        // UIDVALIDITY must grow whenever a mailbox is made again (RFC 9051 §2.3.1.1).
        auto base = Query(*db, QStringLiteral("SELECT MAX(COALESCE(MAX(uidvalidity), 0) + 1, ?) FROM mailboxes"))
                        .bind(QDateTime::currentSecsSinceEpoch() & 0x7fffffff)
                        .scalar();
        if (!base)
            return base.error();
        qint64 uidValidity = base->toLongLong();
        for (const DefaultMailbox &m : kDefaultMailboxes) {
            Query mb(*db,
                QStringLiteral("INSERT INTO mailboxes (user_id, name, special_use, uidvalidity) "
                               "VALUES (?, ?, ?, ?)"));
            if (auto s = mb.bind(userId)
                             .bind(QString::fromLatin1(m.name))
                             .bind(QString::fromLatin1(m.specialUse))
                             .bind(uidValidity++)
                             .exec();
                !s)
                return s.error();
        }
        if (auto s = tx.commit(); !s)
            return s.error();
    }
    raise(m_bus, EventId::UserAdded, { { QStringLiteral("user"), addr } });
    return findUser(addr);
}

Status Directory::updateUser(const QString &address, const UserPatch &patch)
{
    auto a = parseAddress(address);
    if (!a)
        return a.error();
    if (patch.displayName)
        if (auto s = checkDisplayName(*patch.displayName); !s)
            return s;
    if (patch.quotaBytes)
        if (auto s = checkQuota(*patch.quotaBytes); !s)
            return s;
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    auto id = Query(*db, QStringLiteral("SELECT id FROM users WHERE address = ?")).bind(a->text()).scalar();
    if (!id)
        return id.error();
    if (!id->isValid())
        return noUser(a->text());
    auto set = [&](const char *column, const QVariant &v) {
        return Query(*db, QStringLiteral("UPDATE users SET %1 = ? WHERE id = ?").arg(QLatin1String(column)))
            .bind(v)
            .bind(*id)
            .exec();
    };
    if (patch.displayName)
        if (auto s = set("display_name", patch.displayName->trimmed()); !s)
            return s;
    if (patch.enabled)
        if (auto s = set("enabled", *patch.enabled ? 1 : 0); !s)
            return s;
    if (patch.quotaBytes)
        if (auto s = set("quota_bytes", *patch.quotaBytes); !s)
            return s;
    if (patch.cramMd5Allowed)
        if (auto s = set("cram_md5", *patch.cramMd5Allowed ? 1 : 0); !s)
            return s;
    if (auto s = tx.commit(); !s)
        return s;
    raise(m_bus, EventId::UserUpdated, { { QStringLiteral("user"), a->text() } });
    return {};
}

Status Directory::setPasswordHash(const QString &address, const QString &hash)
{
    auto a = parseAddress(address);
    if (!a)
        return a.error();
    if (hash.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("A user needs a password."));
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("UPDATE users SET password_hash = ? WHERE address = ?"));
    if (auto s = q.bind(hash).bind(a->text()).exec(); !s)
        return s;
    if (q.rowsAffected() == 0)
        return noUser(a->text());
    raise(m_bus, EventId::UserPasswordChanged, { { QStringLiteral("user"), a->text() } });
    return {};
}

Result<QString> Directory::passwordHash(const QString &address)
{
    auto a = parseAddress(address);
    if (!a)
        return a.error();
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto h = Query(*db, QStringLiteral("SELECT password_hash FROM users WHERE address = ?")).bind(a->text()).scalar();
    if (!h)
        return h.error();
    if (!h->isValid())
        return noUser(a->text());
    return h->toString();
}

Status Directory::setLoginSecrets(const QString &address, const QString &scram, const QByteArray &cramKey)
{
    auto a = parseAddress(address);
    if (!a)
        return a.error();
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("UPDATE users SET scram = ?, cram_secret = ? WHERE address = ?"));
    if (auto s
        = q.bind(scram).bind(cramKey.isEmpty() ? QVariant(QByteArray("")) : QVariant(cramKey)).bind(a->text()).exec();
        !s)
        return s;
    if (q.rowsAffected() == 0)
        return noUser(a->text());
    return {};
}

Result<bool> Directory::anyCramMd5User()
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto v = Query(*db,
        QStringLiteral("SELECT EXISTS (SELECT 1 FROM users WHERE cram_md5 = 1 AND enabled = 1"
                       " AND cram_secret IS NOT NULL AND length(cram_secret) > 0)"))
                 .scalar();
    if (!v)
        return v.error();
    return v->toBool();
}

Result<LoginSecrets> Directory::loginSecrets(const QString &address)
{
    auto a = parseAddress(address);
    if (!a)
        return a.error();
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db,
        QStringLiteral(
            "SELECT address, password_hash, scram, cram_secret, enabled, cram_md5 FROM users WHERE address = ?"));
    if (auto s = q.bind(a->text()).exec(); !s)
        return s.error();
    if (!q.next())
        return noUser(a->text());
    LoginSecrets out;
    out.address = q.value(0).toString();
    out.passwordHash = q.value(1).toString();
    out.scram = q.value(2).toString();
    out.cramKey = q.value(3).toByteArray();
    out.enabled = q.value(4).toBool();
    out.cramMd5Allowed = q.value(5).toBool();
    return out;
}

Status Directory::removeUser(const QString &address)
{
    auto a = parseAddress(address);
    if (!a)
        return a.error();
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    Query del(*db, QStringLiteral("DELETE FROM users WHERE address = ?"));
    if (auto s = del.bind(a->text()).exec(); !s)
        return s;
    if (del.rowsAffected() == 0)
        return noUser(a->text());
    if (auto s = dropTargetsTo(*db, { a->text() }); !s)
        return s;
    if (auto s = tx.commit(); !s)
        return s;
    raise(m_bus, EventId::UserRemoved, { { QStringLiteral("user"), a->text() } });
    return {};
}

Result<Page<User>> Directory::listUsers(const ListQuery &lq)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    QStringList conditions;
    QVariantList binds;
    if (!lq.domain.isEmpty()) {
        auto d = normalizeDomain(lq.domain);
        if (!d)
            return d.error();
        conditions << QStringLiteral("u.domain_id = (SELECT id FROM domains WHERE name = ?)");
        binds << *d;
    }
    if (!lq.filter.isEmpty()) {
        conditions << QStringLiteral("(u.address LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\')");
        binds << likePattern(lq.filter) << likePattern(lq.filter);
    }
    const QString where = conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(u" AND ");
    Query count(*db, QStringLiteral("SELECT COUNT(*) FROM users u") + where);
    for (const QVariant &b : std::as_const(binds))
        count.bind(b);
    auto total = count.scalar();
    if (!total)
        return total.error();
    Page<User> page;
    page.total = total->toLongLong();
    Query q(*db,
        QStringLiteral("SELECT ") + kUserColumns + QStringLiteral(" FROM users u") + where
            + QStringLiteral(" ORDER BY u.address LIMIT ? OFFSET ?"));
    for (const QVariant &b : std::as_const(binds))
        q.bind(b);
    if (auto s = q.bind(lq.limit).bind(lq.offset).exec(); !s)
        return s.error();
    while (q.next())
        page.items << userFrom(q);
    return page;
}

} // namespace mailroom::store
