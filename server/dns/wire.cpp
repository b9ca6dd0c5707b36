// Bounded walk over a DNS message for TTLs (RFC 1035 §4.1, RFC 2308 §5).
// Trust level: network input; see wire.h.
#include "dns/wire.h"

#include <algorithm>

namespace mailroom::dns
{

namespace
{

constexpr int headerSize = 12;
constexpr int typeCname = 5;
constexpr int typeSoa = 6;
// RFC 2181 §8: a TTL with the top bit set is treated as zero.
constexpr quint32 maxTtl = 0x7fffffff;

class Reader
{
public:
    Reader(const unsigned char *msg, int length)
        : m_msg(msg)
        , m_length(msg ? std::max(length, 0) : 0)
    {
    }

    bool u16(int &out)
    {
        if (m_length - m_pos < 2)
            return false;
        out = (m_msg[m_pos] << 8) | m_msg[m_pos + 1];
        m_pos += 2;
        return true;
    }
    bool u32(quint32 &out)
    {
        if (m_length - m_pos < 4)
            return false;
        out = (quint32(m_msg[m_pos]) << 24) | (quint32(m_msg[m_pos + 1]) << 16) | (quint32(m_msg[m_pos + 2]) << 8)
            | quint32(m_msg[m_pos + 3]);
        m_pos += 4;
        return true;
    }
    bool skip(int n)
    {
        if (n < 0 || m_length - m_pos < n)
            return false;
        m_pos += n;
        return true;
    }
    // A name ends at a zero octet or at a compression pointer (two octets).
    bool skipName()
    {
        while (m_pos < m_length) {
            const int b = m_msg[m_pos];
            if (b == 0)
                return skip(1);
            if ((b & 0xc0) == 0xc0)
                return skip(2);
            if ((b & 0xc0) != 0)
                return false; // RFC 6891 extended label types: not used in answers
            if (!skip(1 + b))
                return false;
        }
        return false;
    }
    int pos() const
    {
        return m_pos;
    }

private:
    const unsigned char *m_msg;
    int m_length;
    int m_pos = 0;
};

struct Record {
    int type = 0;
    quint32 ttl = 0;
    int rdataPos = 0;
    int rdataLength = 0;
};

struct Sections {
    int qdcount = 0;
    int ancount = 0;
    int nscount = 0;
};

bool readHeader(Reader &r, Sections &s)
{
    int ignored = 0;
    int arcount = 0;
    return r.u16(ignored) && r.u16(ignored) && r.u16(s.qdcount) && r.u16(s.ancount) && r.u16(s.nscount)
        && r.u16(arcount) && r.pos() == headerSize;
}

bool skipQuestions(Reader &r, int count)
{
    for (int i = 0; i < count; ++i) {
        if (!r.skipName() || !r.skip(4))
            return false;
    }
    return true;
}

bool readRecord(Reader &r, Record &rec)
{
    int cls = 0;
    if (!r.skipName() || !r.u16(rec.type) || !r.u16(cls) || !r.u32(rec.ttl) || !r.u16(rec.rdataLength))
        return false;
    rec.rdataPos = r.pos();
    if (rec.ttl > maxTtl)
        rec.ttl = 0;
    return r.skip(rec.rdataLength);
}

} // namespace

std::optional<quint32> answerTtl(const unsigned char *msg, int length, int type)
{
    Reader r(msg, length);
    Sections s;
    if (!readHeader(r, s) || !skipQuestions(r, s.qdcount))
        return std::nullopt;
    std::optional<quint32> ttl;
    for (int i = 0; i < s.ancount; ++i) {
        Record rec;
        if (!readRecord(r, rec))
            return std::nullopt;
        if (rec.type == type || rec.type == typeCname)
            ttl = std::min(ttl.value_or(maxTtl), rec.ttl);
    }
    return ttl;
}

std::optional<quint32> negativeTtl(const unsigned char *msg, int length)
{
    Reader r(msg, length);
    Sections s;
    if (!readHeader(r, s) || !skipQuestions(r, s.qdcount))
        return std::nullopt;
    for (int i = 0; i < s.ancount + s.nscount; ++i) {
        Record rec;
        if (!readRecord(r, rec))
            return std::nullopt;
        if (i < s.ancount || rec.type != typeSoa)
            continue;
        // SOA RDATA: MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM; MINIMUM is
        // the last 4 octets, so read it from the end of the bounded RDATA.
        Reader rd(msg, rec.rdataPos + rec.rdataLength);
        if (!rd.skip(rec.rdataPos) || !rd.skipName() || !rd.skipName() || !rd.skip(16))
            return std::nullopt;
        quint32 minimum = 0;
        if (!rd.u32(minimum))
            return std::nullopt;
        return std::min({ rec.ttl, minimum, maxTtl });
    }
    return std::nullopt;
}

} // namespace mailroom::dns
