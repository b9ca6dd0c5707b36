// ConnectionCounter: how many connections a protocol holds, in total and per
// client address, so each listener can enforce its caps (STYLE rule 4:
// smtp.max_connections, pop3.max_connections_per_ip, ...). One counter per
// protocol; acquired on the main thread when a connection is accepted,
// released by the session on its I/O thread when it ends. Thread-safe.
// Trust level: fed by the Internet (client addresses).
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QMutex>

namespace mailroom::net
{

class ConnectionCounter
{
public:
    // False (and nothing counted) when the total or the address's count is at its cap.
    bool acquire(const QHostAddress &ip, int maxTotal, int maxPerIp);
    void release(const QHostAddress &ip);
    int total() const;

private:
    mutable QMutex m_mutex;
    QHash<QHostAddress, int> m_perIp;
    int m_total = 0;
};

// The peer address of an accepted socket, read before any session exists
// (getpeername); null when the peer is already gone.
QHostAddress peerOfDescriptor(qintptr descriptor);

} // namespace mailroom::net
