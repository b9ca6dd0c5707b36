// spam.quarantine.*, spam.lists.*, spam.scores.*: what an admin decides about
// spam. The quarantine is the queue's messages in state 'quarantined':
// releasing one sends it on to the recipients' Inboxes, deleting one ends it
// without a bounce; either may train Bayes on the way. Lists and score
// changes live in the store; after a change the engine hands the filter its
// new copy, so the next message sees it.
// Trust level: local admins; quarantined messages came from the Internet.
#include <QJsonArray>
#include <QRegularExpression>

#include "admin/adminerror.h"
#include "admin/handlers.h"
#include "admin/json.h"
#include "admin/mailaccess.h"
#include "config/settings.h"
#include "store/blobstore.h"
#include "store/directory.h"
#include "store/spampolicy.h"
#include "store/store.h"

namespace mailroom::admin::handlers
{

namespace
{
constexpr qint64 kMaxPage = 10000;
constexpr qsizetype kMaxIds = 10000;
constexpr qsizetype kMaxTextChars = 256 * 1024;

SpamService &service(const RequestContext &ctx)
{
    if (!ctx.services().spam)
        raise(ErrorCode::Unavailable, QStringLiteral("The spam filter is not running; see the engine's log."));
    return *ctx.services().spam;
}

void page(const QJsonObject &params, qint64 &offset, qint64 &limit)
{
    offset = params.value(QStringLiteral("offset")).toInteger(0);
    limit = params.value(QStringLiteral("limit")).toInteger(100);
    if (offset < 0)
        raise(ErrorCode::InvalidArgument, QStringLiteral("offset must not be negative."));
    if (limit < 1 || limit > kMaxPage)
        raise(ErrorCode::InvalidArgument, QStringLiteral("limit must be between 1 and %1.").arg(kMaxPage));
}

QStringList idList(const QJsonObject &params, const char *name)
{
    QStringList ids;
    for (const QJsonValue &v : params.value(QLatin1String(name)).toArray()) {
        const QString id = v.toString().trimmed();
        if (id.isEmpty())
            raise(ErrorCode::InvalidArgument, QStringLiteral("An id in %1 is empty.").arg(QLatin1String(name)));
        ids << id;
    }
    if (ids.isEmpty() || ids.size() > kMaxIds)
        raise(ErrorCode::InvalidArgument,
            QStringLiteral("Give between 1 and %1 ids; send more in several requests.").arg(kMaxIds));
    ids.removeDuplicates();
    return ids;
}

QDateTime expires(const RequestContext &ctx, const QDateTime &received)
{
    return received.addDays(ctx.services().settings.intValue(QStringLiteral("spam.quarantine_days")));
}

QJsonArray tagNames(const QString &tags)
{
    QJsonArray out;
    for (const QString &t : tags.split(u',', Qt::SkipEmptyParts))
        out.append(t.section(u':', 0, 0));
    return out;
}

QJsonObject quarantineJson(const RequestContext &ctx, const store::QuarantineRow &r)
{
    return { { QStringLiteral("queueId"), r.queueId }, { QStringLiteral("received"), json::isoTime(r.received) },
        { QStringLiteral("expires"), json::isoTime(expires(ctx, r.received)) }, { QStringLiteral("sender"), r.sender },
        { QStringLiteral("from"), r.from }, { QStringLiteral("subject"), r.subject },
        { QStringLiteral("recipients"), QJsonArray::fromStringList(r.recipients) }, { QStringLiteral("size"), r.size },
        { QStringLiteral("score"), r.score }, { QStringLiteral("tags"), tagNames(r.spamTags) } };
}

// The message as it arrived (without the Return-Path line the queue keeps
// on top), for training.
QByteArray messageOf(const RequestContext &ctx, const store::QuarantineRow &r)
{
    QByteArray bytes = unwrap(ctx.services().store.blobs().read(r.blobHash));
    return r.bodyOffset > 0 && r.bodyOffset < bytes.size() ? bytes.mid(r.bodyOffset) : bytes;
}

// Releases or deletes each message; trains them first when asked.
QJsonObject settle(const RequestContext &ctx, const QJsonObject &params, bool release)
{
    ctx.require(QStringLiteral("spam.write"));
    const bool train = params.value(QStringLiteral("train")).toBool();
    store::QueueRepository &queue = ctx.services().store.queue();
    int done = 0, trained = 0;
    QJsonArray missing;
    QList<QByteArray> toTrain;
    for (const QString &id : idList(params, "queueIds")) {
        auto row = queue.quarantined(id);
        if (!row && row.error().code == ErrorCode::NotFound) {
            missing.append(id);
            continue;
        }
        if (train)
            toTrain.append(messageOf(ctx, unwrap(std::move(row))));
        Result<int> r = release ? queue.releaseQuarantine(id)
                                : queue.discardQuarantine(id, QStringLiteral("deleted from quarantine by an admin"));
        if (!r && r.error().code == ErrorCode::NotFound) {
            missing.append(id);
            continue;
        }
        if (unwrap(std::move(r)) > 0)
            ++done;
    }
    if (!toTrain.isEmpty()) {
        const SpamTrainingView t = unwrap(service(ctx).train(toTrain, !release, 0));
        trained = t.learned + t.moved + t.unchanged;
    }
    if (release && done > 0 && ctx.services().wakeQueue)
        ctx.services().wakeQueue();
    return { { release ? QStringLiteral("released") : QStringLiteral("deleted"), done },
        { QStringLiteral("trained"), trained }, { QStringLiteral("missing"), missing } };
}

QString scopeOf(const RequestContext &ctx, const QString &input)
{
    const QString scope = input.trimmed();
    if (scope == u"global")
        return scope;
    if (scope.startsWith(u"domain:")) {
        const store::Domain d = unwrap(ctx.services().store.directory().findDomain(scope.mid(7)));
        return QStringLiteral("domain:") + d.name;
    }
    if (scope.startsWith(u"user:"))
        return QStringLiteral("user:") + findUser(ctx, scope.mid(5)).address.toLower();
    raise(ErrorCode::InvalidArgument,
        QStringLiteral("scope must be global, domain:NAME (a local domain) or user:ADDRESS (a local user)."));
}

QJsonObject listJson(const store::SpamListEntry &e)
{
    return { { QStringLiteral("id"), QString::number(e.id) }, { QStringLiteral("scope"), e.scope },
        { QStringLiteral("kind"), e.kind }, { QStringLiteral("pattern"), e.pattern },
        { QStringLiteral("note"), e.note }, { QStringLiteral("created"), json::isoTime(e.created) },
        { QStringLiteral("hits"), e.hits },
        { QStringLiteral("lastHit"), e.lastHit.isValid() ? QJsonValue(json::isoTime(e.lastHit)) : QJsonValue() } };
}

QString kindOf(const QJsonObject &params, bool required)
{
    const QString kind = params.value(QStringLiteral("kind")).toString();
    if ((required || !kind.isEmpty()) && kind != u"allow" && kind != u"block")
        raise(ErrorCode::InvalidArgument, QStringLiteral("kind must be allow or block."));
    return kind;
}

void reload(const RequestContext &ctx)
{
    unwrap(service(ctx).reloadSpamPolicy());
}
} // namespace

QJsonValue spamQuarantineList(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("spam.read"));
    store::QueueFilter f;
    f.text = params.value(QStringLiteral("filter")).toString();
    page(params, f.offset, f.limit);
    qint64 total = 0;
    const QList<store::QuarantineRow> rows = unwrap(ctx.services().store.queue().quarantine(f, &total));
    QJsonArray items;
    for (const store::QuarantineRow &r : rows)
        items.append(quarantineJson(ctx, r));
    return QJsonObject { { QStringLiteral("total"), total }, { QStringLiteral("items"), items } };
}

QJsonValue spamQuarantineGet(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("spam.read"));
    const MessageReader *reader = ctx.services().messages;
    if (!reader)
        raise(ErrorCode::Unavailable, QStringLiteral("This engine cannot show messages; restart it."));
    const store::QuarantineRow r
        = unwrap(ctx.services().store.queue().quarantined(params.value(QStringLiteral("queueId")).toString()));
    QJsonObject out = quarantineJson(ctx, r);
    QJsonArray tags;
    for (const QString &t : r.spamTags.split(u',', Qt::SkipEmptyParts))
        tags.append(QJsonObject { { QStringLiteral("name"), t.section(u':', 0, 0) },
            { QStringLiteral("score"), t.section(u':', 1).toDouble() } });
    out.insert(QStringLiteral("tags"), tags);
    const MessageView view = reader->readMessage(messageOf(ctx, r), kMaxTextChars);
    QJsonArray headers;
    for (const auto &[name, value] : view.headers) {
        if (headers.size() >= 500)
            break;
        headers.append(QJsonArray { name.left(256), value.left(16 * 1024) });
    }
    out.insert(QStringLiteral("headers"), headers);
    out.insert(QStringLiteral("text"), view.text);
    out.insert(QStringLiteral("textTruncated"), view.textTruncated);
    return out;
}

QJsonValue spamQuarantineRelease(const RequestContext &ctx, const QJsonObject &params)
{
    return settle(ctx, params, true);
}

QJsonValue spamQuarantineDelete(const RequestContext &ctx, const QJsonObject &params)
{
    return settle(ctx, params, false);
}

QJsonValue spamListsList(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("spam.read"));
    store::SpamListFilter f;
    const QString scope = params.value(QStringLiteral("scope")).toString();
    f.scope = scope.isEmpty() ? QString() : scope.trimmed().toLower();
    f.kind = kindOf(params, false);
    f.text = params.value(QStringLiteral("filter")).toString();
    page(params, f.offset, f.limit);
    qint64 total = 0;
    QJsonArray items;
    for (const store::SpamListEntry &e : unwrap(ctx.services().store.spamPolicy().lists(f, &total)))
        items.append(listJson(e));
    return QJsonObject { { QStringLiteral("total"), total }, { QStringLiteral("items"), items } };
}

QJsonValue spamListsAdd(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("spam.write"));
    store::SpamListEntry e;
    e.scope = scopeOf(ctx, params.value(QStringLiteral("scope")).toString());
    e.kind = kindOf(params, true);
    e.pattern = unwrap(service(ctx).normalizeListPattern(params.value(QStringLiteral("pattern")).toString()));
    e.note = params.value(QStringLiteral("note")).toString().left(1000);
    const qint64 id = unwrap(ctx.services().store.spamPolicy().addList(e));
    reload(ctx);
    return QJsonObject { { QStringLiteral("id"), QString::number(id) } };
}

QJsonValue spamListsRemove(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("spam.write"));
    QList<qint64> ids;
    for (const QString &s : idList(params, "ids")) {
        bool ok = false;
        const qint64 id = s.toLongLong(&ok);
        if (!ok || id <= 0)
            raise(ErrorCode::InvalidArgument, QStringLiteral("\"%1\" is not an entry id.").arg(s.left(40)));
        ids << id;
    }
    const int removed = unwrap(ctx.services().store.spamPolicy().removeLists(ids));
    reload(ctx);
    return QJsonObject { { QStringLiteral("removed"), removed } };
}

QJsonValue spamScoresList(const RequestContext &ctx, const QJsonObject &)
{
    ctx.require(QStringLiteral("spam.read"));
    QJsonArray items;
    for (const SpamScoreEntry &e : service(ctx).scoreTable())
        items.append(QJsonObject { { QStringLiteral("tag"), e.tag }, { QStringLiteral("score"), e.score },
            { QStringLiteral("fileScore"), e.fileScore }, { QStringLiteral("overridden"), e.overridden },
            { QStringLiteral("description"), e.description }, { QStringLiteral("kind"), e.kind } });
    return QJsonObject { { QStringLiteral("items"), items } };
}

QJsonValue spamScoresSet(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("spam.write"));
    static const QRegularExpression tagName(QStringLiteral("^[A-Z0-9_]{1,64}$"));
    QHash<QString, double> scores;
    for (const QJsonValue &v : params.value(QStringLiteral("scores")).toArray()) {
        const QString entry = v.toString();
        const qsizetype eq = entry.indexOf(u'=');
        const QString tag = entry.left(eq).trimmed().toUpper();
        bool ok = false;
        const double points = eq < 0 ? 0 : entry.mid(eq + 1).trimmed().toDouble(&ok);
        if (eq < 0 || !tagName.match(tag).hasMatch() || !ok || points < -100 || points > 100)
            raise(ErrorCode::InvalidArgument,
                QStringLiteral("\"%1\" is not TAG=POINTS with a tag of capitals, digits and _ and points between "
                               "-100 and 100, such as BAYES_99=4.5.")
                    .arg(entry.left(80)));
        scores.insert(tag, points);
    }
    if (scores.isEmpty() || scores.size() > kMaxIds)
        raise(ErrorCode::InvalidArgument, QStringLiteral("Give between 1 and %1 TAG=POINTS entries.").arg(kMaxIds));
    unwrap(ctx.services().store.spamPolicy().setScores(scores));
    reload(ctx);
    return QJsonObject {};
}

QJsonValue spamScoresReset(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("spam.write"));
    QStringList tags;
    for (const QString &t : idList(params, "tags"))
        tags << t.toUpper();
    unwrap(ctx.services().store.spamPolicy().resetScores(tags));
    reload(ctx);
    return QJsonObject {};
}

} // namespace mailroom::admin::handlers
