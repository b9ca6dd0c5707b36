#include "pop3/server.h"

#include <unistd.h>

#include "base/events.h"
#include "config/settings.h"
#include "net/connectioncounter.h"
#include "net/iothreads.h"
#include "pop3/session.h"

namespace mailroom::pop3
{

Pop3Server::Pop3Server(ServerContext &ctx, net::IoThreads &threads, QObject *parent)
    : QObject(parent)
    , m_ctx(ctx)
    , m_threads(threads)
{
}

void Pop3Server::accept(const QString &service, qintptr descriptor)
{
    const QHostAddress peer = net::peerOfDescriptor(descriptor);
    const int maxTotal = int(m_ctx.settings.intValue(QStringLiteral("pop3.max_connections")));
    const int maxPerIp = int(m_ctx.settings.intValue(QStringLiteral("pop3.max_connections_per_ip")));
    const ServiceInfo info { service, service == u"pop3s" };
    if (!m_ctx.connections.acquire(peer, maxTotal, maxPerIp)) {
        m_ctx.bus.raise(EventId::Pop3Limit,
            { { QStringLiteral("service"), service }, { QStringLiteral("peer"), peer.toString() },
                { QStringLiteral("reason"),
                    QStringLiteral("too many connections (pop3.max_connections or "
                                   "pop3.max_connections_per_ip)") } });
        if (!info.implicitTls) {
            static const char refusal[] = "-ERR [SYS/TEMP] Too many connections, try again later\r\n";
            [[maybe_unused]] const auto n = ::write(int(descriptor), refusal, sizeof refusal - 1);
        }
        ::close(int(descriptor));
        return;
    }
    ServerContext *ctx = &m_ctx;
    m_threads.post([ctx, info, descriptor](QObject *context) { new Session(*ctx, info, descriptor, context); });
}

} // namespace mailroom::pop3
