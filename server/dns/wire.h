// Time-to-live of a DNS answer, read from the wire message. c-ares' MX, TXT and
// PTR parsers drop the TTL, so this walks the sections itself.
// RFC 1035 §4.1 (message format), RFC 2308 §5 (negative caching: the SOA's TTL
// and MINIMUM, whichever is lower).
// Trust level: parses answers from the network: every offset is checked
// against the buffer length, counts are never trusted, names are skipped
// without following compression pointers.
#pragma once

#include <optional>

#include <QtGlobal>

namespace mailroom::dns
{

// Lowest TTL of the answer-section records of `type` (or CNAME), nullopt if none
// or the message is truncated.
std::optional<quint32> answerTtl(const unsigned char *msg, int length, int type);

// min(SOA TTL, SOA MINIMUM) from the authority section, nullopt if no SOA.
std::optional<quint32> negativeTtl(const unsigned char *msg, int length);

} // namespace mailroom::dns
