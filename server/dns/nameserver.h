// The `dns.nameserver` setting: "addr", "addr:port", "[v6]", "[v6]:port" or a
// comma-separated list of those. Only literal addresses: the resolver cannot
// resolve the name of its own nameserver. Port 0 means the default, 53.
// Trust level: local admin input, checked before c-ares sees it.
#pragma once

#include <QHostAddress>
#include <QList>

#include "base/result.h"

namespace mailroom::dns
{

struct Nameserver {
    QHostAddress address;
    quint16 port = 0;
};

Result<QList<Nameserver>> parseNameservers(const QString &text);

} // namespace mailroom::dns
