// Directory: shared parts (resolution, counts, alias targets). The domain,
// user and alias operations live in directory{domains,users,aliases}.cpp.
#include "store/directory.h"

#include <functional>

#include <QSet>

#include "store/address.h"
#include "store/rows.h"
#include "store/sql.h"

namespace mailroom::store
{

namespace
{
constexpr int kMaxAliasDepth = 10;
constexpr int kMaxExpansion = 10000; // recipients one address may expand to
} // namespace

Directory::Directory(Database &db, EventBus *bus)
    : m_db(db)
    , m_bus(bus)
{
}

Result<qint64> Directory::localDomainId(const QSqlDatabase &db, const QString &domain)
{
    auto id = Query(db, QStringLiteral("SELECT id FROM domains WHERE name = ?")).bind(domain).scalar();
    if (!id)
        return id.error();
    if (!id->isValid())
        return Error(ErrorCode::NotFound,
            QStringLiteral("The domain %1 is not a local domain. Add the domain first.").arg(domain));
    return id->toLongLong();
}

Result<Directory::Kind> Directory::addressKind(const QSqlDatabase &db, const QString &address)
{
    auto taken = Query(db,
        QStringLiteral("SELECT 'user' FROM users WHERE address = ? UNION ALL "
                       "SELECT 'alias' FROM aliases WHERE address = ?"))
                     .bind(address)
                     .bind(address)
                     .scalar();
    if (!taken)
        return taken.error();
    if (!taken->isValid())
        return Kind::None;
    return taken->toString() == u"user" ? Kind::User : Kind::Alias;
}

Status Directory::checkTargets(
    const QSqlDatabase &db, const QString &alias, const QStringList &targets, QStringList *normalized)
{
    if (targets.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("An alias needs at least one target address."));
    if (targets.size() > 5000)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("An alias can have at most 5000 targets."));
    QSet<QString> seen;
    for (const QString &t : targets) {
        auto a = parseAddress(t);
        if (!a)
            return a.error();
        const QString addr = a->text();
        if (addr == alias)
            return Error(ErrorCode::Conflict, QStringLiteral("The alias %1 cannot point to itself.").arg(alias));
        if (seen.contains(addr))
            continue;
        seen.insert(addr);
        Query local(db, QStringLiteral("SELECT 1 FROM domains WHERE name = ?"));
        auto isLocal = local.bind(a->domain).scalar();
        if (!isLocal)
            return isLocal.error();
        if (isLocal->isValid()) {
            Query exists(db,
                QStringLiteral("SELECT 1 FROM users WHERE address = ? UNION ALL "
                               "SELECT 1 FROM aliases WHERE address = ?"));
            auto found = exists.bind(addr).bind(addr).scalar();
            if (!found)
                return found.error();
            if (!found->isValid())
                return Error(ErrorCode::NotFound,
                    QStringLiteral("%1 is in a local domain but is no user or alias. Add it first, or "
                                   "correct the address.")
                        .arg(addr));
        }
        normalized->append(addr);
    }
    return {};
}

Status Directory::setTargets(const QSqlDatabase &db, qint64 aliasId, const QStringList &targets)
{
    Query del(db, QStringLiteral("DELETE FROM alias_targets WHERE alias_id = ?"));
    if (auto s = del.bind(aliasId).exec(); !s)
        return s;
    for (int i = 0; i < targets.size(); ++i) {
        Query ins(db, QStringLiteral("INSERT INTO alias_targets (alias_id, position, target) VALUES (?, ?, ?)"));
        if (auto s = ins.bind(aliasId).bind(i).bind(targets.at(i)).exec(); !s)
            return s;
    }
    return {};
}

// After a user or alias goes away, no alias may point to it any more: a user
// added later under that address would silently get someone else's mail. An
// alias left without targets goes too, and the aliases that pointed to it.
Status Directory::dropTargetsTo(const QSqlDatabase &db, QStringList gone)
{
    const QString emptyAliases
        = QStringLiteral("FROM aliases WHERE NOT EXISTS (SELECT 1 FROM alias_targets t WHERE t.alias_id = aliases.id)");
    for (int round = 0; round <= kMaxAliasDepth * 100; ++round) {
        for (const QString &address : std::as_const(gone))
            if (auto s = Query(db, QStringLiteral("DELETE FROM alias_targets WHERE target = ?")).bind(address).exec();
                !s)
                return s;
        Query empty(db, QStringLiteral("SELECT address ") + emptyAliases);
        if (auto s = empty.exec(); !s)
            return s;
        gone.clear();
        while (empty.next())
            gone << empty.value(0).toString();
        if (gone.isEmpty())
            return {};
        if (auto s = Query(db, QStringLiteral("DELETE ") + emptyAliases).exec(); !s)
            return s;
    }
    return {};
}

Result<QStringList> Directory::resolve(const QString &recipient)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto parsed = parseAddress(recipient);
    if (!parsed)
        return parsed.error();

    QStringList out;
    QSet<QString> seen;
    // Depth-first expansion; each step asks: user? alias? plus-address? catch-all?
    std::function<Status(const Address &, int)> expand = [&](const Address &a, int depth) -> Status {
        if (depth > kMaxAliasDepth)
            return Error(ErrorCode::Conflict,
                QStringLiteral("Aliases nest deeper than %1 levels at %2.").arg(kMaxAliasDepth).arg(a.text()));
        const QString addr = a.text();
        if (seen.contains(addr))
            return {};
        seen.insert(addr);
        if (out.size() > kMaxExpansion)
            return Error(ErrorCode::TooLarge, QStringLiteral("%1 expands to too many recipients.").arg(recipient));
        auto isLocal = Query(*db, QStringLiteral("SELECT 1 FROM domains WHERE name = ?")).bind(a.domain).scalar();
        if (!isLocal)
            return isLocal.error();
        if (!isLocal->isValid()) {
            out << addr; // external
            return {};
        }
        auto user = Query(*db, QStringLiteral("SELECT enabled FROM users WHERE address = ?")).bind(addr).scalar();
        if (!user)
            return user.error();
        if (user->isValid()) {
            out << addr;
            return {};
        }
        Query targets(*db,
            QStringLiteral("SELECT t.target FROM alias_targets t JOIN aliases a ON a.id = t.alias_id "
                           "WHERE a.address = ? ORDER BY t.position"));
        if (auto s = targets.bind(addr).exec(); !s)
            return s;
        QStringList next;
        while (targets.next())
            next << targets.value(0).toString();
        if (next.isEmpty()) {
            const qsizetype plus = a.local.indexOf(QLatin1Char('+'));
            if (plus > 0) {
                seen.remove(addr);
                return expand(Address { a.local.left(plus), a.domain }, depth);
            }
            Query catchAll(*db,
                QStringLiteral("SELECT t.target FROM alias_targets t JOIN aliases a ON a.id = "
                               "t.alias_id WHERE a.address = ? ORDER BY t.position"));
            if (auto s = catchAll.bind(QString(QLatin1Char('@') + a.domain)).exec(); !s)
                return s;
            while (catchAll.next())
                next << catchAll.value(0).toString();
            if (next.isEmpty())
                return Error(ErrorCode::NotFound, QStringLiteral("There is no mailbox %1.").arg(addr));
        }
        for (const QString &t : std::as_const(next)) {
            auto ta = parseAddress(t);
            if (!ta)
                continue; // stored targets were checked on the way in
            if (auto s = expand(*ta, depth + 1); !s)
                return s;
        }
        return {};
    };
    if (auto s = expand(*parsed, 0); !s)
        return s.error();
    return out;
}

Result<Counts> Directory::counts()
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db,
        QStringLiteral("SELECT (SELECT COUNT(*) FROM domains), (SELECT COUNT(*) FROM users),"
                       " (SELECT COUNT(*) FROM aliases), (SELECT COUNT(*) FROM messages),"
                       " (SELECT COALESCE(SUM(size), 0) FROM blobs)"));
    if (auto s = q.exec(); !s)
        return s.error();
    Counts c;
    if (q.next()) {
        c.domains = q.value(0).toLongLong();
        c.users = q.value(1).toLongLong();
        c.aliases = q.value(2).toLongLong();
        c.messages = q.value(3).toLongLong();
        c.blobBytes = q.value(4).toLongLong();
    }
    return c;
}

} // namespace mailroom::store
