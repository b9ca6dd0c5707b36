// Typed replies from c-ares answers (see answer.h).
// Trust level: network input. Only c-ares' bounded parsers and wire.cpp read
// the message; every count written by us is capped.
#include "dns/answer.h"

#include <algorithm>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>

#include <ares.h>

#include "dns/wire.h"

namespace mailroom::dns
{

namespace
{

// RFC 2308 §5 asks for a bound on negative caching; 60 s when there is no SOA.
constexpr quint32 defaultNegativeTtl = 60;
// More addresses than any sane answer holds; the rest are dropped.
constexpr int maxAddresses = 512;

template<class T> Reply<T> failure(Rcode rcode, const QString &error)
{
    Reply<T> r;
    r.rcode = rcode;
    r.error = error;
    return r;
}

QString aresError(int status)
{
    return QString::fromLatin1(ares_strerror(status));
}

Rcode rcodeForStatus(int status)
{
    switch (status) {
    case ARES_SUCCESS:
        return Rcode::Ok;
    case ARES_ENODATA:
        return Rcode::NoData;
    case ARES_ENOTFOUND:
        return Rcode::NxDomain;
    case ARES_EBADRESP:
    case ARES_EFORMERR:
    case ARES_EBADNAME:
        return Rcode::Malformed;
    default: // ETIMEOUT, ESERVFAIL, ECONNREFUSED, EREFUSED, ENOTIMP, ENOMEM, ...
        return Rcode::TempFail;
    }
}

// Host names from c-ares come without the root dot; lower-case them and drop a
// stray trailing dot anyway.
QString hostName(const char *name)
{
    QString s = QString::fromLatin1(name).toLower();
    if (s.endsWith(u'.'))
        s.chop(1);
    return s;
}

template<class T> Reply<T> negative(int status, const unsigned char *msg, int length)
{
    Reply<T> r = failure<T>(rcodeForStatus(status), aresError(status));
    if (r.rcode == Rcode::NoData || r.rcode == Rcode::NxDomain)
        r.ttl = negativeTtl(msg, length).value_or(defaultNegativeTtl);
    return r;
}

Reply<QHostAddress> parseA(const unsigned char *msg, int length)
{
    std::vector<ares_addrttl> ttls(maxAddresses);
    int count = maxAddresses;
    hostent *host = nullptr;
    const int status = ares_parse_a_reply(msg, length, &host, ttls.data(), &count);
    if (host)
        ares_free_hostent(host);
    if (status != ARES_SUCCESS)
        return negative<QHostAddress>(status, msg, length);
    Reply<QHostAddress> r;
    r.rcode = Rcode::Ok;
    quint32 ttl = 0x7fffffff;
    for (int i = 0; i < std::clamp(count, 0, maxAddresses); ++i) {
        r.records.append(QHostAddress(ntohl(ttls[i].ipaddr.s_addr)));
        ttl = std::min(ttl, static_cast<quint32>(std::max(ttls[i].ttl, 0)));
    }
    if (r.records.isEmpty())
        return negative<QHostAddress>(ARES_ENODATA, msg, length);
    r.ttl = ttl;
    return r;
}

Reply<QHostAddress> parseAaaa(const unsigned char *msg, int length)
{
    std::vector<ares_addr6ttl> ttls(maxAddresses);
    int count = maxAddresses;
    hostent *host = nullptr;
    const int status = ares_parse_aaaa_reply(msg, length, &host, ttls.data(), &count);
    if (host)
        ares_free_hostent(host);
    if (status != ARES_SUCCESS)
        return negative<QHostAddress>(status, msg, length);
    Reply<QHostAddress> r;
    r.rcode = Rcode::Ok;
    quint32 ttl = 0x7fffffff;
    for (int i = 0; i < std::clamp(count, 0, maxAddresses); ++i) {
        r.records.append(QHostAddress(ttls[i].ip6addr._S6_un._S6_u8));
        ttl = std::min(ttl, static_cast<quint32>(std::max(ttls[i].ttl, 0)));
    }
    if (r.records.isEmpty())
        return negative<QHostAddress>(ARES_ENODATA, msg, length);
    r.ttl = ttl;
    return r;
}

Reply<MxRecord> parseMx(const unsigned char *msg, int length)
{
    ares_mx_reply *mx = nullptr;
    const int status = ares_parse_mx_reply(msg, length, &mx);
    if (status != ARES_SUCCESS) {
        if (mx)
            ares_free_data(mx);
        return negative<MxRecord>(status, msg, length);
    }
    Reply<MxRecord> r;
    r.rcode = Rcode::Ok;
    for (const ares_mx_reply *p = mx; p; p = p->next)
        r.records.append(MxRecord { p->priority, hostName(p->host) }); // "." expands to "": null MX
    ares_free_data(mx);
    // RFC 5321 §5.1: lower preference first; equal preferences keep answer order.
    std::stable_sort(r.records.begin(), r.records.end(),
        [](const MxRecord &a, const MxRecord &b) { return a.preference < b.preference; });
    r.ttl = answerTtl(msg, length, ns_t_mx).value_or(0);
    return r;
}

Reply<QByteArray> parseTxt(const unsigned char *msg, int length)
{
    ares_txt_ext *txt = nullptr;
    const int status = ares_parse_txt_reply_ext(msg, length, &txt);
    if (status != ARES_SUCCESS) {
        if (txt)
            ares_free_data(txt);
        return negative<QByteArray>(status, msg, length);
    }
    Reply<QByteArray> r;
    r.rcode = Rcode::Ok;
    // RFC 7208 §3.3: the character-strings of one TXT record are joined
    // without separator; each record is one entry.
    for (const ares_txt_ext *p = txt; p; p = p->next) {
        if (p->record_start || r.records.isEmpty())
            r.records.append(QByteArray());
        r.records.last().append(reinterpret_cast<const char *>(p->txt), static_cast<qsizetype>(p->length));
    }
    ares_free_data(txt);
    r.ttl = answerTtl(msg, length, ns_t_txt).value_or(0);
    return r;
}

Reply<QString> parsePtr(const unsigned char *msg, int length)
{
    // The address only fills hostent::h_addr_list, which is not used here.
    const unsigned char unused[4] = {};
    hostent *host = nullptr;
    const int status = ares_parse_ptr_reply(msg, length, unused, sizeof unused, AF_INET, &host);
    if (status != ARES_SUCCESS) {
        if (host)
            ares_free_hostent(host);
        return negative<QString>(status, msg, length);
    }
    Reply<QString> r;
    r.rcode = Rcode::Ok;
    // c-ares puts every PTR target in h_aliases (and the last one in h_name).
    for (char **alias = host->h_aliases; alias && *alias; ++alias) {
        const QString name = hostName(*alias);
        if (!r.records.contains(name))
            r.records.append(name);
    }
    if (r.records.isEmpty() && host->h_name)
        r.records.append(hostName(host->h_name));
    ares_free_hostent(host);
    r.ttl = answerTtl(msg, length, ns_t_ptr).value_or(0);
    return r;
}

} // namespace

int wireType(QueryType type)
{
    switch (type) {
    case QueryType::A:
        return ns_t_a;
    case QueryType::Aaaa:
        return ns_t_aaaa;
    case QueryType::Mx:
        return ns_t_mx;
    case QueryType::Txt:
        return ns_t_txt;
    case QueryType::Ptr:
        return ns_t_ptr;
    }
    return ns_t_a;
}

const char *queryTypeName(QueryType type)
{
    switch (type) {
    case QueryType::A:
        return "A";
    case QueryType::Aaaa:
        return "AAAA";
    case QueryType::Mx:
        return "MX";
    case QueryType::Txt:
        return "TXT";
    case QueryType::Ptr:
        return "PTR";
    }
    return "?";
}

AnyReply failureReply(QueryType type, Rcode rcode, const QString &error)
{
    switch (type) {
    case QueryType::A:
    case QueryType::Aaaa:
        return failure<QHostAddress>(rcode, error);
    case QueryType::Mx:
        return failure<MxRecord>(rcode, error);
    case QueryType::Txt:
        return failure<QByteArray>(rcode, error);
    case QueryType::Ptr:
        return failure<QString>(rcode, error);
    }
    return failure<QHostAddress>(rcode, error);
}

AnyReply parseAnswer(QueryType type, int status, const unsigned char *msg, int length)
{
    if (status != ARES_SUCCESS || !msg || length <= 0) {
        const int st = status == ARES_SUCCESS ? ARES_EBADRESP : status;
        switch (type) {
        case QueryType::A:
        case QueryType::Aaaa:
            return negative<QHostAddress>(st, msg, length);
        case QueryType::Mx:
            return negative<MxRecord>(st, msg, length);
        case QueryType::Txt:
            return negative<QByteArray>(st, msg, length);
        case QueryType::Ptr:
            return negative<QString>(st, msg, length);
        }
    }
    switch (type) {
    case QueryType::A:
        return parseA(msg, length);
    case QueryType::Aaaa:
        return parseAaaa(msg, length);
    case QueryType::Mx:
        return parseMx(msg, length);
    case QueryType::Txt:
        return parseTxt(msg, length);
    case QueryType::Ptr:
        return parsePtr(msg, length);
    }
    return failureReply(type, Rcode::Malformed, QStringLiteral("unknown query type"));
}

Rcode rcodeOf(const AnyReply &reply)
{
    return std::visit([](const auto &r) { return r.rcode; }, reply);
}

quint32 ttlOf(const AnyReply &reply)
{
    return std::visit([](const auto &r) { return r.ttl; }, reply);
}

void setTtl(AnyReply &reply, quint32 ttl)
{
    std::visit([ttl](auto &r) { r.ttl = ttl; }, reply);
}

} // namespace mailroom::dns
