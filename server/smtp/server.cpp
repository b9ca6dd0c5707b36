#include "smtp/server.h"

#include <sys/socket.h>
#include <unistd.h>

#include "base/events.h"
#include "config/settings.h"
#include "net/iothreads.h"

namespace mailroom::smtp
{

namespace
{
QHostAddress peerOf(qintptr fd)
{
    sockaddr_storage ss {};
    socklen_t len = sizeof ss;
    if (::getpeername(int(fd), reinterpret_cast<sockaddr *>(&ss), &len) != 0)
        return {};
    return QHostAddress(reinterpret_cast<sockaddr *>(&ss));
}
} // namespace

bool ConnectionCounter::acquire(const QHostAddress &ip, int maxTotal, int maxPerIp)
{
    QMutexLocker lock(&m_mutex);
    int &mine = m_perIp[ip];
    if (m_total >= maxTotal || mine >= maxPerIp) {
        if (mine == 0)
            m_perIp.remove(ip);
        return false;
    }
    ++mine;
    ++m_total;
    return true;
}

void ConnectionCounter::release(const QHostAddress &ip)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_perIp.find(ip);
    if (it == m_perIp.end())
        return;
    if (--it.value() <= 0)
        m_perIp.erase(it);
    --m_total;
}

int ConnectionCounter::total() const
{
    QMutexLocker lock(&m_mutex);
    return m_total;
}

SmtpServer::SmtpServer(ServerContext &ctx, net::IoThreads &threads, QObject *parent)
    : QObject(parent)
    , m_ctx(ctx)
    , m_threads(threads)
{
}

void SmtpServer::accept(const QString &service, qintptr descriptor)
{
    const QHostAddress peer = peerOf(descriptor);
    const int maxTotal = int(m_ctx.settings.intValue(QStringLiteral("smtp.max_connections")));
    const int maxPerIp = int(m_ctx.settings.intValue(QStringLiteral("smtp.max_connections_per_ip")));
    ServiceInfo info { service, service == u"smtps", service != u"smtp" };
    if (!m_ctx.connections.acquire(peer, maxTotal, maxPerIp)) {
        m_ctx.bus.raise(EventId::SmtpLimit,
            { { QStringLiteral("service"), service }, { QStringLiteral("peer"), peer.toString() },
                { QStringLiteral("reason"),
                    QStringLiteral("too many connections (smtp.max_connections or "
                                   "smtp.max_connections_per_ip)") } });
        if (!info.implicitTls) {
            static const char refusal[] = "421 4.7.0 Too many connections, try again later\r\n";
            [[maybe_unused]] const auto n = ::write(int(descriptor), refusal, sizeof refusal - 1);
        }
        ::close(int(descriptor));
        return;
    }
    ServerContext *ctx = &m_ctx;
    m_threads.post([ctx, info, descriptor](QObject *context) { new Session(*ctx, info, descriptor, context); });
}

} // namespace mailroom::smtp
