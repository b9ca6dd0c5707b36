// MX ordering and smarthost parsing (see mxplan.h). RFC 5321 §5.1: "If
// [MX records] are found, ... sorted by preference ... If there are multiple
// destinations with the same preference ... the SMTP client SHOULD randomize
// them"; "If an empty list of MXs is returned, the address is treated as if
// it was associated with an implicit MX RR, with a preference of 0, pointing
// to that host." RFC 7505 §3: a single MX with the root name as exchange.
// Trust level: DNS answers and an admin setting.
#include "delivery/remote/mxplan.h"

#include <algorithm>

#include <QHostAddress>

namespace mailroom::delivery
{

MxPlan planMx(const QString &domain, const dns::Reply<dns::MxRecord> &reply, QRandomGenerator &random)
{
    MxPlan plan;
    switch (reply.rcode) {
    case dns::Rcode::NoData:
        plan.kind = MxPlan::Kind::Hosts;
        plan.hosts = QStringList { domain };
        return plan;
    case dns::Rcode::NxDomain:
        plan.kind = MxPlan::Kind::NoDomain;
        plan.error = QStringLiteral("domain %1 does not exist").arg(domain);
        return plan;
    case dns::Rcode::TempFail:
    case dns::Rcode::Malformed:
        plan.kind = MxPlan::Kind::TempFail;
        plan.error
            = QStringLiteral("MX lookup for %1 failed: %2")
                  .arg(domain, reply.error.isEmpty() ? QString::fromLatin1(dns::rcodeName(reply.rcode)) : reply.error);
        return plan;
    case dns::Rcode::Ok:
        break;
    }
    QList<dns::MxRecord> records;
    for (const dns::MxRecord &r : reply.records) {
        if (!r.exchange.isEmpty())
            records.append(r);
    }
    if (records.isEmpty()) {
        // Only null MX records: RFC 7505 says a lone one; several still mean "no mail".
        plan.kind = reply.records.isEmpty() ? MxPlan::Kind::Hosts : MxPlan::Kind::NullMx;
        if (plan.kind == MxPlan::Kind::Hosts)
            plan.hosts = QStringList { domain };
        else
            plan.error = QStringLiteral("domain %1 has a null MX").arg(domain);
        return plan;
    }
    // Shuffle, then a stable sort keeps the random order among equal preferences.
    for (qsizetype i = records.size() - 1; i > 0; --i)
        std::swap(records[i], records[random.bounded(static_cast<int>(i + 1))]);
    std::stable_sort(records.begin(), records.end(),
        [](const dns::MxRecord &a, const dns::MxRecord &b) { return a.preference < b.preference; });
    plan.kind = MxPlan::Kind::Hosts;
    for (const dns::MxRecord &r : std::as_const(records)) {
        const QString host = r.exchange.toLower();
        if (!plan.hosts.contains(host))
            plan.hosts.append(host);
    }
    return plan;
}

std::optional<HostPort> parseHostPort(const QString &value, quint16 defaultPort)
{
    const QString v = value.trimmed();
    HostPort hp { v, defaultPort };
    QString portText;
    if (v.startsWith(u'[')) {
        const qsizetype close = v.indexOf(u']');
        if (close < 0)
            return std::nullopt;
        hp.host = v.mid(1, close - 1);
        const QString rest = v.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return std::nullopt;
            portText = rest.mid(1);
            if (portText.isEmpty())
                return std::nullopt;
        }
    } else if (v.count(u':') == 1) {
        const qsizetype colon = v.indexOf(u':');
        hp.host = v.left(colon);
        portText = v.mid(colon + 1);
        if (portText.isEmpty())
            return std::nullopt;
    } // more colons: a bare IPv6 address without port
    if (!portText.isEmpty()) {
        bool ok = false;
        const uint port = portText.toUInt(&ok);
        if (!ok || port == 0 || port > 65535)
            return std::nullopt;
        hp.port = static_cast<quint16>(port);
    }
    if (hp.host.isEmpty() || hp.host.contains(u' '))
        return std::nullopt;
    if (hp.host.contains(u':') && QHostAddress(hp.host).isNull())
        return std::nullopt;
    return hp;
}

} // namespace mailroom::delivery
