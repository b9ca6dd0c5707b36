#include "net/connectioncounter.h"

#include <sys/socket.h>

namespace mailroom::net
{

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

QHostAddress peerOfDescriptor(qintptr descriptor)
{
    sockaddr_storage ss {};
    socklen_t len = sizeof ss;
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr *>(&ss), &len) != 0)
        return {};
    return QHostAddress(reinterpret_cast<sockaddr *>(&ss));
}

} // namespace mailroom::net
