// Bounded TTL cache for DNS replies (see cache.h).
// Trust level: internal.
#include "dns/cache.h"

#include <algorithm>

namespace mailroom::dns
{

namespace
{

constexpr quint32 maxCacheTtl = 86400; // a day, whatever the zone says

} // namespace

Cache::Cache(int maxEntries)
    : m_maxEntries(std::max(maxEntries, 0))
{
}

QByteArray Cache::key(QueryType type, const QByteArray &name)
{
    return QByteArray::number(static_cast<int>(type)) + ' ' + name;
}

void Cache::remove(QHash<QByteArray, Entry>::iterator it)
{
    m_age.erase(it->sequence);
    m_entries.erase(it);
}

std::optional<AnyReply> Cache::find(QueryType type, const QByteArray &name, Clock::time_point now)
{
    const auto it = m_entries.find(key(type, name));
    if (it == m_entries.end())
        return std::nullopt;
    if (it->expires <= now) {
        remove(it);
        return std::nullopt;
    }
    AnyReply reply = it->reply;
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(it->expires - now).count();
    setTtl(reply, static_cast<quint32>(std::max<qint64>(left, 0)));
    return reply;
}

void Cache::insert(QueryType type, const QByteArray &name, const AnyReply &reply, Clock::time_point now)
{
    const Rcode rcode = rcodeOf(reply);
    if (m_maxEntries == 0 || (rcode != Rcode::Ok && rcode != Rcode::NoData && rcode != Rcode::NxDomain))
        return;
    const quint32 ttl = std::min(ttlOf(reply), maxCacheTtl);
    if (ttl == 0)
        return; // RFC 1035 §3.2.1: zero means use once, do not cache
    const QByteArray k = key(type, name);
    if (const auto old = m_entries.find(k); old != m_entries.end())
        remove(old);
    while (m_entries.size() >= m_maxEntries && !m_age.empty())
        remove(m_entries.find(m_age.begin()->second));
    const quint64 sequence = m_nextSequence++;
    m_entries.insert(k, Entry { reply, now + std::chrono::seconds(ttl), sequence });
    m_age.emplace(sequence, k);
}

void Cache::clear()
{
    m_entries.clear();
    m_age.clear();
}

int Cache::size() const
{
    return static_cast<int>(m_entries.size());
}

} // namespace mailroom::dns
