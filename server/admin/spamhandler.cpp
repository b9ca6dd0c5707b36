// spam.*: the Bayes filter's training state, scoring messages an admin
// hands in (mailroomctl spam score, the console's "why" view) and training
// them as spam or ham, uploaded or stored in a mailbox (the console's drop
// targets, mailroomctl spam train). Trust level: local admins; the messages
// came from the Internet and go only through the bounded tokenizer.
#include <QElapsedTimer>
#include <QJsonArray>

#include "admin/adminerror.h"
#include "admin/handlers.h"
#include "admin/mailaccess.h"
#include "store/mailstore.h"
#include "store/store.h"

namespace mailroom::admin::handlers
{

namespace
{
constexpr qsizetype kMaxMessages = 10000; // per request

SpamService &spam(const RequestContext &ctx)
{
    if (!ctx.services().spam)
        raise(ErrorCode::Unavailable, QStringLiteral("The spam filter is not running; see the engine's log."));
    return *ctx.services().spam;
}

QList<QByteArray> uploaded(const QJsonObject &params)
{
    const QJsonArray list = params.value(QStringLiteral("messages")).toArray();
    if (list.size() > kMaxMessages)
        raise(ErrorCode::InvalidArgument,
            QStringLiteral("At most %1 messages per request; send the rest in another.").arg(kMaxMessages));
    QList<QByteArray> out;
    out.reserve(list.size());
    for (qsizetype i = 0; i < list.size(); ++i) {
        auto bytes
            = QByteArray::fromBase64Encoding(list.at(i).toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!bytes)
            raise(ErrorCode::InvalidArgument,
                QStringLiteral("Message %1 is not base64; send each message's bytes in base64.").arg(i + 1));
        out.append(*bytes);
    }
    return out;
}

// Messages of a user's mailbox by UID, for a drop from the console's lists.
QList<QByteArray> stored(const RequestContext &ctx, const QJsonObject &params)
{
    const QJsonArray uids = params.value(QStringLiteral("uids")).toArray();
    if (uids.isEmpty())
        return {};
    if (uids.size() > kMaxMessages)
        raise(ErrorCode::InvalidArgument,
            QStringLiteral("At most %1 messages per request; send the rest in another.").arg(kMaxMessages));
    const store::User u = findUser(ctx, params.value(QStringLiteral("user")).toString());
    const store::MailboxEntry box = findMailbox(ctx, u, params.value(QStringLiteral("mailbox")).toString());
    QList<qint64> wanted;
    for (const QJsonValue &v : uids) {
        bool ok = false;
        const qint64 uid = v.toString().toLongLong(&ok);
        if (!ok || uid <= 0)
            raise(ErrorCode::InvalidArgument, QStringLiteral("\"%1\" is not a UID.").arg(v.toString().left(40)));
        wanted << uid;
    }
    store::MailStore &mail = ctx.services().store.mailStore();
    const QList<store::MessageMeta> found = unwrap(mail.messages(box.id, wanted));
    if (found.size() != wanted.size())
        raise(ErrorCode::NotFound,
            QStringLiteral("%1 of the %2 messages are no longer in %3 of %4; reload the message list and drop them "
                           "again.")
                .arg(wanted.size() - found.size())
                .arg(wanted.size())
                .arg(box.name, u.address));
    QList<QByteArray> out;
    for (const store::MessageMeta &m : found)
        out.append(unwrap(mail.content(m.blobHash)));
    return out;
}
} // namespace

QJsonValue spamStatus(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("spam.read"));
    const QString user = params.value(QStringLiteral("user")).toString();
    const SpamStatusView s = spam(ctx).spamStatus(user.isEmpty() ? 0 : findUser(ctx, user).id);
    return QJsonObject { { QStringLiteral("spam"), s.spam }, { QStringLiteral("ham"), s.ham },
        { QStringLiteral("tokens"), s.tokens }, { QStringLiteral("minMessages"), s.minMessages },
        { QStringLiteral("ready"), s.ready } };
}

QJsonValue spamScore(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("spam.read"));
    SpamService &filter = spam(ctx);
    const QList<QByteArray> messages = uploaded(params);
    QElapsedTimer clock;
    clock.start();
    QJsonArray items;
    for (const QByteArray &m : messages) {
        const SpamScoreView v = filter.scoreMessage(m);
        QJsonArray names, details;
        for (const SpamTagView &t : v.tags) {
            names.append(t.name);
            details.append(QJsonObject { { QStringLiteral("name"), t.name }, { QStringLiteral("score"), t.score },
                { QStringLiteral("detail"), t.detail } });
        }
        items.append(QJsonObject { { QStringLiteral("score"), v.score }, { QStringLiteral("bayes"), v.bayes },
            { QStringLiteral("bayesReady"), v.bayesReady }, { QStringLiteral("verdict"), v.verdict },
            { QStringLiteral("tags"), names }, { QStringLiteral("details"), details } });
    }
    return QJsonObject { { QStringLiteral("items"), items },
        { QStringLiteral("elapsedMs"), double(clock.nsecsElapsed()) / 1e6 } };
}

QJsonValue spamTrain(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("spam.write"));
    const QString cls = params.value(QStringLiteral("class")).toString();
    if (cls != u"spam" && cls != u"ham")
        raise(ErrorCode::InvalidArgument, QStringLiteral("class must be \"spam\" or \"ham\"."));
    SpamService &filter = spam(ctx);
    QList<QByteArray> messages = uploaded(params);
    messages += stored(ctx, params);
    if (messages.isEmpty())
        raise(ErrorCode::InvalidArgument,
            QStringLiteral("Give messages (uploaded) or user, mailbox and uids (stored) to train."));
    const QString forUser = params.value(QStringLiteral("forUser")).toString();
    const qint64 scope = forUser.isEmpty() ? 0 : findUser(ctx, forUser).id;
    const SpamTrainingView t = unwrap(filter.train(messages, cls == u"spam", scope));
    return QJsonObject { { QStringLiteral("learned"), t.learned }, { QStringLiteral("moved"), t.moved },
        { QStringLiteral("unchanged"), t.unchanged } };
}

} // namespace mailroom::admin::handlers
