// ImapServer: connection caps and hand-off to the I/O threads.
// Trust level: talks to the Internet.
#include "imap/server.h"

#include <unistd.h>

#include "base/events.h"
#include "config/settings.h"
#include "net/connectioncounter.h"
#include "net/iothreads.h"

namespace mailroom::imap
{

ImapServer::ImapServer(ServerContext &ctx, net::IoThreads &threads, QObject *parent)
    : QObject(parent)
    , m_ctx(ctx)
    , m_threads(threads)
{
}

void ImapServer::accept(const QString &service, qintptr descriptor)
{
    const QHostAddress peer = net::peerOfDescriptor(descriptor);
    const int maxTotal = int(m_ctx.settings.intValue(QStringLiteral("imap.max_connections")));
    const int maxPerIp = int(m_ctx.settings.intValue(QStringLiteral("imap.max_connections_per_ip")));
    ServiceInfo info { service, service == u"imaps" };
    if (!m_ctx.connections.acquire(peer, maxTotal, maxPerIp)) {
        m_ctx.bus.raise(EventId::ImapLimit,
            { { QStringLiteral("service"), service }, { QStringLiteral("peer"), peer.toString() },
                { QStringLiteral("reason"),
                    QStringLiteral("too many connections (imap.max_connections or imap.max_connections_per_ip)") } });
        if (!info.implicitTls) {
            static const char refusal[] = "* BYE [UNAVAILABLE] Too many connections, try again later\r\n";
            [[maybe_unused]] const auto n = ::write(int(descriptor), refusal, sizeof refusal - 1);
        }
        ::close(int(descriptor));
        return;
    }
    ServerContext *ctx = &m_ctx;
    m_threads.post([ctx, info, descriptor](QObject *context) { new Session(*ctx, info, descriptor, context); });
}

} // namespace mailroom::imap
