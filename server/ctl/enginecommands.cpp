// mailroomctl status|settings|logs commands.
#include <csignal>

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>

#include "ctl/output.h"
#include "ctl/verbs.h"

namespace mailroom::ctl
{

namespace
{
QString duration(qint64 s)
{
    if (s >= 86400)
        return QStringLiteral("%1d %2h").arg(s / 86400).arg((s % 86400) / 3600);
    if (s >= 3600)
        return QStringLiteral("%1h %2m").arg(s / 3600).arg((s % 3600) / 60);
    return QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60);
}

QString logLine(const QJsonObject &o)
{
    return QStringLiteral("%1 %2 %3 %4: %5")
        .arg(o.value(QStringLiteral("time")).toString(), o.value(QStringLiteral("level")).toString().leftJustified(7),
            o.value(QStringLiteral("module")).toString(), o.value(QStringLiteral("event")).toString(),
            o.value(QStringLiteral("text")).toString());
}
} // namespace

void cmdStatus(CtlContext &ctx)
{
    const QJsonObject s = ctx.call(QStringLiteral("status.get"));
    if (ctx.json())
        return printJson(s);
    const QJsonObject counts = s.value(QStringLiteral("counts")).toObject();
    printLine(QStringLiteral("Mailroom %1 on %2, pid %3, up %4")
                  .arg(s.value(QStringLiteral("version")).toString(), s.value(QStringLiteral("hostname")).toString())
                  .arg(s.value(QStringLiteral("pid")).toInteger())
                  .arg(duration(s.value(QStringLiteral("uptimeSeconds")).toInteger())));
    printLine(QStringLiteral("Data folder: %1").arg(s.value(QStringLiteral("dataFolder")).toString()));
    printLine(QStringLiteral("Domains %1, users %2, aliases %3, messages %4")
                  .arg(counts.value(QStringLiteral("domains")).toInteger())
                  .arg(counts.value(QStringLiteral("users")).toInteger())
                  .arg(counts.value(QStringLiteral("aliases")).toInteger())
                  .arg(counts.value(QStringLiteral("messages")).toInteger()));
    printLine(QString());
    printTable(s.value(QStringLiteral("listeners")).toArray(),
        { QStringLiteral("service"), QStringLiteral("address"), QStringLiteral("port"), QStringLiteral("state"),
            QStringLiteral("detail") },
        { QStringLiteral("SERVICE"), QStringLiteral("ADDRESS"), QStringLiteral("PORT"), QStringLiteral("STATE"),
            QStringLiteral("DETAIL") });
}

void cmdSettingsGet(CtlContext &ctx)
{
    const QJsonObject s
        = ctx.call(QStringLiteral("settings.get"), { { QStringLiteral("name"), ctx.arg(0, "setting name") } });
    if (ctx.json())
        return printJson(s);
    printLine(QStringLiteral("%1 = %2  (%3; default %4)")
                  .arg(s.value(QStringLiteral("name")).toString(), s.value(QStringLiteral("value")).toString(),
                      s.value(QStringLiteral("source")).toString(), s.value(QStringLiteral("default")).toString()));
    printLine(s.value(QStringLiteral("doc")).toString());
}

void cmdSettingsSet(CtlContext &ctx)
{
    const QJsonObject r = ctx.call(QStringLiteral("settings.set"),
        { { QStringLiteral("name"), ctx.arg(0, "setting name") }, { QStringLiteral("value"), ctx.arg(1, "value") } });
    if (ctx.json())
        return printJson(r);
    printLine(QStringLiteral("%1 = %2").arg(
        r.value(QStringLiteral("name")).toString(), r.value(QStringLiteral("value")).toString()));
    if (r.value(QStringLiteral("restartRequired")).toBool())
        printLine(QStringLiteral("This setting takes effect when the engine is restarted."));
    if (r.contains(QStringLiteral("note")))
        printLine(r.value(QStringLiteral("note")).toString());
}

void cmdSettingsReset(CtlContext &ctx)
{
    const QJsonObject r
        = ctx.call(QStringLiteral("settings.reset"), { { QStringLiteral("name"), ctx.arg(0, "setting name") } });
    if (ctx.json())
        return printJson(r);
    printLine(QStringLiteral("%1 = %2").arg(
        r.value(QStringLiteral("name")).toString(), r.value(QStringLiteral("value")).toString()));
}

void cmdSettingsList(CtlContext &ctx)
{
    const QJsonArray rows = ctx.call(QStringLiteral("settings.list")).value(QStringLiteral("items")).toArray();
    if (ctx.json())
        return printJson(rows);
    printTable(rows, { QStringLiteral("name"), QStringLiteral("value"), QStringLiteral("source") },
        { QStringLiteral("SETTING"), QStringLiteral("VALUE"), QStringLiteral("SOURCE") });
}

void cmdLogs(CtlContext &ctx)
{
    QJsonObject filter;
    for (const QString &key : { QStringLiteral("level"), QStringLiteral("module") })
        if (ctx.has(key))
            filter.insert(key, ctx.option(key));
    const bool follow = ctx.has(QStringLiteral("follow"));
    QList<QJsonObject> early; // pushes that arrive while history loads
    bool historyDone = false;
    QString lastTime;
    QObject::connect(&ctx.client(), &adminclient::AdminClient::pushReceived, &ctx.client(),
        [&](const QString &event, const QJsonObject &data) {
            if (event != u"logs.line")
                return;
            if (ctx.has(QStringLiteral("text"))
                && !data.value(QStringLiteral("text"))
                        .toString()
                        .contains(ctx.option(QStringLiteral("text")), Qt::CaseInsensitive))
                return;
            if (!historyDone) {
                early << data;
                return;
            }
            ctx.json() ? printJson(data) : printLine(logLine(data));
            std::fflush(stdout);
        });
    if (follow)
        ctx.call(QStringLiteral("logs.subscribe"), filter);

    QJsonObject query = filter;
    if (ctx.has(QStringLiteral("text")))
        query.insert(QStringLiteral("text"), ctx.option(QStringLiteral("text")));
    bool ok = false;
    const qint64 limit = ctx.option(QStringLiteral("limit"), QStringLiteral("50")).toLongLong(&ok);
    if (!ok)
        throw CtlError { exitcode::Usage, QStringLiteral("--limit must be a whole number") };
    query.insert(QStringLiteral("limit"), limit);
    const QJsonArray newest = ctx.call(QStringLiteral("logs.query"), query).value(QStringLiteral("items")).toArray();
    QJsonArray items; // oldest first, like tail
    for (qsizetype i = newest.size() - 1; i >= 0; --i)
        items.append(newest.at(i));
    if (ctx.json() && !follow)
        return printJson(items);
    for (const QJsonValue &v : std::as_const(items)) {
        ctx.json() ? printJson(v) : printLine(logLine(v.toObject()));
        lastTime = v.toObject().value(QStringLiteral("time")).toString();
    }
    if (!follow)
        return;
    historyDone = true;
    for (const QJsonObject &data : std::as_const(early))
        if (data.value(QStringLiteral("time")).toString() > lastTime)
            ctx.json() ? printJson(data) : printLine(logLine(data));
    std::fflush(stdout);
    QEventLoop loop;
    QObject::connect(&ctx.client(), &adminclient::AdminClient::connectionFailed, &loop, [&](const QString &message) {
        printError(message);
        loop.exit(exitcode::Unavailable);
    });
    if (const int rc = loop.exec(); rc != 0)
        throw CtlError { rc, QStringLiteral("stopped following the log") };
}

} // namespace mailroom::ctl
