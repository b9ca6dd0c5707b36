// Asynchronous DNS resolver for the engine: MX, A, AAAA, TXT and PTR lookups
// through c-ares, driven by the Qt event loop (QSocketNotifier + QTimer), with
// a TTL cache. It asks any nameserver on any port, which QDnsLookup in Qt 6.4
// cannot (DESIGN §2, §9). RFC 1035, RFC 3596 (AAAA, ip6.arpa), RFC 7505 (null
// MX), RFC 2308 (negative caching).
// Trust level: parses answers from the network: bounded, never trusts lengths.
// Never blocks, starts no thread and runs no nested event loop.
#pragma once

#include <functional>
#include <memory>

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>

#include "base/result.h"
#include "dns/types.h"

namespace mailroom::dns
{

// Callbacks run on the resolver's thread, always later from the event loop
// (never inside the lookup call, not even for a cache hit). A callback may
// delete the resolver with deleteLater(). Pending callbacks are dropped when
// the resolver is destroyed.
class Resolver : public QObject
{
    Q_OBJECT

public:
    explicit Resolver(Options opts, QObject *parent = nullptr);
    ~Resolver() override;

    // Checks the options (nameserver string, timeout, tries) and opens the
    // c-ares channel. Lookups before a successful init() answer TempFail.
    Status init();

    // Records sorted by preference, lowest first.
    void lookupMx(const QString &domain, std::function<void(const Reply<MxRecord> &)> done);
    void lookupA(const QString &name, std::function<void(const Reply<QHostAddress> &)> done);
    void lookupAaaa(const QString &name, std::function<void(const Reply<QHostAddress> &)> done);
    // One entry per TXT record, its character-strings concatenated.
    void lookupTxt(const QString &name, std::function<void(const Reply<QByteArray> &)> done);
    // Builds the in-addr.arpa / ip6.arpa name; IPv4-mapped IPv6 counts as IPv4.
    void lookupPtr(const QHostAddress &address, std::function<void(const Reply<QString> &)> done);

    void clearCache();
    // Lookups whose callback has not run yet.
    int pending() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mailroom::dns
