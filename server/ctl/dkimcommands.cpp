// mailroomctl dkim commands: list a domain's DKIM keys with the TXT records
// to publish, make a key, check that DNS publishes it, activate it, delete
// it (RFC 6376 §3.6). Trust level: local admins; the private keys never leave
// the engine.
#include <QJsonArray>

#include "ctl/ctlcontext.h"
#include "ctl/output.h"
#include "ctl/verbs.h"

namespace mailroom::ctl
{

namespace
{
QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

// The record as a zone file line: strings of at most 255 octets each
// (RFC 1035 §3.3.14); DNS joins them again for DKIM (RFC 6376 §3.6.2.2).
QString zoneLine(const QJsonObject &key)
{
    const QString record = str(key, "record");
    QStringList parts;
    for (qsizetype i = 0; i < record.size(); i += 255)
        parts << QLatin1Char('"') + record.mid(i, 255) + QLatin1Char('"');
    const QString value
        = parts.size() > 1 ? QStringLiteral("( ") + parts.join(u' ') + QStringLiteral(" )") : parts.value(0);
    return str(key, "recordName") + QStringLiteral(". IN TXT ") + value;
}

QJsonObject keyParams(CtlContext &ctx)
{
    return { { QStringLiteral("domain"), ctx.arg(0, "domain") },
        { QStringLiteral("selector"), ctx.arg(1, "selector") } };
}
} // namespace

void cmdDkimList(CtlContext &ctx)
{
    QJsonObject params;
    if (!ctx.args.isEmpty())
        params.insert(QStringLiteral("domain"), ctx.args.first());
    const QJsonArray keys = ctx.call(QStringLiteral("dkim.list"), params).value(QStringLiteral("items")).toArray();
    if (ctx.json())
        return printJson(keys);
    if (keys.isEmpty()) {
        printLine(QStringLiteral("no DKIM keys; make one with: mailroomctl dkim create DOMAIN"));
        return;
    }
    printTable(keys,
        { QStringLiteral("domain"), QStringLiteral("selector"), QStringLiteral("algorithm"), QStringLiteral("state"),
            QStringLiteral("created"), QStringLiteral("activated") },
        { QStringLiteral("DOMAIN"), QStringLiteral("SELECTOR"), QStringLiteral("ALGORITHM"), QStringLiteral("STATE"),
            QStringLiteral("CREATED"), QStringLiteral("ACTIVATED") });
    printLine(QString());
    printLine(QStringLiteral("TXT records to publish:"));
    for (const QJsonValue &k : keys)
        if (str(k.toObject(), "state") != u"retired")
            printLine(zoneLine(k.toObject()));
}

void cmdDkimCreate(CtlContext &ctx)
{
    if (ctx.has(QStringLiteral("rsa")) && ctx.has(QStringLiteral("ed25519")))
        throw CtlError { exitcode::Usage, QStringLiteral("Give --rsa or --ed25519, not both.") };
    QJsonObject params { { QStringLiteral("domain"), ctx.arg(0, "domain") },
        { QStringLiteral("algorithm"),
            ctx.has(QStringLiteral("ed25519")) ? QStringLiteral("ed25519") : QStringLiteral("rsa") } };
    if (ctx.has(QStringLiteral("selector")))
        params.insert(QStringLiteral("selector"), ctx.option(QStringLiteral("selector")));
    const QJsonObject key = ctx.call(QStringLiteral("dkim.create"), params);
    if (ctx.json())
        return printJson(key);
    printLine(QStringLiteral("DKIM key %1 (%2) made for %3; it signs nothing until it is activated.")
                  .arg(str(key, "selector"), str(key, "algorithm"), str(key, "domain")));
    printLine(QStringLiteral("Publish this TXT record:"));
    printLine(zoneLine(key));
    printLine(
        QStringLiteral("then run: mailroomctl dkim activate %1 %2").arg(str(key, "domain"), str(key, "selector")));
}

void cmdDkimCheck(CtlContext &ctx)
{
    const QJsonObject c = ctx.call(QStringLiteral("dkim.check"), keyParams(ctx));
    if (ctx.json())
        return printJson(c);
    printLine(QStringLiteral("name:      ") + str(c, "recordName"));
    printLine(QStringLiteral("published: ")
        + (c.value(QStringLiteral("published")).toBool() ? QStringLiteral("yes") : QStringLiteral("no")));
    printLine(QStringLiteral("matches:   ")
        + (c.value(QStringLiteral("matches")).toBool() ? QStringLiteral("yes") : QStringLiteral("no")));
    for (const QJsonValue &f : c.value(QStringLiteral("found")).toArray())
        printLine(QStringLiteral("found:     ") + f.toString());
    printLine(str(c, "detail"));
    if (!c.value(QStringLiteral("matches")).toBool())
        throw CtlError { exitcode::Failed, QStringLiteral("the key's record is not published yet") };
}

void cmdDkimActivate(CtlContext &ctx)
{
    QJsonObject params = keyParams(ctx);
    if (ctx.has(QStringLiteral("force")))
        params.insert(QStringLiteral("force"), true);
    const QJsonObject key = ctx.call(QStringLiteral("dkim.activate"), params);
    if (ctx.json())
        return printJson(key);
    printLine(QStringLiteral("DKIM key %1 (%2) signs mail from %3 now")
                  .arg(str(key, "selector"), str(key, "algorithm"), str(key, "domain"))
        + (str(key, "retiredSelector").isEmpty()
                ? QString()
                : QStringLiteral("; %1 is retired (keep its record published until the engine deletes the key, "
                                 "dkim.retired_keep_days after now)")
                      .arg(str(key, "retiredSelector"))));
}

void cmdDkimDelete(CtlContext &ctx)
{
    QJsonObject params = keyParams(ctx);
    if (ctx.has(QStringLiteral("force")))
        params.insert(QStringLiteral("force"), true);
    const QJsonObject r = ctx.call(QStringLiteral("dkim.delete"), params);
    if (ctx.json())
        return printJson(r);
    printLine(QStringLiteral("DKIM key %1 of %2 deleted; remove its TXT record from DNS too")
                  .arg(params.value(QStringLiteral("selector")).toString(),
                      params.value(QStringLiteral("domain")).toString()));
}

} // namespace mailroom::ctl
