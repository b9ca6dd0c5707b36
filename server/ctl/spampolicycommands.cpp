// mailroomctl spam quarantine|list|allow|block|unlist|scores: the quarantine
// (list, show, release, delete, with --train to learn them on the way), the
// allow and block lists, and the score table.
// Trust level: local admins.
#include <QJsonArray>

#include "ctl/ctlcontext.h"
#include "ctl/output.h"
#include "ctl/verbs.h"

namespace mailroom::ctl
{

namespace
{
QString text(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

QJsonArray strings(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList ids(CtlContext &ctx, const char *what)
{
    if (ctx.args.isEmpty())
        throw CtlError { exitcode::Usage, QStringLiteral("Give the %1.").arg(QLatin1String(what)) };
    return ctx.args;
}

void settle(CtlContext &ctx, bool release)
{
    const QJsonObject r
        = ctx.call(release ? QStringLiteral("spam.quarantine.release") : QStringLiteral("spam.quarantine.delete"),
            { { QStringLiteral("queueIds"), strings(ids(ctx, "queue ids")) },
                { QStringLiteral("train"), ctx.has(QStringLiteral("train")) } });
    if (ctx.json())
        return printJson(r);
    const qint64 n = r.value(release ? QStringLiteral("released") : QStringLiteral("deleted")).toInteger();
    QString line = QStringLiteral("%1 %2 message(s)")
                       .arg(release ? QStringLiteral("released") : QStringLiteral("deleted"))
                       .arg(n);
    if (ctx.has(QStringLiteral("train")))
        line += QStringLiteral(", learned %1 as %2")
                    .arg(r.value(QStringLiteral("trained")).toInteger())
                    .arg(release ? QStringLiteral("ham") : QStringLiteral("spam"));
    printLine(line);
    const QJsonArray missing = r.value(QStringLiteral("missing")).toArray();
    for (const QJsonValue &m : missing)
        printError(QStringLiteral("%1 is not in quarantine").arg(m.toString()));
    if (!missing.isEmpty())
        throw CtlError { exitcode::Failed,
            QStringLiteral("%1 message(s) were not in quarantine; see mailroomctl spam quarantine list.")
                .arg(missing.size()) };
}

void addEntry(CtlContext &ctx, const QString &kind)
{
    const QJsonObject r = ctx.call(QStringLiteral("spam.lists.add"),
        { { QStringLiteral("scope"), ctx.option(QStringLiteral("scope"), QStringLiteral("global")) },
            { QStringLiteral("kind"), kind }, { QStringLiteral("pattern"), ctx.arg(0, "address, domain or network") },
            { QStringLiteral("note"), ctx.option(QStringLiteral("note")) } });
    if (ctx.json())
        return printJson(r);
    printLine(QStringLiteral("added %1 entry %2").arg(kind, text(r, "id")));
}
} // namespace

void cmdSpamQuarantineList(CtlContext &ctx)
{
    QJsonObject params;
    if (ctx.has(QStringLiteral("filter")))
        params.insert(QStringLiteral("filter"), ctx.option(QStringLiteral("filter")));
    QJsonArray rows = ctx.listAll(QStringLiteral("spam.quarantine.list"), params);
    if (ctx.json())
        return printJson(rows);
    if (rows.isEmpty())
        return printLine(QStringLiteral("The quarantine is empty."));
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QJsonObject o = rows.at(i).toObject();
        QStringList to;
        for (const QJsonValue &v : o.value(QStringLiteral("recipients")).toArray())
            to << v.toString();
        o.insert(QStringLiteral("to"), to.join(u','));
        o.insert(QStringLiteral("scoreText"), QString::number(o.value(QStringLiteral("score")).toDouble(), 'f', 1));
        rows[i] = o;
    }
    printTable(rows,
        { QStringLiteral("queueId"), QStringLiteral("received"), QStringLiteral("scoreText"), QStringLiteral("sender"),
            QStringLiteral("to"), QStringLiteral("subject") },
        { QStringLiteral("ID"), QStringLiteral("RECEIVED"), QStringLiteral("SCORE"), QStringLiteral("FROM"),
            QStringLiteral("TO"), QStringLiteral("SUBJECT") });
}

void cmdSpamQuarantineShow(CtlContext &ctx)
{
    const QJsonObject m
        = ctx.call(QStringLiteral("spam.quarantine.get"), { { QStringLiteral("queueId"), ctx.arg(0, "queue id") } });
    if (ctx.json())
        return printJson(m);
    printLine(QStringLiteral("Queue id:  %1").arg(text(m, "queueId")));
    printLine(QStringLiteral("Received:  %1 (expires %2)").arg(text(m, "received"), text(m, "expires")));
    printLine(QStringLiteral("Sender:    %1").arg(text(m, "sender")));
    printLine(QStringLiteral("From:      %1").arg(text(m, "from")));
    printLine(QStringLiteral("Subject:   %1").arg(text(m, "subject")));
    QStringList to;
    for (const QJsonValue &v : m.value(QStringLiteral("recipients")).toArray())
        to << v.toString();
    printLine(QStringLiteral("For:       %1").arg(to.join(QStringLiteral(", "))));
    printLine(QStringLiteral("Score:     %1").arg(m.value(QStringLiteral("score")).toDouble(), 0, 'f', 1));
    for (const QJsonValue &t : m.value(QStringLiteral("tags")).toArray())
        printLine(QStringLiteral("  %1 %2")
                      .arg(t.toObject().value(QStringLiteral("score")).toDouble(), 6, 'f', 1)
                      .arg(text(t.toObject(), "name")));
    printLine(QString());
    printLine(text(m, "text"));
}

void cmdSpamQuarantineRelease(CtlContext &ctx)
{
    settle(ctx, true);
}

void cmdSpamQuarantineDelete(CtlContext &ctx)
{
    settle(ctx, false);
}

void cmdSpamListShow(CtlContext &ctx)
{
    QJsonObject params;
    for (const char *o : { "scope", "kind", "filter" })
        if (ctx.has(QLatin1String(o)))
            params.insert(QLatin1String(o), ctx.option(QLatin1String(o)));
    const QJsonArray rows = ctx.listAll(QStringLiteral("spam.lists.list"), params);
    if (ctx.json())
        return printJson(rows);
    if (rows.isEmpty())
        return printLine(QStringLiteral("No allow or block entries."));
    printTable(rows,
        { QStringLiteral("id"), QStringLiteral("scope"), QStringLiteral("kind"), QStringLiteral("pattern"),
            QStringLiteral("hits"), QStringLiteral("note") },
        { QStringLiteral("ID"), QStringLiteral("SCOPE"), QStringLiteral("KIND"), QStringLiteral("PATTERN"),
            QStringLiteral("HITS"), QStringLiteral("NOTE") });
}

void cmdSpamAllow(CtlContext &ctx)
{
    addEntry(ctx, QStringLiteral("allow"));
}

void cmdSpamBlock(CtlContext &ctx)
{
    addEntry(ctx, QStringLiteral("block"));
}

void cmdSpamUnlist(CtlContext &ctx)
{
    const QJsonObject r
        = ctx.call(QStringLiteral("spam.lists.remove"), { { QStringLiteral("ids"), strings(ids(ctx, "entry ids")) } });
    if (ctx.json())
        return printJson(r);
    printLine(QStringLiteral("removed %1 entries").arg(r.value(QStringLiteral("removed")).toInteger()));
}

void cmdSpamScoresList(CtlContext &ctx)
{
    QJsonArray rows = ctx.call(QStringLiteral("spam.scores.list")).value(QStringLiteral("items")).toArray();
    const QString filter = ctx.option(QStringLiteral("filter")).toUpper();
    QJsonArray shown;
    for (const QJsonValue &v : std::as_const(rows)) {
        QJsonObject o = v.toObject();
        if (!filter.isEmpty() && !text(o, "tag").contains(filter))
            continue;
        o.insert(QStringLiteral("points"), QString::number(o.value(QStringLiteral("score")).toDouble(), 'f', 2));
        o.insert(QStringLiteral("changed"),
            o.value(QStringLiteral("overridden")).toBool()
                ? QStringLiteral("was %1").arg(o.value(QStringLiteral("fileScore")).toDouble(), 0, 'f', 2)
                : QString());
        shown.append(o);
    }
    if (ctx.json())
        return printJson(shown);
    printTable(shown,
        { QStringLiteral("tag"), QStringLiteral("points"), QStringLiteral("changed"), QStringLiteral("description") },
        { QStringLiteral("TAG"), QStringLiteral("POINTS"), QStringLiteral("CHANGED"), QStringLiteral("DESCRIPTION") });
}

void cmdSpamScoresSet(CtlContext &ctx)
{
    ctx.call(
        QStringLiteral("spam.scores.set"), { { QStringLiteral("scores"), strings(ids(ctx, "TAG=POINTS entries")) } });
    if (!ctx.json())
        printLine(QStringLiteral("changed %1 score(s)").arg(ctx.args.size()));
}

void cmdSpamScoresReset(CtlContext &ctx)
{
    ctx.call(QStringLiteral("spam.scores.reset"), { { QStringLiteral("tags"), strings(ids(ctx, "tags")) } });
    if (!ctx.json())
        printLine(QStringLiteral("reset %1 score(s) to the rule files'").arg(ctx.args.size()));
}

} // namespace mailroom::ctl
