#include "spam/reputation.h"

#include "store/spamstore.h"

namespace mailroom::spam
{

Reputation::Reputation(store::SpamStore *store, qint64 keepSecs, qsizetype maxSenders)
    : m_store(store)
    , m_keepSecs(keepSecs)
    , m_max(maxSenders)
{
}

Status Reputation::load(qint64 now)
{
    if (!m_store)
        return {};
    auto rows = m_store->loadReputation(now - m_keepSecs);
    if (!rows)
        return rows.error();
    QMutexLocker lock(&m_mutex);
    m_rows.clear();
    for (const store::ReputationRow &r : std::as_const(*rows))
        if (m_rows.size() < m_max)
            m_rows.insert(r.key, { r.messages, r.scoreSum, r.last, false });
    return {};
}

SenderHistory Reputation::history(const QString &key) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_rows.constFind(key);
    if (it == m_rows.cend() || it->messages == 0)
        return {};
    return { it->messages, it->sum / double(it->messages) };
}

void Reputation::record(const QString &key, double score, qint64 now)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_rows.find(key);
    if (it == m_rows.end()) {
        // Full: new senders are not remembered until old ones expire.
        if (m_rows.size() >= m_max)
            return;
        it = m_rows.insert(key, {});
    }
    // Old history counts less once there is plenty of it: a sender whose
    // mail turns bad shows it within about fifty messages.
    if (it->messages >= 50) {
        it->sum = it->sum / double(it->messages) * 49.0;
        it->messages = 49;
    }
    it->messages += 1;
    it->sum += score;
    it->last = now;
    it->dirty = true;
}

Status Reputation::flush(qint64 now)
{
    QList<store::ReputationRow> rows;
    {
        QMutexLocker lock(&m_mutex);
        for (auto it = m_rows.begin(); it != m_rows.end();) {
            if (it->last < now - m_keepSecs) {
                it = m_rows.erase(it);
                continue;
            }
            if (it->dirty) {
                rows.append({ it.key(), it->messages, it->sum, it->last });
                it->dirty = false;
            }
            ++it;
        }
    }
    if (!m_store)
        return {};
    return m_store->saveReputation(rows, now - m_keepSecs);
}

} // namespace mailroom::spam
