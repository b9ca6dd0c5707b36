// Walks the hosts of a route (MX hosts in order, or the smarthost) and hands
// out their addresses one at a time, IPv6 first then IPv4 (RFC 5321 §5.1:
// try each address of each host). A host is resolved only when the previous
// one is used up, so a first MX that answers costs two lookups.
// Trust level: DNS answers from the Internet, bounded by the resolver.
#pragma once

#include <functional>
#include <optional>

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QStringList>

namespace mailroom::dns
{
class Resolver;
}

namespace mailroom::delivery
{

struct Target {
    QString host; // the MX or smarthost name as configured or published
    QHostAddress address;
    quint16 port = 0;

    // "mx1.example.com [192.0.2.1]" (remoteMta of the results and logs)
    QString remoteMta() const;
};

class RouteWalker : public QObject
{
    Q_OBJECT

public:
    RouteWalker(dns::Resolver &resolver, QStringList hosts, quint16 port, QObject *parent = nullptr);

    // Calls `done` with the next address to try, or nullopt when none is left.
    // The call may be immediate (address known) or later (lookup needed).
    void next(std::function<void(std::optional<Target>)> done);

    // Some A/AAAA lookup failed temporarily (so "no address" may change).
    bool sawTempFail() const
    {
        return m_tempFail;
    }
    int addressesFound() const
    {
        return m_found;
    }
    QString lastLookupError() const
    {
        return m_lookupError;
    }

private:
    void resolveNextHost();
    void hostResolved();

    dns::Resolver &m_resolver;
    QStringList m_hosts;
    quint16 m_port;
    qsizetype m_hostIndex = 0;
    QList<Target> m_ready;
    QList<QHostAddress> m_v6, m_v4;
    int m_answersPending = 0;
    bool m_tempFail = false;
    int m_found = 0;
    QString m_lookupError;
    std::function<void(std::optional<Target>)> m_waiting;
};

} // namespace mailroom::delivery
