// Turns a c-ares query result (status + wire answer) into a typed Reply, with
// the TTL used for caching. Internal to the dns module.
// RFC 1035 §3.3 (MX, TXT, PTR), RFC 3596 (AAAA), RFC 7505 (null MX),
// RFC 2308 (negative answers: SOA minimum, else 60 s).
// Trust level: parses answers from the network. c-ares' parsers bound the
// records; lengths are never taken from the message without a check.
#pragma once

#include <variant>

#include <QByteArray>
#include <QHostAddress>
#include <QString>

#include "dns/types.h"

namespace mailroom::dns
{

enum class QueryType { A, Aaaa, Mx, Txt, Ptr };

using AnyReply = std::variant<Reply<MxRecord>, Reply<QHostAddress>, Reply<QByteArray>, Reply<QString>>;

int wireType(QueryType type); // ns_t_a, ns_t_mx, ...
const char *queryTypeName(QueryType type);

// The reply for a failure that has no answer to parse (bad name, timeout, ...).
AnyReply failureReply(QueryType type, Rcode rcode, const QString &error);

// `status` is the ares_query() callback status; `msg` may be null.
AnyReply parseAnswer(QueryType type, int status, const unsigned char *msg, int length);

// Accessors that work on every alternative.
Rcode rcodeOf(const AnyReply &reply);
quint32 ttlOf(const AnyReply &reply);
void setTtl(AnyReply &reply, quint32 ttl);

} // namespace mailroom::dns
