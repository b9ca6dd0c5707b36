#include "mailauth/lookup.h"

#include "dns/resolver.h"

namespace mailroom::mailauth
{

void ResolverLookup::txt(const QString &name, std::function<void(const dns::Reply<QByteArray> &)> done)
{
    m_resolver.lookupTxt(name, std::move(done));
}

void ResolverLookup::a(const QString &name, std::function<void(const dns::Reply<QHostAddress> &)> done)
{
    m_resolver.lookupA(name, std::move(done));
}

void ResolverLookup::aaaa(const QString &name, std::function<void(const dns::Reply<QHostAddress> &)> done)
{
    m_resolver.lookupAaaa(name, std::move(done));
}

void ResolverLookup::mx(const QString &name, std::function<void(const dns::Reply<dns::MxRecord> &)> done)
{
    m_resolver.lookupMx(name, std::move(done));
}

void ResolverLookup::ptr(const QHostAddress &address, std::function<void(const dns::Reply<QString> &)> done)
{
    m_resolver.lookupPtr(address, std::move(done));
}

} // namespace mailroom::mailauth
