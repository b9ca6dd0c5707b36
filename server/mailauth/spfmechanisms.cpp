// The mechanisms of SPF that ask DNS (RFC 7208 §5.3 a, §5.4 mx, §5.5 ptr,
// §5.7 exists) and the values of macros (§7.3, with %{p} from the validated
// names of §5.5). Address questions for MX and PTR names run in parallel.
// Trust level: answers from DNS; MX and PTR names are capped (§4.6.4).
#include <algorithm>

#include <QDateTime>

#include "mailauth/lookup.h"
#include "mailauth/spfcheck.h"

namespace mailroom::mailauth
{

namespace
{

QString lowerName(QString name)
{
    if (name.endsWith(u'.'))
        name.chop(1);
    return name.toLower();
}

} // namespace

bool spfInNetwork(const QHostAddress &ip, const QHostAddress &net, int bits)
{
    if (ip.protocol() != net.protocol())
        return false;
    if (ip.protocol() == QAbstractSocket::IPv4Protocol) {
        const quint32 mask = bits <= 0 ? 0 : ~quint32(0) << (32 - std::min(bits, 32));
        return (ip.toIPv4Address() & mask) == (net.toIPv4Address() & mask);
    }
    const Q_IPV6ADDR a = ip.toIPv6Address();
    const Q_IPV6ADDR b = net.toIPv6Address();
    for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        const quint8 mask = bits >= 8 ? 0xff : quint8(0xff << (8 - bits));
        if ((a[i] & mask) != (b[i] & mask))
            return false;
    }
    return true;
}

bool spfNeedsReverse(const QString &spec)
{
    return !spec.isEmpty() && spfMacroUsesLetter(spec, u'p');
}

// §5.3: the client's family decides between A and AAAA.
void SpfCheck::evalA(const QString &target)
{
    lookupAddresses(target, [self = shared_from_this()](const dns::Reply<QHostAddress> &r) {
        if (self->m_finished)
            return;
        if (r.rcode == dns::Rcode::TempFail) {
            self->finish(SpfResult::TempError, QStringLiteral("DNS failure for '%1'").arg(self->current().text));
            return;
        }
        if (spfIsVoid(r) && !self->countVoid())
            return;
        for (const QHostAddress &a : r.records) {
            if (self->matchesCurrent(a)) {
                self->matched();
                return;
            }
        }
        self->notMatched();
    });
}

// §5.4; implicit MX rules do not apply.
void SpfCheck::evalMx(const QString &target)
{
    m_dns.mx(target, [self = shared_from_this()](const dns::Reply<dns::MxRecord> &r) {
        if (self->m_finished)
            return;
        if (r.rcode == dns::Rcode::TempFail) {
            self->finish(SpfResult::TempError, QStringLiteral("DNS failure for '%1'").arg(self->current().text));
            return;
        }
        if (spfIsVoid(r) && !self->countVoid())
            return;
        QStringList hosts;
        for (const dns::MxRecord &mx : r.records) {
            if (!mx.exchange.isEmpty()) // a null MX (RFC 7505) names no host
                hosts.append(mx.exchange);
        }
        if (hosts.size() > self->m_opts.maxMxNames) {
            self->finish(SpfResult::PermError,
                QStringLiteral("'%1' names more than %2 MX hosts")
                    .arg(self->current().text)
                    .arg(self->m_opts.maxMxNames));
            return;
        }
        if (hosts.isEmpty())
            self->notMatched();
        else
            self->matchAnyHost(hosts);
    });
}

// §5.7: an A question whatever the client's family.
void SpfCheck::evalExists(const QString &target)
{
    m_dns.a(target, [self = shared_from_this()](const dns::Reply<QHostAddress> &r) {
        if (self->m_finished)
            return;
        if (r.rcode == dns::Rcode::TempFail) {
            self->finish(SpfResult::TempError, QStringLiteral("DNS failure for '%1'").arg(self->current().text));
            return;
        }
        if (spfIsVoid(r) && !self->countVoid())
            return;
        if (r.rcode == dns::Rcode::Ok && !r.records.isEmpty())
            self->matched();
        else
            self->notMatched();
    });
}

// The addresses of the MX hosts, asked in parallel so that ten slow answers
// cost one timeout, not ten.
void SpfCheck::matchAnyHost(const QStringList &hosts)
{
    auto gather = std::make_shared<Gather>();
    gather->pending = hosts.size();
    for (const QString &host : hosts) {
        lookupAddresses(host, [self = shared_from_this(), gather](const dns::Reply<QHostAddress> &r) {
            if (self->m_finished)
                return;
            if (r.rcode == dns::Rcode::TempFail)
                gather->tempFail = true;
            for (const QHostAddress &a : r.records)
                gather->match = gather->match || self->matchesCurrent(a);
            if (--gather->pending > 0)
                return;
            if (gather->match)
                self->matched();
            else if (gather->tempFail)
                self->finish(
                    SpfResult::TempError, QStringLiteral("DNS failure for a host of '%1'").arg(self->current().text));
            else
                self->notMatched();
        });
    }
}

// §5.5: PTR names of the client whose addresses include the client. DNS
// errors only make names (or all of them) unvalidated.
void SpfCheck::validateReverse(std::function<void()> then)
{
    m_dns.ptr(m_ip, [self = shared_from_this(), then](const dns::Reply<QString> &r) {
        if (self->m_finished)
            return;
        self->m_reverse = Reverse { spfIsVoid(r), {} };
        QStringList names;
        if (r.rcode == dns::Rcode::Ok) {
            for (const QString &name : r.records) {
                if (names.size() >= self->m_opts.maxPtrNames) // §4.6.4: the rest are ignored
                    break;
                const QString lower = lowerName(name);
                if (!lower.isEmpty() && !names.contains(lower))
                    names.append(lower);
            }
        }
        if (names.isEmpty()) {
            then();
            return;
        }
        auto valid = std::make_shared<QList<bool>>(names.size(), false);
        auto pending = std::make_shared<qsizetype>(names.size());
        for (qsizetype i = 0; i < names.size(); ++i) {
            self->lookupAddresses(names[i], [self, then, names, valid, pending, i](const dns::Reply<QHostAddress> &a) {
                if (self->m_finished)
                    return;
                for (const QHostAddress &address : a.records)
                    (*valid)[i] = (*valid)[i] || address.isEqual(self->m_ip, QHostAddress::ConvertV4MappedToIPv4);
                if (--*pending > 0)
                    return;
                for (qsizetype j = 0; j < names.size(); ++j) {
                    if ((*valid)[j])
                        self->m_reverse->validated.append(names[j]);
                }
                then();
            });
        }
    });
}

void SpfCheck::lookupAddresses(const QString &name, std::function<void(const dns::Reply<QHostAddress> &)> done)
{
    if (m_ip.protocol() == QAbstractSocket::IPv6Protocol)
        m_dns.aaaa(name, std::move(done));
    else
        m_dns.a(name, std::move(done));
}

bool SpfCheck::matchesCurrent(const QHostAddress &address) const
{
    const SpfDirective &d = current();
    return spfInNetwork(m_ip, address, m_ip.protocol() == QAbstractSocket::IPv6Protocol ? d.cidr6 : d.cidr4);
}

bool SpfCheck::ptrMatches(const QString &target) const
{
    const QString t = lowerName(target);
    for (const QString &name : m_reverse->validated) {
        if (name == t || (name.size() > t.size() && name.endsWith(t) && name[name.size() - t.size() - 1] == u'.'))
            return true;
    }
    return false;
}

// §7.3 for %{p}: the <domain> itself if validated, else a subdomain of it,
// else any validated name, else "unknown".
SpfMacroValues SpfCheck::macroValues(const QString &domain) const
{
    SpfMacroValues v;
    v.sender = m_sender;
    v.local = m_local;
    v.senderDomain = m_senderDomain;
    v.domain = domain;
    v.ip = m_ip;
    v.helo = m_helo;
    v.receiver = m_receiver;
    v.timestamp = QDateTime::currentSecsSinceEpoch();
    if (m_reverse && !m_reverse->validated.isEmpty()) {
        const QString d = lowerName(domain);
        const QString dotted = QStringLiteral(".") + d;
        v.validatedName = m_reverse->validated.front();
        for (const QString &name : m_reverse->validated) {
            if (name == d) {
                v.validatedName = name;
                break;
            }
            if (name.endsWith(dotted) && !v.validatedName.endsWith(dotted))
                v.validatedName = name;
        }
    }
    return v;
}

} // namespace mailroom::mailauth
