// Answer cache of the resolver, keyed by (query type, lower-cased name).
// Positive and negative answers (NoData, NxDomain) live for their TTL, capped
// at a day; the oldest entry goes when the cache is full. RFC 1035 §7.4,
// RFC 2308 §5. TempFail and Malformed are never stored.
// Trust level: internal; its size is bounded by Options::cacheEntries.
#pragma once

#include <chrono>
#include <map>
#include <optional>

#include <QHash>

#include "dns/answer.h"

namespace mailroom::dns
{

class Cache
{
public:
    using Clock = std::chrono::steady_clock;

    explicit Cache(int maxEntries);

    // The cached reply with its TTL lowered to the time left, or nullopt.
    std::optional<AnyReply> find(QueryType type, const QByteArray &name, Clock::time_point now);
    void insert(QueryType type, const QByteArray &name, const AnyReply &reply, Clock::time_point now);
    void clear();
    int size() const;

private:
    struct Entry {
        AnyReply reply;
        Clock::time_point expires;
        quint64 sequence = 0;
    };

    static QByteArray key(QueryType type, const QByteArray &name);
    void remove(QHash<QByteArray, Entry>::iterator it);

    int m_maxEntries;
    quint64 m_nextSequence = 0;
    QHash<QByteArray, Entry> m_entries;
    std::map<quint64, QByteArray> m_age; // insertion order, oldest first
};

} // namespace mailroom::dns
