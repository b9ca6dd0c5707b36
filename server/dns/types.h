// Value types of the DNS module: the answer codes, an MX record, a typed reply
// and the resolver options (DESIGN §2, §4: dns ─► base).
// RFC 1035 (message, RCODE), RFC 2308 (negative answers), RFC 7505 (null MX).
// Trust level: internal. The values were parsed from network answers by the
// resolver and are bounded there.
#pragma once

#include <QList>
#include <QString>

namespace mailroom::dns
{

// TempFail covers timeouts, SERVFAIL, REFUSED and connection errors: try later.
enum class Rcode { Ok, NoData, NxDomain, TempFail, Malformed };

const char *rcodeName(Rcode rcode);

struct MxRecord {
    int preference = 0;
    QString exchange; // lower-case, no trailing dot; "" for a null MX (RFC 7505 "." exchange)

    friend bool operator==(const MxRecord &, const MxRecord &) = default;
};

template<class T> struct Reply {
    Rcode rcode = Rcode::TempFail;
    QList<T> records;
    quint32 ttl = 0; // seconds the answer stays valid (remaining time for a cached answer)
    QString error; // for the log when rcode is not Ok
};

struct Options {
    QString nameserver; // "addr", "addr:port", "[v6]:port", comma-separated; "" = system resolver
    int timeoutMs = 5000; // per try and nameserver; a lookup never takes longer than timeoutMs * tries * servers
    int tries = 2;
    int cacheEntries = 10000; // 0 disables the cache
};

} // namespace mailroom::dns
