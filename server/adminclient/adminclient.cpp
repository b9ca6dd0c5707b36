#include "adminclient/adminclient.h"

#include <QCoreApplication>
#include <QFileInfo>

#include "adminproto/framecodec.h"
#include "adminproto/protocol.h"

namespace mailroom::adminclient
{

namespace
{
constexpr qint64 kHelloId = 0;
// Replies can be large (a page of 10,000 users); the engine bounds requests.
constexpr qint64 kMaxReplyBytes = 256 * 1024 * 1024;
} // namespace

QString describeSocketError(QLocalSocket::LocalSocketError error, const QString &path)
{
    switch (error) {
    case QLocalSocket::ServerNotFoundError:
        return QStringLiteral("The Mailroom engine is not running (no admin socket at %1). Start mailroomd, or "
                              "choose the socket of a running engine.")
            .arg(path);
    case QLocalSocket::ConnectionRefusedError:
        return QStringLiteral("The Mailroom engine refused the connection at %1. It may be stopping or too busy; "
                              "try again in a moment.")
            .arg(path);
    case QLocalSocket::SocketAccessError:
        return QStringLiteral("You may not use the admin socket %1. Run as the engine's user, as root, or as a "
                              "member of the group set in admin.group.")
            .arg(path);
    case QLocalSocket::PeerClosedError:
        return QStringLiteral("The engine closed the connection. It may have stopped or refused this user; check "
                              "its log.");
    case QLocalSocket::SocketTimeoutError:
        return QStringLiteral("The engine did not answer in time at %1.").arg(path);
    default:
        return QStringLiteral("Cannot talk to the engine at %1.").arg(path);
    }
}

AdminClient::AdminClient(QString clientName, QObject *parent)
    : QObject(parent)
    , m_clientName(std::move(clientName))
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Disconnected && !m_socketPath.isEmpty())
            connectToEngine(m_socketPath);
    });
}

AdminClient::~AdminClient() = default;

void AdminClient::setState(State s)
{
    if (m_state == s)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

void AdminClient::setAutoReconnect(int intervalMs)
{
    m_reconnectMs = intervalMs;
    if (intervalMs <= 0)
        m_reconnectTimer.stop();
}

void AdminClient::connectToEngine(const QString &socketPath)
{
    m_reconnectTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    m_socketPath = socketPath;
    m_versionMismatch = false;
    m_decoder = std::make_unique<adminproto::FrameDecoder>(kMaxReplyBytes);
    m_socket = new QLocalSocket(this);
    connect(m_socket, &QLocalSocket::connected, this, &AdminClient::onConnected);
    connect(m_socket, &QLocalSocket::readyRead, this, &AdminClient::onReadyRead);
    connect(m_socket, &QLocalSocket::errorOccurred, this, &AdminClient::onSocketError);
    connect(m_socket, &QLocalSocket::disconnected, this, &AdminClient::onDisconnected);
    setState(State::Connecting);
    m_socket->connectToServer(socketPath);
}

void AdminClient::disconnectFromEngine()
{
    m_reconnectMs = 0;
    m_reconnectTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    failPending(QStringLiteral("The connection to the engine was closed."));
    if (m_state != State::Disconnected) {
        setState(State::Disconnected);
        Q_EMIT disconnected();
    }
}

void AdminClient::onConnected()
{
    // The hello goes first; calls queued meanwhile follow it on the wire, and
    // the engine answers in order, so they see a checked version.
    send(adminproto::makeRequest(kHelloId, QStringLiteral("hello"),
        QJsonObject {
            { QStringLiteral("client"), m_clientName }, { QStringLiteral("version"), adminproto::kProtocolVersion } }));
}

void AdminClient::send(const QJsonObject &message)
{
    if (m_socket)
        m_socket->write(adminproto::encodeFrame(message));
}

qint64 AdminClient::call(const QString &method, const QJsonObject &params, Callback cb)
{
    const qint64 id = m_nextId++;
    if (m_state == State::Disconnected || !m_socket) {
        const QString why = m_lastError.isEmpty() ? QStringLiteral("Not connected to the engine.") : m_lastError;
        QMetaObject::invokeMethod(
            this,
            [cb = std::move(cb), why] {
                if (cb)
                    cb(Reply { false, {}, QStringLiteral("unavailable"), why });
            },
            Qt::QueuedConnection);
        return id;
    }
    m_pending.insert(id, std::move(cb));
    if (m_state == State::Connected) {
        send(adminproto::makeRequest(id, method, params));
    } else {
        // Still connecting: send once the socket is up (after hello).
        auto conn = std::make_shared<QMetaObject::Connection>();
        *conn = connect(m_socket, &QLocalSocket::connected, this, [this, id, method, params, conn] {
            disconnect(*conn);
            if (m_pending.contains(id))
                send(adminproto::makeRequest(id, method, params));
        });
        if (m_socket->state() == QLocalSocket::ConnectedState) {
            disconnect(*conn);
            send(adminproto::makeRequest(id, method, params));
        }
    }
    return id;
}

void AdminClient::cancel(qint64 id)
{
    m_pending.remove(id);
}

void AdminClient::onReadyRead()
{
    QList<QJsonObject> messages;
    const auto state = m_decoder->feed(m_socket->readAll(), &messages);
    for (const QJsonObject &m : std::as_const(messages)) {
        handleMessage(m);
        if (!m_socket)
            return; // handleMessage may have closed the connection
    }
    if (state != adminproto::FrameDecoder::State::Ok)
        fail(QStringLiteral("The engine sent data this program cannot read (%1).").arg(m_decoder->errorText()));
}

void AdminClient::handleMessage(const QJsonObject &message)
{
    adminproto::ErrorInfo err;
    if (!adminproto::checkVersion(message, &err)) {
        const int theirs = message.value(QStringLiteral("v")).toInt();
        m_versionMismatch = true;
        const QString text = adminproto::versionMismatchText(theirs, adminproto::kProtocolVersion);
        Q_EMIT versionMismatch(text);
        fail(text);
        return;
    }
    if (message.contains(QStringLiteral("event"))) {
        Q_EMIT pushReceived(
            message.value(QStringLiteral("event")).toString(), message.value(QStringLiteral("data")).toObject());
        return;
    }
    const qint64 id = qint64(message.value(QStringLiteral("id")).toDouble());
    Reply reply;
    if (message.contains(QStringLiteral("error"))) {
        const QJsonObject e = message.value(QStringLiteral("error")).toObject();
        reply.errorCode = e.value(QStringLiteral("code")).toString();
        reply.errorMessage = e.value(QStringLiteral("message")).toString();
    } else {
        reply.ok = true;
        reply.result = message.value(QStringLiteral("result"));
    }
    if (id == kHelloId) {
        if (!reply.ok) {
            if (reply.errorCode == u"version_mismatch") {
                m_versionMismatch = true;
                Q_EMIT versionMismatch(reply.errorMessage);
            }
            fail(reply.errorMessage);
            return;
        }
        m_engineVersion = reply.object().value(QStringLiteral("engine")).toString();
        m_engineProtocol = reply.object().value(QStringLiteral("protocol")).toInt();
        m_lastError.clear();
        setState(State::Connected);
        Q_EMIT connected();
        return;
    }
    if (auto cb = m_pending.take(id))
        cb(reply);
}

void AdminClient::fail(const QString &message)
{
    m_lastError = message;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    failPending(message);
    const bool wasConnected = m_state == State::Connected;
    setState(State::Disconnected);
    if (wasConnected)
        Q_EMIT disconnected();
    Q_EMIT connectionFailed(message);
    scheduleReconnect();
}

void AdminClient::failPending(const QString &message)
{
    const auto pending = std::exchange(m_pending, {});
    for (const auto &cb : pending)
        if (cb)
            cb(Reply { false, {}, QStringLiteral("unavailable"), message });
}

void AdminClient::onSocketError(QLocalSocket::LocalSocketError error)
{
    fail(describeSocketError(error, m_socketPath));
}

void AdminClient::onDisconnected()
{
    fail(QStringLiteral("The engine closed the connection; it may have stopped."));
}

void AdminClient::scheduleReconnect()
{
    // A version mismatch will not heal by retrying.
    if (m_reconnectMs > 0 && !m_versionMismatch)
        m_reconnectTimer.start(m_reconnectMs);
}

} // namespace mailroom::adminclient
