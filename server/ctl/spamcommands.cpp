// mailroomctl spam commands: how much the filter has learned, score message
// files (one line each: the file, its score, its verdict, its tags and the
// Bayes spam probability),
// and train files as spam or ham. Files go to the engine in parts of at
// most 1,000 messages or 4 MiB, so thousands of files take one call each way.
// Trust level: local admins; the files are messages from anywhere.
#include <cstdio>

#include <QFile>
#include <QJsonArray>

#include "ctl/ctlcontext.h"
#include "ctl/output.h"
#include "ctl/verbs.h"

namespace mailroom::ctl
{

namespace
{
constexpr qsizetype kBatchMessages = 1000;
constexpr qsizetype kBatchBytes = 4 * 1024 * 1024;
constexpr qint64 kMaxMessageBytes = 64 * 1024 * 1024;

QByteArray readMessage(const QString &path)
{
    QFile f;
    const bool ok
        = path == u"-" ? f.open(stdin, QIODevice::ReadOnly) : (f.setFileName(path), f.open(QIODevice::ReadOnly));
    if (!ok)
        throw CtlError { exitcode::Failed, QStringLiteral("Cannot read %1: %2.").arg(path, f.errorString()) };
    // In pieces: read(limit) would reserve the whole limit for every file.
    QByteArray data;
    while (data.size() <= kMaxMessageBytes) {
        const QByteArray piece = f.read(256 * 1024);
        if (piece.isEmpty())
            break;
        data += piece;
    }
    if (data.size() > kMaxMessageBytes)
        throw CtlError { exitcode::Failed,
            QStringLiteral("%1 is larger than 64 MiB; that is not a message.").arg(path) };
    return data;
}

QStringList files(CtlContext &ctx, const char *what)
{
    if (ctx.args.isEmpty())
        throw CtlError { exitcode::Usage,
            QStringLiteral("Give the %1 (- reads one message from stdin).").arg(QLatin1String(what)) };
    return ctx.args;
}

// Calls method once per part of the files, with the messages in base64;
// each answer goes to done with the files it covered.
template<typename Done>
void inParts(CtlContext &ctx, const QStringList &paths, const QString &method, QJsonObject params, Done done)
{
    QStringList part;
    QJsonArray messages;
    qsizetype bytes = 0;
    auto flush = [&] {
        if (part.isEmpty())
            return;
        params.insert(QStringLiteral("messages"), messages);
        done(part, ctx.call(method, params));
        part.clear();
        messages = QJsonArray();
        bytes = 0;
    };
    for (const QString &path : paths) {
        const QByteArray b64 = readMessage(path).toBase64();
        if (!part.isEmpty() && (part.size() >= kBatchMessages || bytes + b64.size() > kBatchBytes))
            flush();
        part << path;
        messages.append(QString::fromLatin1(b64));
        bytes += b64.size();
    }
    flush();
}
} // namespace

void cmdSpamStatus(CtlContext &ctx)
{
    QJsonObject params;
    if (ctx.has(QStringLiteral("user")))
        params.insert(QStringLiteral("user"), ctx.option(QStringLiteral("user")));
    const QJsonObject s = ctx.call(QStringLiteral("spam.status"), params);
    if (ctx.json())
        return printJson(s);
    printLine(QStringLiteral("trained spam: %1").arg(s.value(QStringLiteral("spam")).toInteger()));
    printLine(QStringLiteral("trained ham:  %1").arg(s.value(QStringLiteral("ham")).toInteger()));
    printLine(QStringLiteral("tokens:       %1").arg(s.value(QStringLiteral("tokens")).toInteger()));
    if (!s.value(QStringLiteral("ready")).toBool())
        printLine(QStringLiteral("Bayes is not used yet: train at least %1 spam and %1 ham messages.")
                      .arg(s.value(QStringLiteral("minMessages")).toInt()));
}

void cmdSpamScore(CtlContext &ctx)
{
    QJsonArray all;
    double engineMs = 0;
    inParts(ctx, files(ctx, "message files"), QStringLiteral("spam.score"), {},
        [&](const QStringList &part, const QJsonObject &r) {
            const QJsonArray items = r.value(QStringLiteral("items")).toArray();
            engineMs += r.value(QStringLiteral("elapsedMs")).toDouble();
            for (qsizetype i = 0; i < items.size() && i < part.size(); ++i) {
                QJsonObject item = items.at(i).toObject();
                if (ctx.json()) {
                    item.insert(QStringLiteral("file"), part.at(i));
                    all.append(item);
                    continue;
                }
                QStringList tags;
                for (const QJsonValue &t : item.value(QStringLiteral("tags")).toArray())
                    tags << t.toString();
                printLine(QStringLiteral("%1\t%2\t%3\t%4\tbayes=%5")
                              .arg(part.at(i))
                              .arg(item.value(QStringLiteral("score")).toDouble(), 0, 'f', 2)
                              .arg(item.value(QStringLiteral("verdict")).toString(), tags.join(u','))
                              .arg(item.value(QStringLiteral("bayes")).toDouble(), 0, 'f', 6));
            }
        });
    if (ctx.json())
        return printJson(QJsonObject { { QStringLiteral("items"), all }, { QStringLiteral("elapsedMs"), engineMs } });
    // The engine's own time, apart from reading files and the socket.
    std::fprintf(
        stderr, "scored %lld messages in %.1f ms of engine time\n", static_cast<long long>(ctx.args.size()), engineMs);
}

void cmdSpamTrain(CtlContext &ctx)
{
    const bool spam = ctx.has(QStringLiteral("spam"));
    if (spam == ctx.has(QStringLiteral("ham")))
        throw CtlError { exitcode::Usage, QStringLiteral("Say --spam or --ham.") };
    qint64 learned = 0, moved = 0, unchanged = 0;
    QJsonObject params { { QStringLiteral("class"), spam ? QStringLiteral("spam") : QStringLiteral("ham") } };
    if (ctx.has(QStringLiteral("user")))
        params.insert(QStringLiteral("forUser"), ctx.option(QStringLiteral("user")));
    inParts(ctx, files(ctx, "message files"), QStringLiteral("spam.train"), params,
        [&](const QStringList &, const QJsonObject &r) {
            learned += r.value(QStringLiteral("learned")).toInteger();
            moved += r.value(QStringLiteral("moved")).toInteger();
            unchanged += r.value(QStringLiteral("unchanged")).toInteger();
        });
    if (ctx.json())
        return printJson(QJsonObject { { QStringLiteral("learned"), learned }, { QStringLiteral("moved"), moved },
            { QStringLiteral("unchanged"), unchanged } });
    printLine(QStringLiteral("learned %1 messages as %2: %3 new, %4 moved from %5, %6 known already")
                  .arg(ctx.args.size())
                  .arg(spam ? QStringLiteral("spam") : QStringLiteral("ham"))
                  .arg(learned)
                  .arg(moved)
                  .arg(spam ? QStringLiteral("ham") : QStringLiteral("spam"))
                  .arg(unchanged));
}

} // namespace mailroom::ctl
