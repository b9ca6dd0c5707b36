// Directory: aliases. One target makes a forward, several a distribution
// list, and "@domain" is the domain's catch-all. Loops are refused when made.
#include <QSet>

#include "store/address.h"
#include "store/directory.h"
#include "store/rows.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

namespace
{
Error noAlias(const QString &address)
{
    return Error(ErrorCode::NotFound, QStringLiteral("There is no alias %1.").arg(address));
}

// Would address -> targets close a loop through existing aliases?
Result<bool> makesLoop(const QSqlDatabase &db, const QString &address, const QStringList &targets)
{
    QSet<QString> seen;
    QStringList todo = targets;
    while (!todo.isEmpty()) {
        const QString t = todo.takeLast();
        if (t == address)
            return true;
        if (seen.contains(t))
            continue;
        seen.insert(t);
        if (seen.size() > 100000)
            return true; // absurdly deep: treat as a loop rather than walk on
        Query q(db,
            QStringLiteral("SELECT t.target FROM alias_targets t JOIN aliases a ON a.id = t.alias_id "
                           "WHERE a.address = ?"));
        if (auto s = q.bind(t).exec(); !s)
            return s.error();
        while (q.next())
            todo << q.value(0).toString();
    }
    return false;
}

QString aliasText(const Address &a)
{
    return a.local.isEmpty() ? QLatin1Char('@') + a.domain : a.text();
}
} // namespace

Result<Alias> Directory::addAlias(const QString &address, const QStringList &targets)
{
    auto a = parseAddress(address, true);
    if (!a)
        return a.error();
    const QString addr = aliasText(*a);
    auto db = m_db.connection();
    if (!db)
        return db.error();
    qint64 id = 0;
    QStringList normalized;
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
        if (*kind == Kind::Alias)
            return Error(ErrorCode::AlreadyExists,
                QStringLiteral("The alias %1 exists already; edit its targets instead.").arg(addr));
        if (*kind != Kind::None)
            return Error(
                ErrorCode::Conflict, QStringLiteral("%1 is a user. An alias cannot have a user's address.").arg(addr));
        if (auto s = checkTargets(*db, addr, targets, &normalized); !s)
            return s.error();
        auto loop = makesLoop(*db, addr, normalized);
        if (!loop)
            return loop.error();
        if (*loop)
            return Error(ErrorCode::Conflict,
                QStringLiteral("%1 would lead back to itself through other aliases. Point it elsewhere.").arg(addr));
        Query ins(*db, QStringLiteral("INSERT INTO aliases (domain_id, address, created) VALUES (?, ?, ?)"));
        if (auto s = ins.bind(*domainId).bind(addr).bind(nowMs()).exec(); !s)
            return s.error();
        id = ins.lastInsertId();
        if (auto s = setTargets(*db, id, normalized); !s)
            return s.error();
        if (auto s = tx.commit(); !s)
            return s.error();
    }
    raise(m_bus, EventId::AliasAdded, { { QStringLiteral("alias"), addr } });
    Alias out;
    out.id = id;
    out.address = addr;
    out.targets = normalized;
    out.created = QDateTime::currentDateTimeUtc();
    return out;
}

Status Directory::updateAlias(const QString &address, const QStringList &targets)
{
    auto a = parseAddress(address, true);
    if (!a)
        return a.error();
    const QString addr = aliasText(*a);
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    auto id = Query(*db, QStringLiteral("SELECT id FROM aliases WHERE address = ?")).bind(addr).scalar();
    if (!id)
        return id.error();
    if (!id->isValid())
        return noAlias(addr);
    QStringList normalized;
    if (auto s = checkTargets(*db, addr, targets, &normalized); !s)
        return s;
    auto loop = makesLoop(*db, addr, normalized);
    if (!loop)
        return loop.error();
    if (*loop)
        return Error(ErrorCode::Conflict,
            QStringLiteral("%1 would lead back to itself through other aliases. Point it elsewhere.").arg(addr));
    if (auto s = setTargets(*db, id->toLongLong(), normalized); !s)
        return s;
    if (auto s = tx.commit(); !s)
        return s;
    raise(m_bus, EventId::AliasUpdated, { { QStringLiteral("alias"), addr } });
    return {};
}

Status Directory::removeAlias(const QString &address)
{
    auto a = parseAddress(address, true);
    if (!a)
        return a.error();
    const QString addr = aliasText(*a);
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    Query del(*db, QStringLiteral("DELETE FROM aliases WHERE address = ?"));
    if (auto s = del.bind(addr).exec(); !s)
        return s;
    if (del.rowsAffected() == 0)
        return noAlias(addr);
    if (auto s = dropTargetsTo(*db, { addr }); !s)
        return s;
    if (auto s = tx.commit(); !s)
        return s;
    raise(m_bus, EventId::AliasRemoved, { { QStringLiteral("alias"), addr } });
    return {};
}

Result<Page<Alias>> Directory::listAliases(const ListQuery &lq)
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
        conditions << QStringLiteral("a.domain_id = (SELECT id FROM domains WHERE name = ?)");
        binds << *d;
    }
    if (!lq.filter.isEmpty()) {
        conditions << QStringLiteral("(a.address LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM alias_targets t WHERE "
                                     "t.alias_id = a.id AND t.target LIKE ? ESCAPE '\\'))");
        binds << likePattern(lq.filter) << likePattern(lq.filter);
    }
    const QString where = conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(u" AND ");
    Query count(*db, QStringLiteral("SELECT COUNT(*) FROM aliases a") + where);
    for (const QVariant &b : std::as_const(binds))
        count.bind(b);
    auto total = count.scalar();
    if (!total)
        return total.error();
    Page<Alias> page;
    page.total = total->toLongLong();
    // Targets joined with a separator no address can contain.
    Query q(*db,
        QStringLiteral("SELECT a.id, a.address, a.created, (SELECT group_concat(target, char(10)) FROM "
                       "(SELECT target FROM alias_targets t WHERE t.alias_id = a.id ORDER BY t.position)) "
                       "FROM aliases a")
            + where + QStringLiteral(" ORDER BY a.address LIMIT ? OFFSET ?"));
    for (const QVariant &b : std::as_const(binds))
        q.bind(b);
    if (auto s = q.bind(lq.limit).bind(lq.offset).exec(); !s)
        return s.error();
    while (q.next()) {
        Alias a;
        a.id = q.value(0).toLongLong();
        a.address = q.value(1).toString();
        a.created = fromMs(q.value(2).toLongLong());
        a.targets = q.value(3).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        page.items << a;
    }
    return page;
}

} // namespace mailroom::store
