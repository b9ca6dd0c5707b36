// AdminServer: the engine's local admin socket (QLocalServer). Trust level:
// the gate to local admins. The socket lives in a folder only the engine's
// user (and admin.group) can enter; each connecting peer's uid is read from
// the kernel and must be root, the engine's user or in admin.group; a peer
// may hold at most admin.max_connections_per_uid connections, all peers
// together admin.max_connections (STYLE rule 9, OpenSMTPD control.c).
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QLocalServer>
#include <QObject>
#include <QSet>
#include <QTimer>

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
    // Pushes stored log events, with their logs.db ids, to subscribers.
    void publishLogLines(const QList<mailroom::Event> &events, const QList<qint64> &ids);

private:
    void onNewConnection();
    void broadcast(const QJsonObject &change);
    // queue.changed pushes: ids are gathered and sent at most every 250 ms
    // (an empty id means "something changed").
    void noteQueueChange(const QStringList &queueIds);
    void pushQueueChanges();

    const Services &m_services;
    Dispatcher m_dispatcher;
    QLocalServer m_server;
    QString m_path;
    QSet<AdminConnection *> m_connections;
    QHash<qint64, int> m_perUid;
    QTimer m_queueTimer;
    QElapsedTimer m_sinceQueuePush;
    QSet<QString> m_queueIds;
    bool m_queueAll = false; // too many or unknown ids: push {}
    bool m_queuePending = false;
};

} // namespace mailroom::admin
