// Where to send mail for a domain: the MX answer turned into an ordered host
// list (RFC 5321 §5.1: lowest preference first, random order among equal
// preferences, implicit MX when there is none; RFC 7505 null MX), and the
// smarthost setting "host", "host:port" or "[v6]:port" parsed. Pure.
// Trust level: DNS answers from the Internet (already bounded by the resolver)
// and an admin's setting.
#pragma once

#include <optional>

#include <QRandomGenerator>
#include <QStringList>

#include "dns/types.h"

namespace mailroom::delivery
{

struct MxPlan {
    enum class Kind {
        Hosts, // try `hosts` in order
        NullMx, // the domain accepts no mail (RFC 7505)
        NoDomain, // NXDOMAIN
        TempFail, // ask again later
    };
    Kind kind = Kind::TempFail;
    QStringList hosts;
    QString error; // for the diagnostic when kind is not Hosts
};

MxPlan planMx(const QString &domain, const dns::Reply<dns::MxRecord> &reply, QRandomGenerator &random);

struct HostPort {
    QString host; // name or address literal, brackets removed
    quint16 port = 0;
};

// Empty result for a malformed value.
std::optional<HostPort> parseHostPort(const QString &value, quint16 defaultPort);

} // namespace mailroom::delivery
