#include "admin/json.h"

#include "admin/adminerror.h"

namespace mailroom::admin::json
{

namespace
{
constexpr qint64 kMaxPage = 10000;
}

QString isoTime(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QJsonObject domainToJson(const store::Domain &d)
{
    return { { QStringLiteral("name"), d.name }, { QStringLiteral("description"), d.description },
        { QStringLiteral("users"), d.userCount }, { QStringLiteral("aliases"), d.aliasCount },
        { QStringLiteral("catchAll"), d.catchAllTarget }, { QStringLiteral("created"), isoTime(d.created) } };
}

QJsonObject userToJson(const store::User &u)
{
    return { { QStringLiteral("address"), u.address }, { QStringLiteral("displayName"), u.displayName },
        { QStringLiteral("quotaBytes"), u.quotaBytes }, { QStringLiteral("usedBytes"), u.usedBytes },
        { QStringLiteral("enabled"), u.enabled }, { QStringLiteral("cramMd5"), u.cramMd5Allowed },
        { QStringLiteral("created"), isoTime(u.created) } };
}

QJsonObject aliasToJson(const store::Alias &a)
{
    QString kind = QStringLiteral("alias");
    if (a.address.startsWith(QLatin1Char('@')))
        kind = QStringLiteral("catch-all");
    else if (a.targets.size() > 1)
        kind = QStringLiteral("list");
    return { { QStringLiteral("address"), a.address },
        { QStringLiteral("targets"), QJsonArray::fromStringList(a.targets) }, { QStringLiteral("kind"), kind },
        { QStringLiteral("created"), isoTime(a.created) } };
}

QJsonObject eventToJson(const Event &e, qint64 id)
{
    const EventType &t = e.type();
    return { { QStringLiteral("id"), id }, { QStringLiteral("time"), isoTime(e.time) },
        { QStringLiteral("level"), QLatin1String(severityName(t.severity)) },
        { QStringLiteral("module"), QLatin1String(t.module) }, { QStringLiteral("event"), QLatin1String(t.name) },
        { QStringLiteral("text"), e.text() }, { QStringLiteral("fields"), QJsonObject::fromVariantMap(e.fields) } };
}

QJsonObject logRowToJson(const store::LogRow &r)
{
    return { { QStringLiteral("id"), r.id }, { QStringLiteral("time"), isoTime(r.time) },
        { QStringLiteral("level"), QLatin1String(severityName(r.level)) }, { QStringLiteral("module"), r.module },
        { QStringLiteral("event"), r.event }, { QStringLiteral("text"), r.text },
        { QStringLiteral("fields"), QJsonObject::fromVariantMap(r.fields) } };
}

QJsonObject queueMessageToJson(const store::QueueMessageRow &m)
{
    QJsonArray recipients;
    for (const store::QueueRecipientRow &r : m.recipients)
        recipients.append(QJsonObject { { QStringLiteral("address"), r.address }, { QStringLiteral("state"), r.state },
            { QStringLiteral("status"), r.status }, { QStringLiteral("diagnostic"), r.diagnostic },
            { QStringLiteral("attempts"), r.attempts }, { QStringLiteral("nextAttempt"), isoTime(r.nextAttempt) },
            { QStringLiteral("lastAttempt"), isoTime(r.lastAttempt) } });
    return { { QStringLiteral("queueId"), m.queueId }, { QStringLiteral("sender"), m.sender },
        { QStringLiteral("subject"), m.subject }, { QStringLiteral("size"), m.size },
        { QStringLiteral("received"), isoTime(m.received) }, { QStringLiteral("state"), m.state },
        { QStringLiteral("lastError"), m.lastError }, { QStringLiteral("nextAttempt"), isoTime(m.nextAttempt) },
        { QStringLiteral("recipients"), recipients } };
}

QJsonObject queueHistoryToJson(const store::QueueHistoryRow &h)
{
    return { { QStringLiteral("time"), isoTime(h.time) }, { QStringLiteral("recipient"), h.recipient },
        { QStringLiteral("text"), h.text } };
}

store::ListQuery listQuery(const QJsonObject &params)
{
    store::ListQuery q;
    q.domain = params.value(QStringLiteral("domain")).toString();
    q.filter = params.value(QStringLiteral("filter")).toString();
    q.offset = params.value(QStringLiteral("offset")).toInteger(0);
    q.limit = params.value(QStringLiteral("limit")).toInteger(100);
    if (q.offset < 0)
        raise(ErrorCode::InvalidArgument, QStringLiteral("offset cannot be negative."));
    if (q.limit < 1 || q.limit > kMaxPage)
        raise(ErrorCode::InvalidArgument, QStringLiteral("limit must be between 1 and %1.").arg(kMaxPage));
    return q;
}

} // namespace mailroom::admin::json
