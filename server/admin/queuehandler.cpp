// queue.*: list and show the mail queue, and the admin's actions on queued
// messages (retry, hold, release, delete, bounce, flush). Actions take many
// queue ids at once so the console can act on a large selection in batches;
// ids that are gone (delivered meanwhile) are reported, not failed. After a
// change the scheduler is woken so it looks at the queue at once.
// queue.subscribe lives in AdminConnection (it is connection state).
// Trust level: local admins.
#include <functional>

#include <QSet>

#include "admin/adminerror.h"
#include "admin/handlers.h"
#include "admin/json.h"
#include "store/store.h"

namespace mailroom::admin::handlers
{

namespace
{
constexpr qint64 kMaxPage = 10000;
constexpr qsizetype kMaxIds = 10000;

const QString kBounceStatus = QStringLiteral("5.0.0");
const QString kBounceDiagnostic = QStringLiteral("x-mailroom; returned to sender by the administrator");

QStringList queueIds(const QJsonObject &params)
{
    QStringList ids;
    for (const QJsonValue &v : params.value(QStringLiteral("queueIds")).toArray()) {
        const QString id = v.toString().trimmed();
        if (id.isEmpty())
            raise(ErrorCode::InvalidArgument, QStringLiteral("A queue id is empty; give the ids shown by queue.list."));
        ids << id;
    }
    if (ids.isEmpty() || ids.size() > kMaxIds)
        raise(ErrorCode::InvalidArgument,
            QStringLiteral("Give between 1 and %1 queue ids; send more in several requests.").arg(kMaxIds));
    ids.removeDuplicates();
    return ids;
}

void wake(const RequestContext &ctx)
{
    if (ctx.services().wakeQueue)
        ctx.services().wakeQueue();
}

// Runs action on each id: {changed: messages changed, missing: ids not queued}.
QJsonObject forEachId(const RequestContext &ctx,
    const QJsonObject &params,
    const std::function<Result<int>(store::QueueRepository &, const QString &)> &action)
{
    store::QueueRepository &queue = ctx.services().store.queue();
    int changed = 0;
    QJsonArray missing;
    for (const QString &id : queueIds(params)) {
        Result<int> r = action(queue, id);
        if (!r.ok() && r.error().code == ErrorCode::NotFound) {
            missing.append(id);
            continue;
        }
        if (unwrap(std::move(r)) > 0)
            ++changed;
    }
    if (changed > 0)
        wake(ctx);
    return { { QStringLiteral("changed"), changed }, { QStringLiteral("missing"), missing } };
}
} // namespace

QJsonValue queueList(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("queue.read"));
    store::QueueFilter f;
    f.state = params.value(QStringLiteral("state")).toString();
    if (!f.state.isEmpty() && f.state != u"queued" && f.state != u"deferred" && f.state != u"held"
        && f.state != u"quarantined")
        raise(ErrorCode::InvalidArgument, QStringLiteral("state must be queued, deferred, held or quarantined."));
    f.text = params.value(QStringLiteral("filter")).toString();
    f.offset = params.value(QStringLiteral("offset")).toInteger(0);
    f.limit = params.value(QStringLiteral("limit")).toInteger(100);
    if (f.offset < 0)
        raise(ErrorCode::InvalidArgument, QStringLiteral("offset cannot be negative."));
    if (f.limit < 1 || f.limit > kMaxPage)
        raise(ErrorCode::InvalidArgument, QStringLiteral("limit must be between 1 and %1.").arg(kMaxPage));
    qint64 total = 0;
    const auto rows = unwrap(ctx.services().store.queue().list(f, &total));
    QJsonArray items;
    for (const auto &m : rows)
        items.append(json::queueMessageToJson(m));
    return QJsonObject { { QStringLiteral("total"), total }, { QStringLiteral("items"), items } };
}

QJsonValue queueShow(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("queue.read"));
    const QString id = params.value(QStringLiteral("queueId")).toString().trimmed();
    store::QueueRepository &queue = ctx.services().store.queue();
    QJsonObject out = json::queueMessageToJson(unwrap(queue.find(id)));
    QJsonArray history;
    for (const auto &h : unwrap(queue.history(id)))
        history.append(json::queueHistoryToJson(h));
    out.insert(QStringLiteral("history"), history);
    return out;
}

QJsonValue queueRetry(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("queue.write"));
    return forEachId(ctx, params, [](auto &q, const QString &id) { return q.apply(id, QStringLiteral("retry")); });
}

QJsonValue queueHold(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("queue.write"));
    return forEachId(ctx, params, [](auto &q, const QString &id) { return q.apply(id, QStringLiteral("hold")); });
}

QJsonValue queueRelease(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("queue.write"));
    return forEachId(ctx, params, [](auto &q, const QString &id) { return q.apply(id, QStringLiteral("release")); });
}

QJsonValue queueDelete(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("queue.write"));
    return forEachId(ctx, params, [](auto &q, const QString &id) { return q.remove(id); });
}

QJsonValue queueBounce(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("queue.write"));
    // The scheduler, once woken, sends the report and removes the message.
    return forEachId(
        ctx, params, [](auto &q, const QString &id) { return q.failAll(id, kBounceStatus, kBounceDiagnostic); });
}

QJsonValue queueFlush(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("queue.write"));
    Q_UNUSED(params);
    store::QueueRepository &queue = ctx.services().store.queue();
    // Retrying changes no message's state, so paging by offset stays stable;
    // a message with both queued and deferred recipients is retried once.
    QSet<QString> done;
    for (const QString &state : { QStringLiteral("deferred"), QStringLiteral("queued") }) {
        store::QueueFilter f;
        f.state = state;
        f.limit = 1000;
        for (;;) {
            qint64 total = 0;
            const auto rows = unwrap(queue.list(f, &total));
            for (const auto &m : rows) {
                if (done.contains(m.queueId))
                    continue;
                Result<int> r = queue.apply(m.queueId, QStringLiteral("retry"));
                if (!r.ok() && r.error().code == ErrorCode::NotFound)
                    continue; // delivered meanwhile
                unwrap(std::move(r));
                done.insert(m.queueId);
            }
            f.offset += rows.size();
            if (rows.isEmpty() || f.offset >= total)
                break;
        }
    }
    if (!done.isEmpty())
        wake(ctx);
    return QJsonObject { { QStringLiteral("changed"), int(done.size()) } };
}

} // namespace mailroom::admin::handlers
