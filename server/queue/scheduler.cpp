#include "queue/scheduler.h"

#include <QFile>

#include "base/events.h"
#include "config/settings.h"
#include "queue/dsn.h"
#include "queue/logging.h"
#include "queue/submitter.h"
#include "store/blobstore.h"
#include "store/store.h"
#include "store/transaction.h"

namespace mailroom::queue
{

namespace
{
constexpr int kPollMs = 1000; // due work is looked for at least this often

QString domainOf(const QString &address)
{
    return address.section(u'@', -1).toLower();
}
} // namespace

Scheduler::Scheduler(
    store::Store &store, config::Settings &settings, EventBus &bus, Submitter &submitter, QString hostname)
    : m_store(store)
    , m_settings(settings)
    , m_bus(bus)
    , m_submitter(submitter)
    , m_hostname(std::move(hostname))
    , m_timer(this) // a child, so it moves to the queue thread with us
{
}

void Scheduler::setAgents(DeliveryAgent *local, DeliveryAgent *remote)
{
    m_local = local;
    m_remote = remote;
}

void Scheduler::start()
{
    m_timer.setInterval(kPollMs);
    connect(&m_timer, &QTimer::timeout, this, &Scheduler::dispatch);
    m_timer.start();
    wake();
}

void Scheduler::wake()
{
    if (m_stopping)
        return;
    // Failed recipients not reported yet: after a restart, or after an
    // admin returned a message to its sender.
    if (auto pending = m_store.queue().messagesToReport())
        for (qint64 id : std::as_const(*pending))
            sendReports(id);
    // Messages whose last recipient was settled just before a crash.
    if (auto removed = m_store.queue().removeAllFinished())
        for (const QString &id : std::as_const(*removed))
            m_bus.raise(EventId::MessageRemoved,
                { { QStringLiteral("queue_id"), id },
                    { QStringLiteral("reason"), QStringLiteral("all recipients done") } });
    dispatch();
}

void Scheduler::shutdown()
{
    m_stopping = true;
    m_timer.stop();
    if (m_local)
        m_local->shutdown();
    if (m_remote)
        m_remote->shutdown();
}

qint64 Scheduler::backoffMs(int attempts) const
{
    const qint64 first = m_settings.intValue(QStringLiteral("queue.retry_first_secs")) * 1000;
    const qint64 most = m_settings.intValue(QStringLiteral("queue.retry_max_secs")) * 1000;
    qint64 wait = first;
    for (int i = 1; i < attempts && wait < most; ++i)
        wait *= 2;
    return std::min(wait, most);
}

void Scheduler::dispatch()
{
    if (m_stopping || !m_local)
        return;
    const int maxActive = int(m_settings.intValue(QStringLiteral("queue.max_active")));
    const int room = maxActive - int(m_active.size());
    if (room <= 0)
        return;
    auto due = m_store.queue().due(QDateTime::currentMSecsSinceEpoch(), room, m_active);
    if (!due) {
        m_bus.raise(EventId::QueueError, { { QStringLiteral("error"), due.error().message } });
        return;
    }
    // Jobs: all local recipients of a message together, remote ones by
    // message and destination domain (one SMTP transaction each).
    QHash<QString, bool> localDomain;
    QMap<QPair<qint64, QString>, DeliveryJob> jobs;
    for (const store::DueRecipient &r : std::as_const(*due)) {
        const QString domain = domainOf(r.address);
        if (!localDomain.contains(domain)) {
            auto isLocal = m_store.queue().isLocalDomain(domain);
            localDomain.insert(domain, isLocal && *isLocal);
        }
        const bool local = localDomain.value(domain);
        const auto key = qMakePair(r.messageId, local ? QString() : domain);
        DeliveryJob &job = jobs[key];
        if (job.recipients.isEmpty()) {
            job.messageId = r.messageId;
            job.queueId = r.queueId;
            job.sender = r.sender;
            job.contentPath = m_store.blobs().path(r.blobHash);
            job.contentOffset = r.bodyOffset;
            job.size = r.size - r.bodyOffset;
            job.smtpUtf8 = r.smtpUtf8;
            job.body8bit = r.body8bit;
            job.envid = r.envid;
            job.ret = r.ret;
            job.domain = local ? QString() : domain;
            job.blobHash = r.blobHash;
            job.fileSize = r.size;
            job.verdict = r.verdict;
            job.received = r.received;
            job.env = r.env;
        }
        job.recipients.append({ r.id, r.address, r.originalRecipient, r.notify, r.attempts });
        m_active.insert(r.id);
        m_inFlight.insert(r.id, r);
    }
    for (auto it = jobs.cbegin(); it != jobs.cend(); ++it) {
        DeliveryAgent *agent = it.key().second.isEmpty() ? m_local : m_remote;
        const DeliveryJob job = it.value();
        if (!agent) {
            QList<RecipientResult> results;
            for (const Recipient &r : job.recipients)
                results.append({ r.id, Outcome::Deferred, QStringLiteral("4.3.2"),
                    QStringLiteral("x-mailroom; remote delivery is not available"), {} });
            onResults(job, results);
            continue;
        }
        agent->deliver(job, [this, job](const QList<RecipientResult> &results) { onResults(job, results); });
    }
}

void Scheduler::onResults(const DeliveryJob &job, const QList<RecipientResult> &results)
{
    bool anyFailed = false;
    for (const RecipientResult &res : results) {
        const store::DueRecipient r = m_inFlight.take(res.recipientId);
        m_active.remove(res.recipientId);
        if (r.id == 0)
            continue;
        const QVariantMap fields { { QStringLiteral("queue_id"), job.queueId },
            { QStringLiteral("recipient"), r.address },
            { QStringLiteral("detail"), res.diagnostic.isEmpty() ? res.status : res.diagnostic } };
        switch (res.outcome) {
        case Outcome::Delivered:
            // Local delivery records its own success in the transaction that
            // files the message; this covers remote delivery.
            if (!job.domain.isEmpty())
                if (auto s = m_store.queue().finish(
                        r.id, QStringLiteral("delivered"), res.status, res.diagnostic, res.remoteMta);
                    !s)
                    m_bus.raise(EventId::QueueError, { { QStringLiteral("error"), s.error().message } });
            m_bus.raise(EventId::MessageDelivered, fields);
            if (!res.dsnPassedOn)
                sendSuccessNotice(r, res, !job.domain.isEmpty());
            break;
        case Outcome::Deferred:
            deferOrExpire(r, res);
            break;
        case Outcome::Failed:
            if (auto s
                = m_store.queue().finish(r.id, QStringLiteral("failed"), res.status, res.diagnostic, res.remoteMta);
                !s)
                m_bus.raise(EventId::QueueError, { { QStringLiteral("error"), s.error().message } });
            m_bus.raise(EventId::MessageBounced, fields);
            anyFailed = true;
            break;
        }
    }
    if (anyFailed)
        sendReports(job.messageId);
    tidy(job.messageId);
    // Recipients added by alias expansion, or room freed: look again soon.
    dispatchSoon();
}

void Scheduler::dispatchSoon()
{
    // Many jobs finish in one turn of the loop (a local batch): one look.
    if (m_dispatchScheduled)
        return;
    m_dispatchScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_dispatchScheduled = false;
        dispatch();
    });
}

void Scheduler::deferOrExpire(const store::DueRecipient &r, const RecipientResult &res)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 age = now - r.received.toMSecsSinceEpoch();
    const QVariantMap fields { { QStringLiteral("queue_id"), r.queueId }, { QStringLiteral("recipient"), r.address },
        { QStringLiteral("detail"), res.diagnostic.isEmpty() ? res.status : res.diagnostic } };
    if (age >= m_settings.intValue(QStringLiteral("queue.max_age_secs")) * 1000) {
        const QString diag = res.diagnostic.isEmpty()
            ? QStringLiteral("x-mailroom; gave up after %1 attempts").arg(r.attempts + 1)
            : res.diagnostic;
        if (auto s
            = m_store.queue().finish(r.id, QStringLiteral("failed"), QStringLiteral("4.4.7"), diag, res.remoteMta);
            !s)
            m_bus.raise(EventId::QueueError, { { QStringLiteral("error"), s.error().message } });
        m_bus.raise(EventId::MessageBounced, fields);
        sendReports(r.messageId);
        return;
    }
    if (auto s
        = m_store.queue().defer(r.id, now + backoffMs(r.attempts + 1), res.status, res.diagnostic, res.remoteMta);
        !s)
        m_bus.raise(EventId::QueueError, { { QStringLiteral("error"), s.error().message } });
    m_bus.raise(EventId::MessageDeferred, fields);
    const qint64 warnAfter = m_settings.intValue(QStringLiteral("queue.delay_warning_secs")) * 1000;
    if (warnAfter > 0 && age >= warnAfter)
        sendDelayNotice(r, res);
}

namespace
{
DsnRequest baseRequest(const store::DueRecipient &m, const QString &hostname, const QByteArray &original)
{
    DsnRequest req;
    req.reportingMta = hostname;
    req.queueId = m.queueId;
    req.envid = m.envid;
    req.arrival = m.received;
    req.from = QStringLiteral("MAILER-DAEMON@") + hostname;
    req.to = m.sender;
    req.returnFullMessage = m.ret.compare(u"FULL", Qt::CaseInsensitive) == 0;
    req.original = original;
    return req;
}

Envelope reportEnvelope(const QString &to)
{
    Envelope env;
    env.recipients.append({ to, {}, NotifyNever, {} });
    env.service = QStringLiteral("dsn");
    env.smtpUtf8 = true; // harmless when not needed; the sender may be an EAI address
    return env;
}
} // namespace

QByteArray Scheduler::readOriginal(const QString &blobHash, qint64 limit) const
{
    QFile f(m_store.blobs().path(blobHash));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.read(limit);
}

void Scheduler::sendDelayNotice(const store::DueRecipient &r, const RecipientResult &res)
{
    // Without NOTIFY the choice is ours (RFC 3461 §4.1): like Postfix's
    // delay_warning_time we warn once; NOTIFY without DELAY means no.
    if (r.sender.isEmpty() || (r.notify != 0 && !wantsNotification(r.notify, DsnRecipient::Action::Delayed)))
        return;
    auto already = m_store.queue().delayNotified(r.id);
    if (!already || *already)
        return;
    // The flag is set before the notice is queued: a crash in between sends
    // none rather than two.
    if (auto s = m_store.queue().markDelayNotified(r.id); !s)
        return;
    sendNotice(r, res, DsnRecipient::Action::Delayed, QStringLiteral("4.0.0"),
        r.received.addSecs(m_settings.intValue(QStringLiteral("queue.max_age_secs"))));
}

QFuture<SubmitResult> Scheduler::sendNotice(const store::DueRecipient &r,
    const RecipientResult &res,
    DsnRecipient::Action action,
    const QString &defaultStatus,
    const QDateTime &willRetryUntil)
{
    // One recipient, headers only: delay and success notices return no
    // message (RFC 3461 §4.3).
    DsnRequest req = baseRequest(r, m_hostname, readOriginal(r.blobHash, 256 * 1024));
    req.returnFullMessage = false;
    DsnRecipient d;
    d.finalRecipient = r.address;
    d.originalRecipient = r.originalRecipient;
    d.action = action;
    d.status = res.status.isEmpty() ? defaultStatus : res.status;
    d.remoteMta = res.remoteMta;
    d.diagnostic = res.diagnostic;
    d.lastAttempt = QDateTime::currentDateTimeUtc();
    d.willRetryUntil = willRetryUntil;
    req.recipients.append(d);
    return m_submitter.submit(reportEnvelope(r.sender), composeDsn(req));
}

void Scheduler::sendSuccessNotice(const store::DueRecipient &r, const RecipientResult &res, bool relayed)
{
    // Only on request: without NOTIFY a sender hears of failures alone (RFC
    // 3461 §4.1), and never the null sender. A remote hop that got no DSN
    // parameters from us makes a success there "relayed" (§5.2.2).
    const auto action = relayed ? DsnRecipient::Action::Relayed : DsnRecipient::Action::Delivered;
    if (r.sender.isEmpty() || r.notify == 0 || !wantsNotification(r.notify, action))
        return;
    // Sent once, after the delivery was committed: a crash in between sends
    // none rather than two, as for delay notices.
    sendNotice(r, res, action, QStringLiteral("2.0.0"), {})
        .then(this, [this, queueId = r.queueId](const SubmitResult &sr) {
            if (!sr.ok)
                m_bus.raise(EventId::QueueError,
                    { { QStringLiteral("error"),
                        QStringLiteral("could not queue a success notice for message %1: %2")
                            .arg(queueId, sr.error) } });
        });
}

void Scheduler::sendReports(qint64 messageId)
{
    if (m_reporting.contains(messageId))
        return; // its bounce is on the way to the queue already
    auto failed = m_store.queue().recipientsInState(messageId, QStringLiteral("failed"));
    auto msg = m_store.queue().message(messageId);
    if (!failed || failed->isEmpty() || !msg)
        return;
    QList<qint64> ids;
    QList<DsnRecipient> report;
    for (const store::QueueRecipientRow &row : std::as_const(*failed)) {
        ids << row.id;
        DsnRecipient d;
        d.finalRecipient = row.address;
        d.originalRecipient = row.originalRecipient;
        d.action = DsnRecipient::Action::Failed;
        d.status = row.status.isEmpty() ? QStringLiteral("5.0.0") : row.status;
        // A temporary code on a failed recipient means it expired (4.4.7).
        if (d.status.startsWith(u'4'))
            d.status = QStringLiteral("4.4.7");
        d.remoteMta = row.remoteMta;
        d.diagnostic = row.diagnostic;
        d.lastAttempt = row.lastAttempt;
        report << d;
    }
    auto markReported = [this, ids, messageId] {
        for (qint64 id : ids)
            if (auto s = m_store.queue().setState(id, QStringLiteral("reported")); !s)
                m_bus.raise(EventId::QueueError, { { QStringLiteral("error"), s.error().message } });
        tidy(messageId);
    };
    // No bounce to the null sender (RFC 5321 §4.5.5: no loops of bounces),
    // and none when every recipient asked for NOTIFY=NEVER.
    QList<DsnRecipient> wanted;
    for (int i = 0; i < report.size(); ++i) {
        if (wantsNotification(quint8(failed->at(i).notify), DsnRecipient::Action::Failed))
            wanted << report[i];
    }
    if (msg->sender.isEmpty() || wanted.isEmpty()) {
        markReported();
        return;
    }
    DsnRequest req = baseRequest(*msg, m_hostname, readOriginal(msg->blobHash, 4 * 1024 * 1024));
    req.recipients = wanted;
    // Marked reported only once the bounce itself is safely queued: a crash
    // before that sends it again after the restart rather than never.
    m_reporting.insert(messageId);
    m_submitter.submit(reportEnvelope(msg->sender), composeDsn(req))
        .then(this, [this, markReported, messageId](const SubmitResult &r) {
            m_reporting.remove(messageId);
            if (r.ok)
                markReported();
            else
                m_bus.raise(EventId::QueueError,
                    { { QStringLiteral("error"),
                        QStringLiteral("could not queue a bounce for message %1: %2").arg(messageId).arg(r.error) } });
        });
}

void Scheduler::tidy(qint64 messageId)
{
    m_toTidy.insert(messageId);
    if (m_tidyScheduled)
        return;
    m_tidyScheduled = true;
    QTimer::singleShot(0, this, &Scheduler::tidyNow);
}

void Scheduler::tidyNow()
{
    m_tidyScheduled = false;
    const QSet<qint64> ids = std::exchange(m_toTidy, {});
    // One commit for every message settled in this turn. Should the batch
    // fail to open, each removal commits on its own.
    auto batch = m_store.beginBatch();
    QStringList removed;
    for (qint64 id : ids) {
        auto r = m_store.queue().removeFinished(id);
        if (!r) {
            m_bus.raise(EventId::QueueError, { { QStringLiteral("error"), r.error().message } });
            continue;
        }
        removed += *r;
    }
    if (batch)
        if (auto s = batch.value()->commit(); !s) {
            // Nothing was removed: try these again with the next ones (and
            // a restart tidies everything, removeAllFinished).
            m_bus.raise(EventId::QueueError, { { QStringLiteral("error"), s.error().message } });
            m_toTidy.unite(ids);
            return;
        }
    for (const QString &id : std::as_const(removed))
        m_bus.raise(EventId::MessageRemoved,
            { { QStringLiteral("queue_id"), id },
                { QStringLiteral("reason"), QStringLiteral("all recipients done") } });
}

} // namespace mailroom::queue
