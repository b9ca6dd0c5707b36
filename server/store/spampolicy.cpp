#include "store/spampolicy.h"

#include "store/rows.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

namespace
{
const QString kColumns = QStringLiteral("id, scope, kind, pattern, note, created, hits, last_hit");

SpamListEntry entryFrom(const Query &q)
{
    SpamListEntry e;
    e.id = q.value(0).toLongLong();
    e.scope = q.value(1).toString();
    e.kind = q.value(2).toString();
    e.pattern = q.value(3).toString();
    e.note = q.value(4).toString();
    e.created = fromMs(q.value(5).toLongLong());
    e.hits = q.value(6).toLongLong();
    const qint64 last = q.value(7).toLongLong();
    e.lastHit = last > 0 ? fromMs(last) : QDateTime();
    return e;
}
} // namespace

SpamPolicy::SpamPolicy(Database &db)
    : m_db(db)
{
}

Result<QList<SpamListEntry>> SpamPolicy::lists(const SpamListFilter &f, qint64 *total)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    const QString where = QStringLiteral(" FROM spam_lists WHERE (? = '' OR scope = ?) AND (? = '' OR kind = ?)"
                                         " AND (? = '' OR instr(lower(pattern), lower(?)) > 0"
                                         " OR instr(lower(note), lower(?)) > 0)");
    auto bindAll = [&](Query &q) {
        q.bind(f.scope).bind(f.scope).bind(f.kind).bind(f.kind).bind(f.text).bind(f.text).bind(f.text);
    };
    if (total) {
        Query c(*db, QStringLiteral("SELECT COUNT(*)") + where);
        bindAll(c);
        auto n = c.scalar();
        if (!n)
            return n.error();
        *total = n->toLongLong();
    }
    Query q(*db,
        QStringLiteral("SELECT ") + kColumns + where
            + QStringLiteral(" ORDER BY scope = 'global' DESC, scope, kind, pattern LIMIT ? OFFSET ?"));
    bindAll(q);
    q.bind(f.limit).bind(f.offset);
    if (auto s = q.exec(); !s)
        return s.error();
    QList<SpamListEntry> out;
    while (q.next())
        out.append(entryFrom(q));
    return out;
}

Result<QList<SpamListEntry>> SpamPolicy::allLists()
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM spam_lists"));
    if (auto s = q.exec(); !s)
        return s.error();
    QList<SpamListEntry> out;
    while (q.next())
        out.append(entryFrom(q));
    return out;
}

Result<qint64> SpamPolicy::addList(const SpamListEntry &e)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    auto found = Query(*db, QStringLiteral("SELECT id FROM spam_lists WHERE scope = ? AND kind = ? AND pattern = ?"))
                     .bind(e.scope)
                     .bind(e.kind)
                     .bind(e.pattern)
                     .scalar();
    if (!found)
        return found.error();
    if (found->isValid())
        return Error(ErrorCode::AlreadyExists,
            QStringLiteral("The %1 list of %2 has %3 already.").arg(e.kind, e.scope, e.pattern));
    Query ins(
        *db, QStringLiteral("INSERT INTO spam_lists (scope, kind, pattern, note, created) VALUES (?, ?, ?, ?, ?)"));
    if (auto s = ins.bind(e.scope).bind(e.kind).bind(e.pattern).bind(e.note.left(1000)).bind(nowMs()).exec(); !s)
        return s.error();
    const qint64 id = ins.lastInsertId();
    if (auto s = tx.commit(); !s)
        return s.error();
    return id;
}

Result<int> SpamPolicy::removeLists(const QList<qint64> &ids)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    int removed = 0;
    Query del(*db, QStringLiteral("DELETE FROM spam_lists WHERE id = ?"));
    for (qint64 id : ids) {
        if (auto s = del.bind(id).exec(); !s)
            return s.error();
        removed += del.rowsAffected();
    }
    if (auto s = tx.commit(); !s)
        return s.error();
    return removed;
}

Status SpamPolicy::recordHits(const QList<qint64> &ids)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    Query up(*db, QStringLiteral("UPDATE spam_lists SET hits = hits + 1, last_hit = ? WHERE id = ?"));
    for (qint64 id : ids)
        if (auto s = up.bind(nowMs()).bind(id).exec(); !s)
            return s;
    return tx.commit();
}

Result<QHash<QString, double>> SpamPolicy::scoreOverrides()
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("SELECT tag, score FROM spam_scores"));
    if (auto s = q.exec(); !s)
        return s.error();
    QHash<QString, double> out;
    while (q.next())
        out.insert(q.value(0).toString(), q.value(1).toDouble());
    return out;
}

Status SpamPolicy::setScores(const QHash<QString, double> &scores)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    Query up(*db,
        QStringLiteral("INSERT INTO spam_scores (tag, score) VALUES (?, ?) ON CONFLICT (tag) DO UPDATE SET "
                       "score = excluded.score"));
    for (auto it = scores.cbegin(); it != scores.cend(); ++it)
        if (auto s = up.bind(it.key()).bind(it.value()).exec(); !s)
            return s;
    return tx.commit();
}

Status SpamPolicy::resetScores(const QStringList &tags)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    Query del(*db, QStringLiteral("DELETE FROM spam_scores WHERE tag = ?"));
    for (const QString &t : tags)
        if (auto s = del.bind(t).exec(); !s)
            return s;
    return tx.commit();
}

} // namespace mailroom::store
