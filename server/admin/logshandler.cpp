// logs.query: the structured event log (logs.db), newest first, paged by id.
// logs.subscribe lives in AdminConnection (it is connection state).
// Trust level: local admins.
#include "admin/adminerror.h"
#include "admin/handlers.h"
#include "admin/json.h"
#include "store/store.h"

namespace mailroom::admin::handlers
{

namespace
{
QDateTime timeParam(const QJsonObject &params, const char *key)
{
    const QString text = params.value(QLatin1String(key)).toString();
    if (text.isEmpty())
        return {};
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    if (!t.isValid())
        raise(ErrorCode::InvalidArgument,
            QStringLiteral("%1 must be an ISO 8601 time such as 2026-01-31T14:00:00Z.").arg(QLatin1String(key)));
    return t;
}
} // namespace

QJsonValue logsQuery(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("logs.read"));
    store::LogQuery q;
    const QString level = params.value(QStringLiteral("level")).toString();
    if (!level.isEmpty()) {
        q.minLevel = severityFromName(level);
        if (!q.minLevel)
            raise(ErrorCode::InvalidArgument, QStringLiteral("level must be debug, info, warning or error."));
    }
    q.module = params.value(QStringLiteral("module")).toString();
    q.text = params.value(QStringLiteral("text")).toString();
    q.since = timeParam(params, "since");
    q.until = timeParam(params, "until");
    q.beforeId = params.value(QStringLiteral("beforeId")).toInteger(0);
    const qint64 limit = params.value(QStringLiteral("limit")).toInteger(200);
    if (limit < 1 || limit > 5000)
        raise(ErrorCode::InvalidArgument, QStringLiteral("limit must be between 1 and 5000."));
    // Ask for one more row than wanted to learn whether there are more.
    q.limit = int(limit) + 1;
    auto rows = unwrap(ctx.services().store.logs().query(q));
    const bool more = rows.size() > limit;
    if (more)
        rows.resize(limit);
    QJsonArray items;
    for (const auto &r : rows)
        items.append(json::logRowToJson(r));
    return QJsonObject { { QStringLiteral("items"), items }, { QStringLiteral("more"), more } };
}

} // namespace mailroom::admin::handlers
