// RouteWalker (see routewalker.h): one host at a time, AAAA and A together.
// RFC 5321 §5.1 (address selection), RFC 3596 (AAAA).
// Trust level: DNS answers from the Internet. Lookup callbacks may arrive
// after this object is gone; a QPointer guards them.
#include "delivery/remote/routewalker.h"

#include <QPointer>

#include "dns/resolver.h"

namespace mailroom::delivery
{

QString Target::remoteMta() const
{
    return QStringLiteral("%1 [%2]").arg(host, address.toString());
}

RouteWalker::RouteWalker(dns::Resolver &resolver, QStringList hosts, quint16 port, QObject *parent)
    : QObject(parent)
    , m_resolver(resolver)
    , m_hosts(std::move(hosts))
    , m_port(port)
{
}

void RouteWalker::next(std::function<void(std::optional<Target>)> done)
{
    if (!m_ready.isEmpty()) {
        done(m_ready.takeFirst());
        return;
    }
    if (m_hostIndex >= m_hosts.size()) {
        done(std::nullopt);
        return;
    }
    m_waiting = std::move(done);
    resolveNextHost();
}

void RouteWalker::resolveNextHost()
{
    const QString host = m_hosts.at(m_hostIndex);
    const QHostAddress literal(host);
    if (!literal.isNull()) {
        ++m_hostIndex;
        ++m_found;
        auto done = std::move(m_waiting);
        m_waiting = nullptr;
        done(Target { host, literal, m_port });
        return;
    }
    m_v6.clear();
    m_v4.clear();
    m_answersPending = 2;
    QPointer<RouteWalker> self(this);
    auto collect = [self, host](QList<QHostAddress> RouteWalker::*into, const dns::Reply<QHostAddress> &reply) {
        if (!self)
            return;
        if (reply.rcode == dns::Rcode::Ok) {
            self->*into = reply.records;
        } else if (reply.rcode == dns::Rcode::TempFail || reply.rcode == dns::Rcode::Malformed) {
            self->m_tempFail = true;
            self->m_lookupError = QStringLiteral("address lookup for %1 failed: %2").arg(host, reply.error);
        }
        if (--self->m_answersPending == 0)
            self->hostResolved();
    };
    m_resolver.lookupAaaa(host, [collect](const dns::Reply<QHostAddress> &r) { collect(&RouteWalker::m_v6, r); });
    m_resolver.lookupA(host, [collect](const dns::Reply<QHostAddress> &r) { collect(&RouteWalker::m_v4, r); });
}

void RouteWalker::hostResolved()
{
    const QString host = m_hosts.at(m_hostIndex++);
    for (const QHostAddress &a : std::as_const(m_v6))
        m_ready.append(Target { host, a, m_port });
    for (const QHostAddress &a : std::as_const(m_v4))
        m_ready.append(Target { host, a, m_port });
    m_found += static_cast<int>(m_ready.size());
    if (m_ready.isEmpty() && m_hostIndex < m_hosts.size()) {
        resolveNextHost(); // an MX name without addresses is skipped
        return;
    }
    auto done = std::move(m_waiting);
    m_waiting = nullptr;
    if (m_ready.isEmpty())
        done(std::nullopt);
    else
        done(m_ready.takeFirst());
}

} // namespace mailroom::delivery
