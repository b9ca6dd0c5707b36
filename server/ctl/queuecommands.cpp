// mailroomctl queue commands: list, show, and the admin's actions on queued
// messages (retry, hold, release, delete, bounce, flush). Trust level: local
// admins; everything goes through the engine's admin socket.
#include <QDateTime>
#include <QJsonArray>

#include "ctl/output.h"
#include "ctl/verbs.h"

namespace mailroom::ctl
{

namespace
{
constexpr qsizetype kIdsPerRequest = 10000;

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

QString age(const QString &iso)
{
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid())
        return {};
    const qint64 s = std::max<qint64>(0, t.secsTo(QDateTime::currentDateTimeUtc()));
    if (s >= 86400)
        return QStringLiteral("%1d %2h").arg(s / 86400).arg((s % 86400) / 3600);
    if (s >= 3600)
        return QStringLiteral("%1h %2m").arg(s / 3600).arg((s % 3600) / 60);
    return QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60);
}

QString size(qint64 bytes)
{
    if (bytes >= 1024 * 1024)
        return QStringLiteral("%1M").arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
    if (bytes >= 1024)
        return QStringLiteral("%1K").arg(double(bytes) / 1024, 0, 'f', 1);
    return QString::number(bytes);
}

QString recipients(const QJsonObject &m)
{
    QStringList out;
    for (const QJsonValue &r : m.value(QStringLiteral("recipients")).toArray())
        out << str(r.toObject(), "address");
    return out.join(QStringLiteral(", "));
}

QString plural(int n)
{
    return n == 1 ? QStringLiteral("message") : QStringLiteral("messages");
}

QString when(const QString &iso)
{
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QStringLiteral("-");
}

// Sends the ids in batches; prints what changed and names ids not queued.
void act(CtlContext &ctx, const QString &method, const QString &pastTense)
{
    ctx.arg(0, "queue id");
    int changed = 0;
    QJsonArray missing;
    for (qsizetype i = 0; i < ctx.args.size(); i += kIdsPerRequest) {
        const QJsonObject r = ctx.call(
            method, { { QStringLiteral("queueIds"), QJsonArray::fromStringList(ctx.args.mid(i, kIdsPerRequest)) } });
        changed += r.value(QStringLiteral("changed")).toInt();
        for (const QJsonValue &m : r.value(QStringLiteral("missing")).toArray())
            missing.append(m);
    }
    if (ctx.json())
        printJson(QJsonObject { { QStringLiteral("changed"), changed }, { QStringLiteral("missing"), missing } });
    else
        printLine(QStringLiteral("%1 %2 %3").arg(QString::number(changed), plural(changed), pastTense));
    if (missing.isEmpty())
        return;
    QStringList ids;
    for (const QJsonValue &m : std::as_const(missing))
        ids << m.toString();
    throw CtlError { exitcode::Failed,
        QStringLiteral("no queued message %1; it may have been delivered already (see `mailroomctl queue list`)")
            .arg(ids.join(QStringLiteral(", "))) };
}
} // namespace

void cmdQueueList(CtlContext &ctx)
{
    QJsonObject params;
    if (ctx.has(QStringLiteral("state")))
        params.insert(QStringLiteral("state"), ctx.option(QStringLiteral("state")));
    if (ctx.has(QStringLiteral("filter")))
        params.insert(QStringLiteral("filter"), ctx.option(QStringLiteral("filter")));
    QJsonArray rows;
    if (ctx.has(QStringLiteral("limit"))) {
        bool ok = false;
        const qint64 limit = ctx.option(QStringLiteral("limit")).toLongLong(&ok);
        if (!ok || limit < 1)
            throw CtlError { exitcode::Usage, QStringLiteral("--limit must be a whole number above 0") };
        params.insert(QStringLiteral("limit"), limit);
        rows = ctx.call(QStringLiteral("queue.list"), params).value(QStringLiteral("items")).toArray();
    } else {
        rows = ctx.listAll(QStringLiteral("queue.list"), params);
    }
    if (ctx.json())
        return printJson(rows);
    if (rows.isEmpty())
        return printLine(QStringLiteral("The queue is empty."));
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QJsonObject o = rows.at(i).toObject();
        o.insert(QStringLiteral("to"), recipients(o));
        o.insert(QStringLiteral("sizeText"), size(o.value(QStringLiteral("size")).toInteger()));
        o.insert(QStringLiteral("age"), age(str(o, "received")));
        o.insert(QStringLiteral("from"), str(o, "sender").isEmpty() ? QStringLiteral("<>") : str(o, "sender"));
        rows[i] = o;
    }
    printTable(rows,
        { QStringLiteral("queueId"), QStringLiteral("state"), QStringLiteral("from"), QStringLiteral("to"),
            QStringLiteral("sizeText"), QStringLiteral("age"), QStringLiteral("lastError") },
        { QStringLiteral("ID"), QStringLiteral("STATE"), QStringLiteral("FROM"), QStringLiteral("TO"),
            QStringLiteral("SIZE"), QStringLiteral("AGE"), QStringLiteral("LAST ERROR") });
}

void cmdQueueShow(CtlContext &ctx)
{
    const QJsonObject m
        = ctx.call(QStringLiteral("queue.show"), { { QStringLiteral("queueId"), ctx.arg(0, "queue id") } });
    if (ctx.json())
        return printJson(m);
    printLine(QStringLiteral("Queue id:     %1").arg(str(m, "queueId")));
    printLine(QStringLiteral("State:        %1").arg(str(m, "state")));
    printLine(QStringLiteral("From:         <%1>").arg(str(m, "sender")));
    printLine(QStringLiteral("Subject:      %1").arg(str(m, "subject")));
    printLine(QStringLiteral("Size:         %1 bytes").arg(m.value(QStringLiteral("size")).toInteger()));
    printLine(QStringLiteral("Received:     %1 (%2 ago)").arg(when(str(m, "received")), age(str(m, "received"))));
    printLine(QStringLiteral("Next attempt: %1").arg(when(str(m, "nextAttempt"))));
    printLine(QString());
    printLine(QStringLiteral("Recipients:"));
    for (const QJsonValue &v : m.value(QStringLiteral("recipients")).toArray()) {
        const QJsonObject r = v.toObject();
        printLine(QStringLiteral("  %1  %2  %3  attempts %4, last %5, next %6")
                      .arg(str(r, "address"), str(r, "state"),
                          str(r, "status").isEmpty() ? QStringLiteral("-") : str(r, "status"))
                      .arg(r.value(QStringLiteral("attempts")).toInt())
                      .arg(when(str(r, "lastAttempt")), when(str(r, "nextAttempt"))));
        if (!str(r, "diagnostic").isEmpty())
            printLine(QStringLiteral("      %1").arg(str(r, "diagnostic")));
    }
    printLine(QString());
    printLine(QStringLiteral("History:"));
    for (const QJsonValue &v : m.value(QStringLiteral("history")).toArray()) {
        const QJsonObject h = v.toObject();
        printLine(QStringLiteral("  %1  %2%3")
                      .arg(when(str(h, "time")),
                          str(h, "recipient").isEmpty() ? QString() : QStringLiteral("<%1> ").arg(str(h, "recipient")),
                          str(h, "text")));
    }
}

void cmdQueueRetry(CtlContext &ctx)
{
    act(ctx, QStringLiteral("queue.retry"), QStringLiteral("will be tried again now"));
}

void cmdQueueHold(CtlContext &ctx)
{
    act(ctx, QStringLiteral("queue.hold"), QStringLiteral("held"));
}

void cmdQueueRelease(CtlContext &ctx)
{
    act(ctx, QStringLiteral("queue.release"), QStringLiteral("released"));
}

void cmdQueueDelete(CtlContext &ctx)
{
    act(ctx, QStringLiteral("queue.delete"), QStringLiteral("deleted"));
}

void cmdQueueBounce(CtlContext &ctx)
{
    act(ctx, QStringLiteral("queue.bounce"), QStringLiteral("returned to the sender"));
}

void cmdQueueFlush(CtlContext &ctx)
{
    const QJsonObject r = ctx.call(QStringLiteral("queue.flush"));
    if (ctx.json())
        return printJson(r);
    const int n = r.value(QStringLiteral("changed")).toInt();
    printLine(QStringLiteral("%1 %2 will be tried again now").arg(QString::number(n), plural(n)));
}

} // namespace mailroom::ctl
