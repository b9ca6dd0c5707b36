// mailroomctl mailbox and message commands: a user's mailboxes with counts
// and quota, the messages of one mailbox (newest first, paged) and one
// message as readable text. Read only. Trust level: local admins; the
// messages shown came from the Internet, so control characters are dropped
// before they reach the terminal.
#include <QDateTime>
#include <QJsonArray>

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

QString size(qint64 bytes)
{
    if (bytes >= 1024 * 1024)
        return QStringLiteral("%1M").arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
    if (bytes >= 1024)
        return QStringLiteral("%1K").arg(double(bytes) / 1024, 0, 'f', 1);
    return QString::number(bytes);
}

QString when(const QString &iso)
{
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QStringLiteral("-");
}

// Text from a message for a terminal: no escape sequences or other controls.
QString printable(QString text, bool keepLines)
{
    for (QChar &c : text)
        if (c.category() == QChar::Other_Control && !(keepLines && (c == u'\n' || c == u'\t')))
            c = u' ';
    return text;
}

qint64 number(CtlContext &ctx, const char *option, qint64 fallback, qint64 min)
{
    if (!ctx.has(QLatin1String(option)))
        return fallback;
    bool ok = false;
    const qint64 n = ctx.option(QLatin1String(option)).toLongLong(&ok);
    if (!ok || n < min)
        throw CtlError { exitcode::Usage,
            QStringLiteral("--%1 must be a whole number of at least %2").arg(QLatin1String(option)).arg(min) };
    return n;
}

QString flagsText(const QJsonObject &m)
{
    QStringList out;
    for (const QJsonValue &f : m.value(QStringLiteral("flags")).toArray())
        out << f.toString();
    return out.join(u' ');
}
} // namespace

void cmdMailboxList(CtlContext &ctx)
{
    const QJsonObject r
        = ctx.call(QStringLiteral("mailboxes.list"), { { QStringLiteral("user"), ctx.arg(0, "user") } });
    if (ctx.json())
        return printJson(r);
    QJsonArray rows = r.value(QStringLiteral("items")).toArray();
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QJsonObject o = rows.at(i).toObject();
        o.insert(QStringLiteral("sizeText"), size(o.value(QStringLiteral("bytes")).toInteger()));
        rows[i] = o;
    }
    printTable(rows,
        { QStringLiteral("name"), QStringLiteral("messages"), QStringLiteral("unseen"), QStringLiteral("sizeText"),
            QStringLiteral("specialUse") },
        { QStringLiteral("MAILBOX"), QStringLiteral("MESSAGES"), QStringLiteral("UNREAD"), QStringLiteral("SIZE"),
            QStringLiteral("SPECIAL") });
    const QJsonObject q = r.value(QStringLiteral("quota")).toObject();
    const qint64 used = q.value(QStringLiteral("usedBytes")).toInteger();
    const qint64 limit = q.value(QStringLiteral("limitBytes")).toInteger();
    printLine(QString());
    if (limit <= 0)
        printLine(QStringLiteral("Quota: %1 used, no limit").arg(size(used)));
    else
        printLine(QStringLiteral("Quota: %1 of %2 used (%3%)")
                      .arg(size(used), size(limit))
                      .arg(double(used) * 100 / double(limit), 0, 'f', 1));
}

void cmdMessageList(CtlContext &ctx)
{
    QJsonObject params { { QStringLiteral("user"), ctx.arg(0, "user") },
        { QStringLiteral("mailbox"), ctx.arg(1, "mailbox") } };
    QJsonArray rows;
    if (ctx.has(QStringLiteral("offset")) || ctx.has(QStringLiteral("limit"))) {
        params.insert(QStringLiteral("offset"), number(ctx, "offset", 0, 0));
        params.insert(QStringLiteral("limit"), number(ctx, "limit", 100, 1));
        rows = ctx.call(QStringLiteral("messages.list"), params).value(QStringLiteral("items")).toArray();
    } else {
        rows = ctx.listAll(QStringLiteral("messages.list"), params);
    }
    if (ctx.json())
        return printJson(rows);
    if (rows.isEmpty())
        return printLine(QStringLiteral("No messages."));
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QJsonObject o = rows.at(i).toObject();
        o.insert(QStringLiteral("when"), when(str(o, "date")));
        o.insert(QStringLiteral("sizeText"), size(o.value(QStringLiteral("size")).toInteger()));
        o.insert(QStringLiteral("flagText"), flagsText(o));
        o.insert(QStringLiteral("from"), printable(str(o, "from"), false).left(40));
        o.insert(QStringLiteral("subject"), printable(str(o, "subject"), false));
        rows[i] = o;
    }
    printTable(rows,
        { QStringLiteral("uid"), QStringLiteral("when"), QStringLiteral("from"), QStringLiteral("sizeText"),
            QStringLiteral("flagText"), QStringLiteral("subject") },
        { QStringLiteral("UID"), QStringLiteral("DATE"), QStringLiteral("FROM"), QStringLiteral("SIZE"),
            QStringLiteral("FLAGS"), QStringLiteral("SUBJECT") });
}

void cmdMessageShow(CtlContext &ctx)
{
    const QString uidText = ctx.arg(2, "UID");
    bool ok = false;
    const qint64 uid = uidText.toLongLong(&ok);
    if (!ok || uid < 1)
        throw CtlError { exitcode::Usage,
            QStringLiteral("UID must be a whole number above 0, as `mailroomctl message list` shows it") };
    const QJsonObject m = ctx.call(QStringLiteral("messages.get"),
        { { QStringLiteral("user"), ctx.arg(0, "user") }, { QStringLiteral("mailbox"), ctx.arg(1, "mailbox") },
            { QStringLiteral("uid"), uid } });
    if (ctx.json())
        return printJson(m);
    static const QStringList kMain { QStringLiteral("date"), QStringLiteral("from"), QStringLiteral("to"),
        QStringLiteral("cc"), QStringLiteral("subject"), QStringLiteral("message-id") };
    const bool all = ctx.has(QStringLiteral("all-headers"));
    for (const QJsonValue &h : m.value(QStringLiteral("headers")).toArray()) {
        const QString name = h.toArray().at(0).toString();
        if (all || kMain.contains(name.toLower()))
            printLine(printable(name, false) + QStringLiteral(": ") + printable(h.toArray().at(1).toString(), false));
    }
    printLine(
        QStringLiteral("X-Mailroom-Info: UID %1, %2 bytes, received %3%4")
            .arg(m.value(QStringLiteral("uid")).toInteger())
            .arg(m.value(QStringLiteral("size")).toInteger())
            .arg(when(str(m, "date")), flagsText(m).isEmpty() ? QString() : QStringLiteral(", flags ") + flagsText(m)));
    printLine(QString());
    printLine(printable(str(m, "text"), true));
    if (m.value(QStringLiteral("textTruncated")).toBool())
        printLine(QStringLiteral("[the text goes on; only the first 256 KiB are shown]"));
    const QJsonArray attachments = m.value(QStringLiteral("attachments")).toArray();
    if (attachments.isEmpty())
        return;
    printLine(QString());
    printLine(QStringLiteral("Attachments:"));
    for (const QJsonValue &v : attachments) {
        const QJsonObject a = v.toObject();
        printLine(QStringLiteral("  %1  (%2, %3)")
                      .arg(str(a, "name").isEmpty() ? QStringLiteral("(no name)") : printable(str(a, "name"), false),
                          str(a, "type"), size(a.value(QStringLiteral("size")).toInteger())));
    }
}

} // namespace mailroom::ctl
