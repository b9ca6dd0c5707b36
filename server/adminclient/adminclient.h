// AdminClient: the asynchronous client of the engine's admin socket, used by
// the console and mailroomctl. Trust level: local. It opens the connection,
// says hello (version check), matches replies to requests by id, delivers
// pushes (subscriptions) and, when asked, reconnects on its own.
#pragma once

#include <functional>
#include <memory>

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QLocalSocket>
#include <QObject>
#include <QTimer>

namespace mailroom::adminproto
{
class FrameDecoder;
}

namespace mailroom::adminclient
{

struct Reply {
    bool ok = false;
    QJsonValue result; // when ok
    QString errorCode; // when !ok: "not_found", "unavailable", "version_mismatch", ...
    QString errorMessage; // when !ok: a sentence for the admin

    QJsonObject object() const
    {
        return result.toObject();
    }
};

class AdminClient : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected };
    Q_ENUM(State)
    using Callback = std::function<void(const Reply &)>;

    explicit AdminClient(QString clientName, QObject *parent = nullptr);
    ~AdminClient() override;

    // Starts connecting; connected() or connectionFailed() follows.
    void connectToEngine(const QString &socketPath);
    void disconnectFromEngine();
    // Reconnect every intervalMs after a loss or failure (0 turns it off).
    void setAutoReconnect(int intervalMs);

    State state() const
    {
        return m_state;
    }
    bool isConnected() const
    {
        return m_state == State::Connected;
    }
    QString socketPath() const
    {
        return m_socketPath;
    }
    QString engineVersion() const
    {
        return m_engineVersion;
    }
    int engineProtocol() const
    {
        return m_engineProtocol;
    }
    QString lastError() const
    {
        return m_lastError;
    }

    // Sends a request; cb runs on this object's thread with the reply. When
    // not connected, cb gets an "unavailable" error at once (queued). Requests
    // still open when the connection drops get "unavailable" too.
    qint64 call(const QString &method, const QJsonObject &params, Callback cb);
    // cb for a call that has already been made is dropped (e.g. its view died).
    void cancel(qint64 id);

Q_SIGNALS:
    void stateChanged(mailroom::adminclient::AdminClient::State state);
    void connected();
    void disconnected();
    // A sentence that says what is wrong and what to do.
    void connectionFailed(const QString &message);
    void versionMismatch(const QString &message);
    void pushReceived(const QString &event, const QJsonObject &data);

private:
    void setState(State s);
    void onConnected();
    void onReadyRead();
    void onSocketError(QLocalSocket::LocalSocketError error);
    void onDisconnected();
    void fail(const QString &message);
    void failPending(const QString &message);
    void send(const QJsonObject &message);
    void handleMessage(const QJsonObject &message);
    void scheduleReconnect();

    QString m_clientName;
    QLocalSocket *m_socket = nullptr;
    std::unique_ptr<adminproto::FrameDecoder> m_decoder;
    QTimer m_reconnectTimer;
    int m_reconnectMs = 0;
    State m_state = State::Disconnected;
    QString m_socketPath;
    QString m_engineVersion;
    int m_engineProtocol = 0;
    QString m_lastError;
    qint64 m_nextId = 1;
    QHash<qint64, Callback> m_pending;
    bool m_versionMismatch = false;
};

QString describeSocketError(QLocalSocket::LocalSocketError error, const QString &path);

} // namespace mailroom::adminclient
