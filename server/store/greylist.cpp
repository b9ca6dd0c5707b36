#include "store/greylist.h"

#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

Greylist::Greylist(Database &db)
    : m_db(db)
{
}

Result<GreylistDecision> Greylist::check(const QString &network,
    const QString &sender,
    const QStringList &recipients,
    qint64 now,
    const GreylistPolicy &policy)
{
    GreylistDecision d;
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    auto allowed
        = Query(*db, QStringLiteral("SELECT last_seen FROM greylist_allowed WHERE network = ?")).bind(network).scalar();
    if (!allowed)
        return allowed.error();
    if (allowed->isValid() && now - allowed->toLongLong() <= policy.allowSecs) {
        Query touch(*db, QStringLiteral("UPDATE greylist_allowed SET last_seen = ? WHERE network = ?"));
        if (auto s = touch.bind(now).bind(network).exec(); !s)
            return s.error();
        if (auto s = tx.commit(); !s)
            return s.error();
        d.pass = true;
        d.allowedNetwork = true;
        return d;
    }
    Query find(
        *db, QStringLiteral("SELECT first_seen FROM greylist WHERE network = ? AND sender = ? AND recipient = ?"));
    Query add(*db,
        QStringLiteral("INSERT INTO greylist (network, sender, recipient, first_seen, last_seen) VALUES "
                       "(?, ?, ?, ?, ?) ON CONFLICT (network, sender, recipient) DO UPDATE SET "
                       "first_seen = excluded.first_seen, last_seen = excluded.last_seen, passed = 0"));
    Query seen(*db,
        QStringLiteral("UPDATE greylist SET last_seen = ?, passed = passed + ? WHERE network = ? AND "
                       "sender = ? AND recipient = ?"));
    qint64 wait = 0;
    for (const QString &rcpt : recipients) {
        if (auto s = find.bind(network).bind(sender).bind(rcpt).exec(); !s)
            return s.error();
        const bool known = find.next();
        const qint64 first = known ? find.value(0).toLongLong() : 0;
        if (!known || now - first > policy.retryWindowSecs) {
            // New, or back too late: the wait starts now.
            if (auto s = add.bind(network).bind(sender).bind(rcpt).bind(now).bind(now).exec(); !s)
                return s.error();
            wait = qMax(wait, policy.delaySecs);
            continue;
        }
        const bool waited = now - first >= policy.delaySecs;
        if (auto s = seen.bind(now).bind(waited ? 1 : 0).bind(network).bind(sender).bind(rcpt).exec(); !s)
            return s.error();
        if (!waited)
            wait = qMax(wait, policy.delaySecs - (now - first));
    }
    d.pass = wait == 0;
    d.waitSecs = wait;
    if (d.pass) {
        Query allow(*db,
            QStringLiteral("INSERT INTO greylist_allowed (network, passes, last_seen) VALUES (?, 1, ?) "
                           "ON CONFLICT (network) DO UPDATE SET passes = passes + 1, "
                           "last_seen = excluded.last_seen"));
        if (auto s = allow.bind(network).bind(now).exec(); !s)
            return s.error();
    }
    if (auto s = tx.commit(); !s)
        return s.error();
    return d;
}

Result<int> Greylist::prune(qint64 now, qint64 keepSecs)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Transaction tx(*db);
    if (!tx.begun())
        return tx.error();
    int removed = 0;
    for (const char *sql :
        { "DELETE FROM greylist WHERE last_seen < ?", "DELETE FROM greylist_allowed WHERE last_seen < ?" }) {
        Query del(*db, QString::fromLatin1(sql));
        if (auto s = del.bind(now - keepSecs).exec(); !s)
            return s.error();
        removed += del.rowsAffected();
    }
    if (auto s = tx.commit(); !s)
        return s.error();
    return removed;
}

} // namespace mailroom::store
