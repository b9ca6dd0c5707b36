#include "admin/dispatcher.h"

#include <QJsonArray>
#include <QPointer>
#include <QtConcurrent>

#include "admin/adminerror.h"
#include "admin/handlers.h"
#include "admin/logging.h"
#include "adminproto/schema.h"
#include "base/events.h"

namespace mailroom::admin
{

namespace h = handlers;

const QList<HandlerEntry> &Dispatcher::table()
{
    // hello, logs.(un)subscribe and queue.(un)subscribe are connection state
    // and are answered by AdminConnection itself.
    static const QList<HandlerEntry> entries {
        { "status.get", h::statusGet, nullptr },
        { "domains.list", h::domainsList, nullptr },
        { "domains.add", h::domainsAdd, "domains" },
        { "domains.update", h::domainsUpdate, "domains" },
        { "domains.remove", h::domainsRemove, "domains" },
        { "users.list", h::usersList, nullptr },
        { "users.get", h::usersGet, nullptr },
        { "users.add", h::usersAdd, "users" },
        { "users.update", h::usersUpdate, "users" },
        { "users.passwd", h::usersPasswd, "users" },
        { "users.quota", h::usersQuota, "users" },
        { "users.remove", h::usersRemove, "users" },
        { "aliases.list", h::aliasesList, nullptr },
        { "aliases.add", h::aliasesAdd, "aliases" },
        { "aliases.update", h::aliasesUpdate, "aliases" },
        { "aliases.remove", h::aliasesRemove, "aliases" },
        { "settings.list", h::settingsList, nullptr },
        { "settings.get", h::settingsGet, nullptr },
        { "settings.set", h::settingsSet, "settings" },
        { "settings.reset", h::settingsReset, "settings" },
        { "logs.query", h::logsQuery, nullptr },
        { "queue.list", h::queueList, nullptr },
        { "queue.show", h::queueShow, nullptr },
        { "queue.retry", h::queueRetry, "queue" },
        { "queue.hold", h::queueHold, "queue" },
        { "queue.release", h::queueRelease, "queue" },
        { "queue.delete", h::queueDelete, "queue" },
        { "queue.bounce", h::queueBounce, "queue" },
        { "queue.flush", h::queueFlush, "queue" },
        { "tls.get", h::tlsGet, nullptr },
        { "tls.replace", h::tlsReplace, nullptr },
        { "tls.remove", h::tlsRemove, nullptr },
        { "dkim.list", h::dkimList, nullptr },
        { "dkim.create", h::dkimCreate, nullptr },
        { "dkim.check", h::dkimCheck, nullptr },
        { "dkim.activate", h::dkimActivate, nullptr },
        { "dkim.delete", h::dkimDelete, nullptr },
        { "mailboxes.list", h::mailboxesList, nullptr },
        { "messages.list", h::messagesList, nullptr },
        { "messages.get", h::messagesGet, nullptr },
        { "spam.status", h::spamStatus, nullptr },
        { "spam.score", h::spamScore, nullptr },
        { "spam.train", h::spamTrain, nullptr },
        { "spam.quarantine.list", h::spamQuarantineList, nullptr },
        { "spam.quarantine.get", h::spamQuarantineGet, nullptr },
        { "spam.quarantine.release", h::spamQuarantineRelease, nullptr },
        { "spam.quarantine.delete", h::spamQuarantineDelete, nullptr },
        { "spam.lists.list", h::spamListsList, nullptr },
        { "spam.lists.add", h::spamListsAdd, nullptr },
        { "spam.lists.remove", h::spamListsRemove, nullptr },
        { "spam.scores.list", h::spamScoresList, nullptr },
        { "spam.scores.set", h::spamScoresSet, nullptr },
        { "spam.scores.reset", h::spamScoresReset, nullptr },
    };
    return entries;
}

Dispatcher::Dispatcher(const Services &services, QObject *parent)
    : QObject(parent)
    , m_services(services)
{
    // Two workers: a long write (a password hash) does not hold up a read.
    m_pool.setMaxThreadCount(2);
    // Threads never expire: each holds its own SQLite connection.
    m_pool.setExpiryTimeout(-1);
    m_pool.setObjectName(QStringLiteral("admin-workers"));
}

Dispatcher::~Dispatcher()
{
    m_pool.waitForDone();
}

Outcome Dispatcher::run(const adminproto::Request &request, const Peer &peer) const
{
    Outcome out;
    auto fail = [&](ErrorCode code, const QString &message) {
        out.reply = adminproto::makeError(request.id, QLatin1String(errorCodeName(code)), message);
        if (code != ErrorCode::PermissionDenied && code != ErrorCode::Internal && code != ErrorCode::DatabaseError
            && code != ErrorCode::IoError)
            return;
        m_services.bus.raise(EventId::AdminRequestFailed,
            { { QStringLiteral("method"), request.method },
                { QStringLiteral("code"), QLatin1String(errorCodeName(code)) }, { QStringLiteral("error"), message } });
    };

    const adminproto::MethodDef *def = adminproto::Schema::instance().method(request.method);
    const auto entry = std::find_if(table().cbegin(), table().cend(),
        [&](const HandlerEntry &e) { return request.method == QLatin1String(e.method); });
    if (!def || entry == table().cend()) {
        fail(ErrorCode::NotFound,
            QStringLiteral("The engine has no admin method \"%1\". Is the console newer than the engine?")
                .arg(request.method.left(64)));
        return out;
    }
    QString why;
    if (!adminproto::Schema::instance().validate(*def, request.params, &why)) {
        fail(ErrorCode::InvalidArgument, why);
        return out;
    }
    const RequestContext ctx(m_services, peer);
    try {
        ctx.require(def->permission);
        const QJsonValue result = entry->handler(ctx, request.params);
        out.reply = adminproto::makeResult(request.id, result);
        if (entry->changeArea && qstrcmp(entry->changeArea, "queue") == 0) {
            // Pushed as queue.changed to subscribers (AdminServer coalesces).
            out.change = QJsonObject { { QStringLiteral("area"), QStringLiteral("queue") },
                { QStringLiteral("queueIds"), request.params.value(QStringLiteral("queueIds")).toArray() } };
        } else if (entry->changeArea) {
            const QString name = request.params.value(QStringLiteral("address"))
                                     .toString(request.params.value(QStringLiteral("name")).toString());
            out.change = QJsonObject { { QStringLiteral("area"), QLatin1String(entry->changeArea) },
                { QStringLiteral("action"), request.method.section(QLatin1Char('.'), 1) },
                { QStringLiteral("name"), name } };
        }
    } catch (const AdminError &e) {
        fail(e.error.code, e.error.message);
    } catch (const std::exception &e) {
        qCCritical(lcAdmin) << "handler" << request.method << "threw" << e.what();
        fail(ErrorCode::Internal, QStringLiteral("The engine hit an internal error; details are in its log."));
    }
    return out;
}

void Dispatcher::dispatch(
    const adminproto::Request &request, const Peer &peer, QObject *context, std::function<void(const Outcome &)> done)
{
    QPointer<QObject> guard(context);
    auto future = QtConcurrent::run(&m_pool, [this, request, peer] { return run(request, peer); });
    // The continuation's context must outlive the job: Qt 6.4 asserts that it
    // is alive when the job ends (and reads the QPointer from the worker
    // thread). A connection can go away mid-request when its client hangs up,
    // so the dispatcher (main thread, waits for its pool before it dies) is
    // the context, and the connection is checked through guard on the main
    // thread.
    future.then(this, [done = std::move(done), guard](const Outcome &outcome) {
        if (guard)
            done(outcome);
    });
}

} // namespace mailroom::admin
