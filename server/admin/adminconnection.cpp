#include "admin/adminconnection.h"

#include "admin/json.h"
#include "admin/logging.h"
#include "adminproto/protocol.h"

namespace mailroom::admin
{

AdminConnection::AdminConnection(QLocalSocket *socket,
    const Peer &peer,
    Dispatcher &dispatcher,
    EventBus &bus,
    qint64 maxFrameBytes,
    QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_peer(peer)
    , m_dispatcher(dispatcher)
    , m_bus(bus)
    , m_decoder(maxFrameBytes)
{
    m_socket->setParent(this);
    // Bound what Qt buffers for us: we read as data arrives, and the decoder
    // bounds a frame; this caps the kernel-to-Qt copy in between.
    m_socket->setReadBufferSize(1024 * 1024);
    connect(m_socket, &QLocalSocket::readyRead, this, &AdminConnection::onReadyRead);
    connect(m_socket, &QLocalSocket::disconnected, this, [this] {
        m_closing = true;
        Q_EMIT closed(this);
    });
    QMetaObject::invokeMethod(this, &AdminConnection::onReadyRead, Qt::QueuedConnection);
}

AdminConnection::~AdminConnection() = default;

void AdminConnection::onReadyRead()
{
    if (m_closing)
        return;
    QList<QJsonObject> frames;
    const auto state = m_decoder.feed(m_socket->readAll(), &frames);
    if (state != adminproto::FrameDecoder::State::Ok) {
        m_bus.raise(EventId::AdminBadFrame, { { QStringLiteral("reason"), m_decoder.errorText() } });
        closeWithError(state == adminproto::FrameDecoder::State::TooLarge ? QStringLiteral("too_large")
                                                                          : QStringLiteral("protocol_error"),
            state == adminproto::FrameDecoder::State::TooLarge
                ? QStringLiteral("The request is larger than admin.max_frame_bytes allows; send less at once.")
                : QStringLiteral("The request is not valid JSON: %1.").arg(m_decoder.errorText()));
        return;
    }
    for (auto &f : frames)
        m_queue.enqueue(std::move(f));
    if (m_queue.size() > kMaxQueuedRequests) {
        closeWithError(QStringLiteral("too_large"),
            QStringLiteral("Too many requests are waiting; wait for replies before sending more."));
        return;
    }
    processNext();
}

void AdminConnection::processNext()
{
    while (!m_busy && !m_closing && !m_queue.isEmpty()) {
        const QJsonObject message = m_queue.dequeue();
        adminproto::Request request;
        adminproto::ErrorInfo err;
        if (!adminproto::parseRequest(message, &request, &err)) {
            const qint64 id = qint64(message.value(QStringLiteral("id")).toDouble());
            if (err.code == u"version_mismatch") {
                closeWithError(err.code, err.message);
                return;
            }
            reply(adminproto::makeError(id, err.code, err.message));
            continue;
        }
        if (handleLocal(request))
            continue;
        if (!m_saidHello) {
            reply(adminproto::makeError(request.id, QStringLiteral("protocol_error"),
                QStringLiteral("Say hello first: the client must state its protocol version.")));
            continue;
        }
        m_busy = true;
        m_dispatcher.dispatch(request, m_peer, this, [this](const Outcome &outcome) {
            m_busy = false;
            reply(outcome.reply);
            if (!outcome.change.isEmpty())
                Q_EMIT changed(outcome.change);
            processNext();
        });
    }
}

bool AdminConnection::handleLocal(const adminproto::Request &request)
{
    if (request.method == u"hello") {
        const QJsonValue version = request.params.value(QStringLiteral("version"));
        if (!version.isDouble() || version.toInt() != adminproto::kProtocolVersion) {
            closeWithError(QStringLiteral("version_mismatch"),
                adminproto::versionMismatchText(adminproto::kProtocolVersion, version.toInt()));
            return true;
        }
        m_saidHello = true;
        QJsonArray perms;
        for (const QString &p : std::as_const(m_peer.permissions))
            perms.append(p);
        reply(adminproto::makeResult(request.id,
            QJsonObject { { QStringLiteral("engine"), QStringLiteral(MAILROOM_VERSION) },
                { QStringLiteral("protocol"), adminproto::kProtocolVersion }, { QStringLiteral("uid"), m_peer.uid },
                { QStringLiteral("permissions"), perms } }));
        return true;
    }
    if (request.method == u"queue.subscribe" || request.method == u"queue.unsubscribe") {
        if (!m_saidHello)
            return false; // answered as "say hello first"
        if (!m_peer.permissions.contains(QStringLiteral("queue.read"))) {
            reply(adminproto::makeError(request.id, QStringLiteral("permission_denied"),
                QStringLiteral("This user may not look at the mail queue.")));
            return true;
        }
        if (!request.params.isEmpty()) {
            reply(adminproto::makeError(request.id, QStringLiteral("invalid_argument"),
                QStringLiteral("%1 takes no parameters.").arg(request.method)));
            return true;
        }
        m_queueSubscribed = request.method == u"queue.subscribe";
        reply(adminproto::makeResult(request.id, QJsonObject {}));
        return true;
    }
    if (request.method == u"logs.subscribe" || request.method == u"logs.unsubscribe")
        return handleLogSubscription(request);
    return false;
}

bool AdminConnection::handleLogSubscription(const adminproto::Request &request)
{
    if (!m_saidHello)
        return false; // answered as "say hello first"
    if (!m_peer.permissions.contains(QStringLiteral("logs.read"))) {
        reply(adminproto::makeError(request.id, QStringLiteral("permission_denied"),
            QStringLiteral("This user may not read the engine's log.")));
        return true;
    }
    if (request.method == u"logs.unsubscribe") {
        m_logSubscription.reset();
        reply(adminproto::makeResult(request.id, QJsonObject {}));
        return true;
    }
    LogFilter filter;
    const QString level = request.params.value(QStringLiteral("level")).toString();
    if (!level.isEmpty()) {
        const auto s = severityFromName(level);
        if (!s) {
            reply(adminproto::makeError(request.id, QStringLiteral("invalid_argument"),
                QStringLiteral("level must be debug, info, warning or error.")));
            return true;
        }
        filter.minLevel = *s;
    }
    filter.module = request.params.value(QStringLiteral("module")).toString();
    m_logSubscription = filter;
    reply(adminproto::makeResult(request.id, QJsonObject {}));
    return true;
}

void AdminConnection::reply(const QJsonObject &message)
{
    if (!m_closing)
        m_socket->write(adminproto::encodeFrame(message));
}

void AdminConnection::push(const QString &event, const QJsonObject &data)
{
    if (m_saidHello && !m_closing)
        m_socket->write(adminproto::encodeFrame(adminproto::makePush(event, data)));
}

void AdminConnection::pushLogEvent(const Event &event, qint64 id)
{
    if (!m_logSubscription || m_closing)
        return;
    const EventType &t = event.type();
    if (t.severity < m_logSubscription->minLevel)
        return;
    if (!m_logSubscription->module.isEmpty() && m_logSubscription->module != QLatin1String(t.module))
        return;
    // A client that does not read its pushes must not grow our memory.
    if (m_socket->bytesToWrite() > 4 * 1024 * 1024)
        return;
    push(QStringLiteral("logs.line"), json::eventToJson(event, id));
}

void AdminConnection::shutdown()
{
    if (m_closing)
        return;
    m_closing = true;
    m_queue.clear();
    m_socket->flush();
    m_socket->disconnectFromServer();
}

void AdminConnection::closeWithError(const QString &code, const QString &message)
{
    if (m_closing)
        return;
    reply(adminproto::makeError(0, code, message));
    m_closing = true;
    m_queue.clear();
    m_socket->flush();
    m_socket->disconnectFromServer();
}

} // namespace mailroom::admin
