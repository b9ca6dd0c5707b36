// The DNS questions that SPF, DKIM and DMARC ask, behind one interface: the
// engine answers them with dns::Resolver (ResolverLookup), unit tests with a
// table of records. DESIGN §4: mailauth ─► dns.
// Trust level: the answers come from the network, bounded by the resolver.
#pragma once

#include <functional>

#include <QByteArray>
#include <QHostAddress>
#include <QString>

#include "dns/types.h"

namespace mailroom::dns
{
class Resolver;
}

namespace mailroom::mailauth
{

// Callbacks run later from the event loop, never inside the call.
class Lookup
{
public:
    virtual ~Lookup() = default;
    virtual void txt(const QString &name, std::function<void(const dns::Reply<QByteArray> &)> done) = 0;
    virtual void a(const QString &name, std::function<void(const dns::Reply<QHostAddress> &)> done) = 0;
    virtual void aaaa(const QString &name, std::function<void(const dns::Reply<QHostAddress> &)> done) = 0;
    virtual void mx(const QString &name, std::function<void(const dns::Reply<dns::MxRecord> &)> done) = 0;
    virtual void ptr(const QHostAddress &address, std::function<void(const dns::Reply<QString> &)> done) = 0;
};

class ResolverLookup : public Lookup
{
public:
    explicit ResolverLookup(dns::Resolver &resolver)
        : m_resolver(resolver)
    {
    }
    void txt(const QString &name, std::function<void(const dns::Reply<QByteArray> &)> done) override;
    void a(const QString &name, std::function<void(const dns::Reply<QHostAddress> &)> done) override;
    void aaaa(const QString &name, std::function<void(const dns::Reply<QHostAddress> &)> done) override;
    void mx(const QString &name, std::function<void(const dns::Reply<dns::MxRecord> &)> done) override;
    void ptr(const QHostAddress &address, std::function<void(const dns::Reply<QString> &)> done) override;

private:
    dns::Resolver &m_resolver;
};

} // namespace mailroom::mailauth
