// mailroomctl domain|user|alias commands.
#include <QJsonArray>

#include "ctl/output.h"
#include "ctl/password.h"
#include "ctl/verbs.h"

namespace mailroom::ctl
{

namespace
{
void done(CtlContext &ctx, const QJsonObject &result, const QString &text)
{
    if (ctx.json())
        printJson(result);
    else
        printLine(text);
}

qint64 number(const QString &text, const char *what)
{
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok)
        throw CtlError { exitcode::Usage, QStringLiteral("%1 must be a whole number").arg(QLatin1String(what)) };
    return v;
}
} // namespace

void cmdDomainAdd(CtlContext &ctx)
{
    const QString name = ctx.arg(0, "domain name");
    const auto r = ctx.call(QStringLiteral("domains.add"),
        { { QStringLiteral("name"), name },
            { QStringLiteral("description"), ctx.option(QStringLiteral("description")) } });
    done(ctx, r,
        QStringLiteral("domain %1 added")
            .arg(r.value(QStringLiteral("domain")).toObject().value(QStringLiteral("name")).toString()));
}

void cmdDomainRemove(CtlContext &ctx)
{
    const QString name = ctx.arg(0, "domain name");
    const auto r = ctx.call(QStringLiteral("domains.remove"),
        { { QStringLiteral("name"), name }, { QStringLiteral("force"), ctx.has(QStringLiteral("force")) } });
    done(ctx, r, QStringLiteral("domain %1 removed").arg(name));
}

void cmdDomainList(CtlContext &ctx)
{
    QJsonObject params;
    if (ctx.has(QStringLiteral("filter")))
        params.insert(QStringLiteral("filter"), ctx.option(QStringLiteral("filter")));
    const QJsonArray rows = ctx.listAll(QStringLiteral("domains.list"), params);
    if (ctx.json())
        return printJson(rows);
    printTable(rows,
        { QStringLiteral("name"), QStringLiteral("users"), QStringLiteral("aliases"), QStringLiteral("catchAll"),
            QStringLiteral("description") },
        { QStringLiteral("DOMAIN"), QStringLiteral("USERS"), QStringLiteral("ALIASES"), QStringLiteral("CATCH-ALL"),
            QStringLiteral("DESCRIPTION") });
}

void cmdUserAdd(CtlContext &ctx)
{
    const QString address = ctx.arg(0, "user address");
    QJsonObject params { { QStringLiteral("address"), address } };
    if (ctx.has(QStringLiteral("name")))
        params.insert(QStringLiteral("displayName"), ctx.option(QStringLiteral("name")));
    if (ctx.has(QStringLiteral("quota")))
        params.insert(QStringLiteral("quotaMb"), number(ctx.option(QStringLiteral("quota")), "--quota"));
    params.insert(QStringLiteral("password"), readPassword(QStringLiteral("Password for %1").arg(address)));
    const auto r = ctx.call(QStringLiteral("users.add"), params);
    done(ctx, r,
        QStringLiteral("user %1 added")
            .arg(r.value(QStringLiteral("user")).toObject().value(QStringLiteral("address")).toString()));
}

void cmdUserRemove(CtlContext &ctx)
{
    const QString address = ctx.arg(0, "user address");
    done(ctx, ctx.call(QStringLiteral("users.remove"), { { QStringLiteral("address"), address } }),
        QStringLiteral("user %1 removed").arg(address));
}

void cmdUserList(CtlContext &ctx)
{
    QJsonObject params;
    for (const QString &key : { QStringLiteral("domain"), QStringLiteral("filter") })
        if (ctx.has(key))
            params.insert(key, ctx.option(key));
    QJsonArray rows = ctx.listAll(QStringLiteral("users.list"), params);
    if (ctx.json())
        return printJson(rows);
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QJsonObject o = rows.at(i).toObject();
        const qint64 q = o.value(QStringLiteral("quotaBytes")).toInteger();
        o.insert(QStringLiteral("quota"),
            q == 0 ? QStringLiteral("unlimited") : QStringLiteral("%1 MiB").arg(q / (1024 * 1024)));
        o.insert(QStringLiteral("used"),
            QStringLiteral("%1 MiB").arg(o.value(QStringLiteral("usedBytes")).toInteger() / (1024 * 1024)));
        rows[i] = o;
    }
    printTable(rows,
        { QStringLiteral("address"), QStringLiteral("displayName"), QStringLiteral("quota"), QStringLiteral("used"),
            QStringLiteral("enabled") },
        { QStringLiteral("ADDRESS"), QStringLiteral("NAME"), QStringLiteral("QUOTA"), QStringLiteral("USED"),
            QStringLiteral("ENABLED") });
}

void cmdUserPasswd(CtlContext &ctx)
{
    const QString address = ctx.arg(0, "user address");
    const QString pw = readPassword(QStringLiteral("New password for %1").arg(address));
    done(ctx,
        ctx.call(QStringLiteral("users.passwd"),
            { { QStringLiteral("address"), address }, { QStringLiteral("password"), pw } }),
        QStringLiteral("password of %1 changed").arg(address));
}

void cmdUserQuota(CtlContext &ctx)
{
    const QString address = ctx.arg(0, "user address");
    const qint64 mb = number(ctx.arg(1, "quota in MiB"), "the quota");
    done(ctx,
        ctx.call(QStringLiteral("users.quota"),
            { { QStringLiteral("address"), address }, { QStringLiteral("quotaMb"), mb } }),
        mb == 0 ? QStringLiteral("%1 has no quota now").arg(address)
                : QStringLiteral("quota of %1 set to %2 MiB").arg(address).arg(mb));
}

void cmdUserEnable(CtlContext &ctx)
{
    const QString address = ctx.arg(0, "user address");
    done(ctx,
        ctx.call(QStringLiteral("users.update"),
            { { QStringLiteral("address"), address }, { QStringLiteral("enabled"), true } }),
        QStringLiteral("%1 enabled").arg(address));
}

void cmdUserDisable(CtlContext &ctx)
{
    const QString address = ctx.arg(0, "user address");
    done(ctx,
        ctx.call(QStringLiteral("users.update"),
            { { QStringLiteral("address"), address }, { QStringLiteral("enabled"), false } }),
        QStringLiteral("%1 disabled").arg(address));
}

void cmdAliasAdd(CtlContext &ctx)
{
    const QString address = ctx.arg(0, "alias address");
    ctx.arg(1, "at least one target");
    const QStringList targets = ctx.args.mid(1);
    const auto r = ctx.call(QStringLiteral("aliases.add"),
        { { QStringLiteral("address"), address }, { QStringLiteral("targets"), QJsonArray::fromStringList(targets) } });
    done(ctx, r, QStringLiteral("alias %1 -> %2 added").arg(address, targets.join(QStringLiteral(", "))));
}

void cmdAliasRemove(CtlContext &ctx)
{
    const QString address = ctx.arg(0, "alias address");
    done(ctx, ctx.call(QStringLiteral("aliases.remove"), { { QStringLiteral("address"), address } }),
        QStringLiteral("alias %1 removed").arg(address));
}

void cmdAliasList(CtlContext &ctx)
{
    QJsonObject params;
    for (const QString &key : { QStringLiteral("domain"), QStringLiteral("filter") })
        if (ctx.has(key))
            params.insert(key, ctx.option(key));
    const QJsonArray rows = ctx.listAll(QStringLiteral("aliases.list"), params);
    if (ctx.json())
        return printJson(rows);
    printTable(rows, { QStringLiteral("address"), QStringLiteral("kind"), QStringLiteral("targets") },
        { QStringLiteral("ALIAS"), QStringLiteral("KIND"), QStringLiteral("TARGETS") });
}

} // namespace mailroom::ctl
