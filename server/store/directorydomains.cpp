// Directory: local domains.
#include "store/address.h"
#include "store/directory.h"
#include "store/rows.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

namespace
{
const QString kDomainColumns
    = QStringLiteral("d.id, d.name, d.description, d.created,"
                     " (SELECT COUNT(*) FROM users u WHERE u.domain_id = d.id),"
                     " (SELECT COUNT(*) FROM aliases a WHERE a.domain_id = d.id),"
                     " (SELECT group_concat(t.target, ', ') FROM alias_targets t JOIN aliases a ON a.id = t.alias_id"
                     "  WHERE a.address = '@' || d.name)");

Domain domainFrom(const Query &q)
{
    Domain d;
    d.id = q.value(0).toLongLong();
    d.name = q.value(1).toString();
    d.description = q.value(2).toString();
    d.created = fromMs(q.value(3).toLongLong());
    d.userCount = q.value(4).toInt();
    d.aliasCount = q.value(5).toInt();
    d.catchAllTarget = q.value(6).toString();
    return d;
}

Status checkDescription(const QString &description)
{
    if (description.size() > 1000)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("A description can have at most 1000 characters."));
    return {};
}
} // namespace

Result<Domain> Directory::findDomain(const QString &name)
{
    auto n = normalizeDomain(name);
    if (!n)
        return n.error();
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("SELECT ") + kDomainColumns + QStringLiteral(" FROM domains d WHERE d.name = ?"));
    if (auto s = q.bind(*n).exec(); !s)
        return s.error();
    if (!q.next())
        return Error(ErrorCode::NotFound, QStringLiteral("There is no domain %1.").arg(*n));
    return domainFrom(q);
}

Result<Domain> Directory::addDomain(const QString &name, const QString &description)
{
    auto n = normalizeDomain(name);
    if (!n)
        return n.error();
    if (auto s = checkDescription(description); !s)
        return s.error();
    auto db = m_db.connection();
    if (!db)
        return db.error();
    {
        Transaction tx(*db);
        if (!tx.begun())
            return tx.error();
        auto exists = Query(*db, QStringLiteral("SELECT 1 FROM domains WHERE name = ?")).bind(*n).scalar();
        if (!exists)
            return exists.error();
        if (exists->isValid())
            return Error(ErrorCode::AlreadyExists, QStringLiteral("The domain %1 exists already.").arg(*n));
        Query ins(*db, QStringLiteral("INSERT INTO domains (name, description, created) VALUES (?, ?, ?)"));
        if (auto s = ins.bind(*n).bind(description.trimmed()).bind(nowMs()).exec(); !s)
            return s.error();
        if (auto s = tx.commit(); !s)
            return s.error();
    }
    raise(m_bus, EventId::DomainAdded, { { QStringLiteral("domain"), *n } });
    return findDomain(*n);
}

Status Directory::updateDomain(const QString &name, const QString &description)
{
    auto n = normalizeDomain(name);
    if (!n)
        return n.error();
    if (auto s = checkDescription(description); !s)
        return s;
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("UPDATE domains SET description = ? WHERE name = ?"));
    if (auto s = q.bind(description.trimmed()).bind(*n).exec(); !s)
        return s;
    if (q.rowsAffected() == 0)
        return Error(ErrorCode::NotFound, QStringLiteral("There is no domain %1.").arg(*n));
    raise(m_bus, EventId::DomainUpdated, { { QStringLiteral("domain"), *n } });
    return {};
}

Status Directory::removeDomain(const QString &name, bool force)
{
    auto found = findDomain(name);
    if (!found)
        return found.error();
    const Domain d = *found;
    if (!force && (d.userCount > 0 || d.aliasCount > 0))
        return Error(ErrorCode::Conflict,
            QStringLiteral("The domain %1 still has %2 users and %3 aliases. Remove them first, or remove "
                           "the domain with force to delete them and their mail too.")
                .arg(d.name)
                .arg(d.userCount)
                .arg(d.aliasCount));
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    // Aliases elsewhere that point into this domain lose those targets.
    Query drop(*db, QStringLiteral("DELETE FROM alias_targets WHERE target LIKE ? ESCAPE '\\'"));
    QString suffix = d.name;
    suffix.replace(QLatin1Char('_'), QStringLiteral("\\_")).replace(QLatin1Char('%'), QStringLiteral("\\%"));
    if (auto s = drop.bind(QString(QStringLiteral("%@") + suffix)).exec(); !s)
        return s;
    // ON DELETE CASCADE removes users, aliases, mailboxes and messages;
    // the message triggers release their blobs. Aliases elsewhere that are
    // left pointing nowhere go after them.
    if (auto s = Query(*db, QStringLiteral("DELETE FROM domains WHERE id = ?")).bind(d.id).exec(); !s)
        return s;
    if (auto s = dropTargetsTo(*db, {}); !s)
        return s;
    if (auto s = tx.commit(); !s)
        return s;
    if (m_domainRemoved)
        m_domainRemoved(d.name);
    raise(m_bus, EventId::DomainRemoved, { { QStringLiteral("domain"), d.name } });
    return {};
}

Result<Page<Domain>> Directory::listDomains(const ListQuery &lq)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    const QString where = lq.filter.isEmpty() ? QString() : QStringLiteral(" WHERE d.name LIKE ? ESCAPE '\\'");
    Page<Domain> page;
    Query count(*db, QStringLiteral("SELECT COUNT(*) FROM domains d") + where);
    if (!lq.filter.isEmpty())
        count.bind(likePattern(lq.filter));
    auto total = count.scalar();
    if (!total)
        return total.error();
    page.total = total->toLongLong();
    Query q(*db,
        QStringLiteral("SELECT ") + kDomainColumns + QStringLiteral(" FROM domains d") + where
            + QStringLiteral(" ORDER BY d.name LIMIT ? OFFSET ?"));
    if (!lq.filter.isEmpty())
        q.bind(likePattern(lq.filter));
    if (auto s = q.bind(lq.limit).bind(lq.offset).exec(); !s)
        return s.error();
    while (q.next())
        page.items << domainFrom(q);
    return page;
}

} // namespace mailroom::store
