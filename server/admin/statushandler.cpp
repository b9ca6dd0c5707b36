// status.get: what the Dashboard shows. Trust level: local admins.
#include <QCoreApplication>

#include "admin/adminerror.h"
#include "admin/handlers.h"
#include "admin/json.h"
#include "store/store.h"

namespace mailroom::admin::handlers
{

QJsonValue statusGet(const RequestContext &ctx, const QJsonObject &)
{
    ctx.require(QStringLiteral("status.read"));
    const Services &s = ctx.services();
    const store::Counts counts = unwrap(s.store.directory().counts());
    QJsonArray listeners;
    for (const ListenerInfo &l : s.status.listeners())
        listeners.append(QJsonObject { { QStringLiteral("service"), l.service },
            { QStringLiteral("address"), l.address }, { QStringLiteral("port"), l.port },
            { QStringLiteral("state"), l.state }, { QStringLiteral("detail"), l.detail } });
    const QDateTime started = s.status.startedAt();
    return QJsonObject {
        { QStringLiteral("version"), QStringLiteral(MAILROOM_VERSION) },
        { QStringLiteral("pid"), QCoreApplication::applicationPid() },
        { QStringLiteral("startedAt"), json::isoTime(started) },
        { QStringLiteral("uptimeSeconds"), started.secsTo(QDateTime::currentDateTimeUtc()) },
        { QStringLiteral("dataFolder"), s.status.dataFolder() },
        { QStringLiteral("hostname"), s.status.hostname() },
        { QStringLiteral("listeners"), listeners },
        { QStringLiteral("counts"),
            QJsonObject { { QStringLiteral("domains"), counts.domains }, { QStringLiteral("users"), counts.users },
                { QStringLiteral("aliases"), counts.aliases }, { QStringLiteral("messages"), counts.messages },
                { QStringLiteral("blobBytes"), counts.blobBytes } } },
    };
}

} // namespace mailroom::admin::handlers
