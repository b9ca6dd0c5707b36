#include "admin/adminserver.h"

#include <cerrno>
#include <cstring>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include "admin/adminconnection.h"
#include "admin/logging.h"
#include "admin/peercredentials.h"
#include "config/settings.h"

namespace mailroom::admin
{

namespace
{
constexpr int kQueuePushMs = 250;
constexpr qsizetype kMaxPushedIds = 500;

// The socket's folder: 0700, or 0750 with the admin group as its group.
Status prepareFolder(const QString &folder, const QString &adminGroup)
{
    if (!QDir().mkpath(folder))
        return Error(ErrorCode::IoError,
            QStringLiteral("Cannot create the admin socket folder %1. Check the permissions of its parent.")
                .arg(folder));
    const QByteArray path = QFile::encodeName(folder);
    mode_t mode = 0700;
    if (!adminGroup.isEmpty()) {
        struct group *gr = ::getgrnam(adminGroup.toLocal8Bit().constData());
        if (!gr)
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("admin.group names the group \"%1\", which does not exist. Create it or "
                               "change the setting.")
                    .arg(adminGroup));
        if (::chown(path.constData(), uid_t(-1), gr->gr_gid) != 0)
            return Error(ErrorCode::IoError,
                QStringLiteral("Cannot give %1 to group %2: %3.")
                    .arg(folder, adminGroup, QString::fromLocal8Bit(strerror(errno))));
        mode = 0750;
    }
    if (::chmod(path.constData(), mode) != 0)
        return Error(ErrorCode::IoError,
            QStringLiteral("Cannot restrict access to %1: %2.").arg(folder, QString::fromLocal8Bit(strerror(errno))));
    return {};
}
} // namespace

AdminServer::AdminServer(const Services &services, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_dispatcher(services)
{
    connect(&m_server, &QLocalServer::newConnection, this, &AdminServer::onNewConnection);
    m_queueTimer.setSingleShot(true);
    connect(&m_queueTimer, &QTimer::timeout, this, &AdminServer::pushQueueChanges);
    // The engine's own queue changes (mail accepted, delivered, ...) reach
    // subscribers too; the bus delivers them on this thread.
    connect(&m_services.bus, &EventBus::eventRaised, this, [this](const Event &e) {
        switch (e.id) {
        case EventId::MessageQueued:
        case EventId::MessageDelivered:
        case EventId::MessageDeferred:
        case EventId::MessageBounced:
        case EventId::MessageRemoved:
            noteQueueChange({ e.fields.value(QStringLiteral("queue_id")).toString() });
            break;
        default:
            break;
        }
    });
}

AdminServer::~AdminServer()
{
    close();
}

Status AdminServer::listen(const QString &socketPath)
{
    const QString adminGroup = m_services.settings.stringValue(QStringLiteral("admin.group"));
    if (auto s = prepareFolder(QFileInfo(socketPath).absolutePath(), adminGroup); !s)
        return s;
    // The data folder lock guarantees no other engine owns this socket, so a
    // file left by a crash can go.
    QLocalServer::removeServer(socketPath);
    m_server.setSocketOptions(adminGroup.isEmpty()
            ? QLocalServer::UserAccessOption
            : (QLocalServer::UserAccessOption | QLocalServer::GroupAccessOption));
    if (!m_server.listen(socketPath))
        return Error(ErrorCode::IoError,
            QStringLiteral("Cannot open the admin socket %1: %2.").arg(socketPath, m_server.errorString()));
    m_path = socketPath;
    qCInfo(lcAdmin).noquote() << "admin socket at" << socketPath;
    return {};
}

void AdminServer::close()
{
    m_server.close();
    for (AdminConnection *c : std::as_const(m_connections)) {
        c->shutdown();
        c->deleteLater();
    }
    m_connections.clear();
    m_perUid.clear();
}

void AdminServer::onNewConnection()
{
    const auto &settings = m_services.settings;
    while (QLocalSocket *socket = m_server.nextPendingConnection()) {
        const auto creds = peerCredentials(socket->socketDescriptor());
        QString refusal;
        if (!creds)
            refusal = QStringLiteral("the peer's identity could not be read");
        else if (!isTrustedPeer(*creds, settings.stringValue(QStringLiteral("admin.group"))))
            refusal = QStringLiteral("uid %1 is not root, the engine's user or in admin.group").arg(creds->uid);
        else if (m_connections.size() >= settings.intValue(QStringLiteral("admin.max_connections")))
            refusal = QStringLiteral("too many admin connections in total");
        else if (m_perUid.value(creds->uid) >= settings.intValue(QStringLiteral("admin.max_connections_per_uid")))
            refusal = QStringLiteral("uid %1 holds too many admin connections").arg(creds->uid);
        if (!refusal.isEmpty()) {
            m_services.bus.raise(EventId::AdminRejected, { { QStringLiteral("reason"), refusal } });
            socket->abort();
            socket->deleteLater();
            continue;
        }
        Peer peer { creds->uid, creds->pid, fullPermissions() };
        auto *conn = new AdminConnection(socket, peer, m_dispatcher, m_services.bus,
            settings.intValue(QStringLiteral("admin.max_frame_bytes")), this);
        m_connections.insert(conn);
        m_perUid[creds->uid]++;
        m_services.bus.raise(EventId::AdminConnected, { { QStringLiteral("uid"), creds->uid } });
        connect(conn, &AdminConnection::changed, this, &AdminServer::broadcast);
        connect(conn, &AdminConnection::closed, this, [this](AdminConnection *c) {
            if (!m_connections.remove(c))
                return;
            const qint64 uid = c->peer().uid;
            if (--m_perUid[uid] <= 0)
                m_perUid.remove(uid);
            m_services.bus.raise(EventId::AdminDisconnected, { { QStringLiteral("uid"), uid } });
            c->deleteLater();
        });
    }
}

void AdminServer::publishLogLines(const QList<Event> &events, const QList<qint64> &ids)
{
    for (qsizetype i = 0; i < events.size() && i < ids.size(); ++i) {
        // Our own connect/disconnect debug events are not worth a push each.
        if (events[i].id == EventId::AdminConnected || events[i].id == EventId::AdminDisconnected)
            continue;
        for (AdminConnection *c : std::as_const(m_connections))
            c->pushLogEvent(events[i], ids[i]);
    }
}

void AdminServer::broadcast(const QJsonObject &change)
{
    if (change.value(QStringLiteral("area")).toString() == u"queue") {
        QStringList ids;
        for (const QJsonValue &v : change.value(QStringLiteral("queueIds")).toArray())
            ids << v.toString();
        noteQueueChange(ids.isEmpty() ? QStringList { QString() } : ids);
        return;
    }
    for (AdminConnection *c : std::as_const(m_connections))
        c->push(QStringLiteral("directory.changed"), change);
}

void AdminServer::noteQueueChange(const QStringList &queueIds)
{
    for (const QString &id : queueIds) {
        if (id.isEmpty() || m_queueIds.size() >= kMaxPushedIds)
            m_queueAll = true;
        else if (!m_queueAll)
            m_queueIds.insert(id.toUpper());
    }
    m_queuePending = true;
    if (m_queueTimer.isActive())
        return;
    const qint64 since = m_sinceQueuePush.isValid() ? m_sinceQueuePush.elapsed() : kQueuePushMs;
    m_queueTimer.start(int(std::max<qint64>(0, kQueuePushMs - since)));
}

void AdminServer::pushQueueChanges()
{
    if (!m_queuePending)
        return;
    QJsonObject data;
    if (!m_queueAll) {
        QStringList ids(m_queueIds.cbegin(), m_queueIds.cend());
        ids.sort();
        data.insert(QStringLiteral("queueIds"), QJsonArray::fromStringList(ids));
    }
    m_queueIds.clear();
    m_queueAll = false;
    m_queuePending = false;
    m_sinceQueuePush.start();
    for (AdminConnection *c : std::as_const(m_connections))
        if (c->queueSubscribed())
            c->push(QStringLiteral("queue.changed"), data);
}

} // namespace mailroom::admin
