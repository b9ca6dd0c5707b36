// RequestContext: what one admin request runs with: the services, the peer,
// its permissions. Every handler's first line is ctx.require(permission)
// (STYLE rule 9). Trust level: local admins.
#pragma once

#include <QSet>
#include <QString>

#include "admin/services.h"

namespace mailroom::admin
{

struct Peer {
    qint64 uid = -1;
    qint64 pid = -1;
    QSet<QString> permissions;
};

class RequestContext
{
public:
    RequestContext(const Services &services, const Peer &peer)
        : m_services(services)
        , m_peer(peer)
    {
    }
    void require(const QString &permission) const; // throws AdminError
    const Services &services() const
    {
        return m_services;
    }
    const Peer &peer() const
    {
        return m_peer;
    }

private:
    const Services &m_services;
    Peer m_peer;
};

// Permissions granted to a trusted local admin (root, the engine's user, or a
// member of admin.group): every area, read and write.
QSet<QString> fullPermissions();

} // namespace mailroom::admin
