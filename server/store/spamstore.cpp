#include "store/spamstore.h"

#include <QHash>

#include "store/rows.h"
#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

namespace
{
QString className(SpamClass c)
{
    return c == SpamClass::Spam ? QStringLiteral("spam") : QStringLiteral("ham");
}
SpamClass classOf(const QString &s)
{
    if (s == u"spam")
        return SpamClass::Spam;
    if (s == u"ham")
        return SpamClass::Ham;
    return SpamClass::None;
}
} // namespace

SpamStore::SpamStore(Database &db)
    : m_db(db)
{
}

Status SpamStore::loadTokens(qint64 scope, const std::function<void(quint64, quint32, quint32)> &row)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("SELECT hash, spam, ham FROM tokens WHERE scope = ?"));
    if (auto s = q.bind(scope).exec(); !s)
        return s;
    while (q.next())
        row(quint64(q.value(0).toLongLong()), quint32(q.value(1).toLongLong()), quint32(q.value(2).toLongLong()));
    return {};
}

Result<SpamTotals> SpamStore::totals(qint64 scope)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    SpamTotals t;
    Query q(*db, QStringLiteral("SELECT spam, ham FROM totals WHERE scope = ?"));
    if (auto s = q.bind(scope).exec(); !s)
        return s.error();
    if (q.next()) {
        t.spam = q.value(0).toLongLong();
        t.ham = q.value(1).toLongLong();
    }
    auto n = Query(*db, QStringLiteral("SELECT count(*) FROM tokens WHERE scope = ?")).bind(scope).scalar();
    if (!n)
        return n.error();
    t.tokens = n->toLongLong();
    return t;
}

Result<SpamClass> SpamStore::trainedAs(qint64 scope, const QString &digest)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto v = Query(*db, QStringLiteral("SELECT class FROM trained WHERE scope = ? AND digest = ?"))
                 .bind(scope)
                 .bind(digest)
                 .scalar();
    if (!v)
        return v.error();
    return classOf(v->toString());
}

Result<QList<TrainingOutcome>> SpamStore::train(const QList<TrainingItem> &items)
{
    QList<TrainingOutcome> outcomes;
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    // Deltas summed per (scope, token) first: a batch of messages shares
    // most of its tokens, and each row is then written once.
    struct Delta {
        qint64 spam = 0, ham = 0;
    };
    QHash<QPair<qint64, quint64>, Delta> deltas;
    QHash<qint64, Delta> totals;
    Query known(*db, QStringLiteral("SELECT class FROM trained WHERE scope = ? AND digest = ?"));
    Query mark(*db,
        QStringLiteral("INSERT INTO trained (scope, digest, class, time) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT (scope, digest) DO UPDATE SET class = excluded.class, time = excluded.time"));
    QHash<QPair<qint64, QString>, SpamClass> seen; // the same message twice in one batch
    for (const TrainingItem &item : items) {
        const auto key = qMakePair(item.scope, item.digest);
        SpamClass before = SpamClass::None;
        if (auto it = seen.constFind(key); it != seen.cend()) {
            before = *it;
        } else {
            if (auto s = known.bind(item.scope).bind(item.digest).exec(); !s)
                return s.error();
            if (known.next())
                before = classOf(known.value(0).toString());
        }
        if (before == item.cls) {
            outcomes.append(TrainingOutcome::Unchanged);
            continue;
        }
        seen.insert(key, item.cls);
        const qint64 ds = item.cls == SpamClass::Spam ? 1 : (before == SpamClass::Spam ? -1 : 0);
        const qint64 dh = item.cls == SpamClass::Ham ? 1 : (before == SpamClass::Ham ? -1 : 0);
        for (quint64 t : *item.tokens) {
            Delta &d = deltas[qMakePair(item.scope, t)];
            d.spam += ds;
            d.ham += dh;
        }
        Delta &tot = totals[item.scope];
        tot.spam += ds;
        tot.ham += dh;
        if (auto s = mark.bind(item.scope).bind(item.digest).bind(className(item.cls)).bind(nowMs()).exec(); !s)
            return s.error();
        outcomes.append(before == SpamClass::None ? TrainingOutcome::Learned : TrainingOutcome::Moved);
    }
    // The conflict branch adds the raw deltas; the insert branch clamps them.
    Query upRaw(*db,
        QStringLiteral("INSERT INTO tokens (scope, hash, spam, ham) VALUES (?, ?, max(?, 0), max(?, 0))"
                       " ON CONFLICT (scope, hash) DO UPDATE SET spam = max(spam + ?, 0),"
                       " ham = max(ham + ?, 0)"));
    for (auto it = deltas.cbegin(); it != deltas.cend(); ++it) {
        if (it->spam == 0 && it->ham == 0)
            continue;
        upRaw.bind(it.key().first).bind(qint64(it.key().second)).bind(it->spam).bind(it->ham);
        if (auto s = upRaw.bind(it->spam).bind(it->ham).exec(); !s)
            return s.error();
    }
    Query tot(*db,
        QStringLiteral("INSERT INTO totals (scope, spam, ham) VALUES (?, max(?, 0), max(?, 0))"
                       " ON CONFLICT (scope) DO UPDATE SET spam = max(spam + ?, 0), ham = max(ham + ?, 0)"));
    for (auto it = totals.cbegin(); it != totals.cend(); ++it) {
        tot.bind(it.key()).bind(it->spam).bind(it->ham).bind(it->spam).bind(it->ham);
        if (auto s = tot.exec(); !s)
            return s.error();
    }
    if (auto s = tx.commit(); !s)
        return s.error();
    return outcomes;
}

Result<QList<ReputationRow>> SpamStore::loadReputation(qint64 since)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("SELECT key, messages, score_sum, last FROM reputation WHERE last >= ?"));
    if (auto s = q.bind(since).exec(); !s)
        return s.error();
    QList<ReputationRow> out;
    while (q.next())
        out.append({ q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toDouble(), q.value(3).toLongLong() });
    return out;
}

Status SpamStore::saveReputation(const QList<ReputationRow> &rows, qint64 olderThan)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    Query up(*db,
        QStringLiteral("INSERT INTO reputation (key, messages, score_sum, last) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT (key) DO UPDATE SET messages = excluded.messages,"
                       " score_sum = excluded.score_sum, last = excluded.last"));
    for (const ReputationRow &r : rows)
        if (auto s = up.bind(r.key).bind(r.messages).bind(r.scoreSum).bind(r.last).exec(); !s)
            return s;
    if (auto s = Query(*db, QStringLiteral("DELETE FROM reputation WHERE last < ?")).bind(olderThan).exec(); !s)
        return s;
    return tx.commit();
}

} // namespace mailroom::store
