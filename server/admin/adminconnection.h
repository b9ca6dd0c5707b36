// AdminConnection: one client of the admin socket. It decodes frames (bounded),
// insists on hello first, runs requests one at a time in arrival order (so
// replies keep the order of requests), keeps this client's log and queue
// subscriptions and pushes. Trust level: local admins whose uid was checked by AdminServer.
#pragma once

#include <optional>

#include <QLocalSocket>
#include <QObject>
#include <QQueue>

#include "admin/dispatcher.h"
#include "adminproto/framecodec.h"
#include "base/events.h"

namespace mailroom::admin
{

class AdminConnection : public QObject
{
    Q_OBJECT
public:
    AdminConnection(QLocalSocket *socket,
        const Peer &peer,
        Dispatcher &dispatcher,
        EventBus &bus,
        qint64 maxFrameBytes,
        QObject *parent = nullptr);
    ~AdminConnection() override;

    const Peer &peer() const
    {
        return m_peer;
    }
    bool saidHello() const
    {
        return m_saidHello;
    }
    void push(const QString &event, const QJsonObject &data);
    void pushLogEvent(const Event &event, qint64 id);
    bool queueSubscribed() const
    {
        return m_queueSubscribed;
    }
    // Sends what is queued (the engine's last log lines), then closes.
    void shutdown();

Q_SIGNALS:
    void closed(mailroom::admin::AdminConnection *connection);
    void changed(const QJsonObject &change); // a successful write, for broadcast

private:
    void onReadyRead();
    void processNext();
    void reply(const QJsonObject &message);
    void closeWithError(const QString &code, const QString &message);
    bool handleLocal(const adminproto::Request &request); // hello, logs/queue.(un)subscribe
    bool handleLogSubscription(const adminproto::Request &request);

    static constexpr int kMaxQueuedRequests = 256;

    QLocalSocket *m_socket;
    Peer m_peer;
    Dispatcher &m_dispatcher;
    EventBus &m_bus;
    adminproto::FrameDecoder m_decoder;
    QQueue<QJsonObject> m_queue;
    bool m_busy = false;
    bool m_saidHello = false;
    bool m_closing = false;
    struct LogFilter {
        Severity minLevel = Severity::Debug;
        QString module;
    };
    std::optional<LogFilter> m_logSubscription;
    bool m_queueSubscribed = false;
};

} // namespace mailroom::admin
