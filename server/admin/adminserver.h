// AdminServer: the engine's local admin socket (QLocalServer). Trust level:
// the gate to local admins. The socket lives in a folder only the engine's
// user (and admin.group) can enter; each connecting peer's uid is read from
// the kernel and must be root, the engine's user or in admin.group; a peer
// may hold at most admin.max_connections_per_uid connections, all peers
// together admin.max_connections (STYLE rule 9, OpenSMTPD control.c).
#pragma once

#include <QHash>
#include <QLocalServer>
#include <QObject>
#include <QSet>

#include "admin/dispatcher.h"
#include "base/events.h"
#include "base/result.h"

namespace mailroom::admin
{

class AdminConnection;

class AdminServer : public QObject
{
    Q_OBJECT
public:
    explicit AdminServer(const Services &services, QObject *parent = nullptr);
    ~AdminServer() override;

    Status listen(const QString &socketPath);
    void close();
    QString socketPath() const
    {
        return m_path;
    }
    int connectionCount() const
    {
        return int(m_connections.size());
    }

private:
    void onNewConnection();
    void onEvent(const mailroom::Event &event);
    void broadcast(const QJsonObject &change);

    const Services &m_services;
    Dispatcher m_dispatcher;
    QLocalServer m_server;
    QString m_path;
    QSet<AdminConnection *> m_connections;
    QHash<qint64, int> m_perUid;
};

} // namespace mailroom::admin
