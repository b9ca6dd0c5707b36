// Query names: normalising a domain before it goes to c-ares or the cache key,
// and building reverse names for PTR lookups.
// RFC 1035 §2.3.1/§2.3.4 (label and name limits), RFC 1035 §3.5 (in-addr.arpa),
// RFC 3596 §2.5 (ip6.arpa).
// Trust level: names come from mail peers (HELO, MAIL FROM, headers): every
// name is checked here before c-ares sees it.
#pragma once

#include <optional>

#include <QByteArray>
#include <QHostAddress>
#include <QString>

namespace mailroom::dns
{

// Lower-cased ASCII name without the trailing dot, or nullopt when the name is
// empty, too long, has an empty or over-long label, or holds a character other
// than letters, digits, '-' and '_' (IDN names arrive already in ACE form).
std::optional<QByteArray> normalizeName(const QString &name);

// "4.3.2.1.in-addr.arpa" or the 32-nibble ".ip6.arpa" name; an IPv4-mapped
// IPv6 address is treated as IPv4. nullopt for a null or unusable address.
std::optional<QByteArray> reverseName(const QHostAddress &address);

} // namespace mailroom::dns
