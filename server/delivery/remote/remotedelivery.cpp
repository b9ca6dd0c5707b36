// RemoteDelivery (see remotedelivery.h): jobs per destination ("mx:domain",
// or "relay:host" when everything goes to the smarthost), at most
// maxConnectionsPerDomain connections each, FIFO for the rest, idle reuse.
// Results reach the queue through a posted outbox, so `done` never runs
// inside deliver() or inside a socket signal (the queue may call deliver()
// again from `done`). RFC 5321 §4.5.3.1 (no limit), §4.1.1.5 (RSET).
// Trust level: internal bookkeeping; the network parts are in the attempt.
#include "delivery/remote/remotedelivery.h"

#include "delivery/logging.h"
#include "delivery/remote/deliveryattempt.h"
#include "delivery/remote/smtpclient.h"

namespace mailroom::delivery
{

namespace
{

const QString idleTimerName = QStringLiteral("mailroom-idle-timer");

void stopIdleTimer(SmtpClient *client)
{
    delete client->findChild<QTimer *>(idleTimerName, Qt::FindDirectChildrenOnly);
}

} // namespace

RemoteDelivery::RemoteDelivery(dns::Resolver &resolver, RemoteOptions options, QObject *parent)
    : QObject(parent)
    , m_resolver(resolver)
    , m_options(std::move(options))
{
    m_outboxTimer.setSingleShot(true);
    m_outboxTimer.setInterval(0);
    connect(&m_outboxTimer, &QTimer::timeout, this, &RemoteDelivery::flushOutbox);
}

RemoteDelivery::~RemoteDelivery()
{
    shutdown();
}

void RemoteDelivery::setOptions(RemoteOptions options)
{
    m_options = std::move(options);
    ++m_generation;
    closeIdle();
    QStringList keys;
    for (const auto &[key, d] : m_destinations)
        keys.append(key);
    for (const QString &key : std::as_const(keys))
        pump(key); // the cap may have grown
}

QString RemoteDelivery::destinationKey(const queue::DeliveryJob &job) const
{
    if (!m_options.relayHost.isEmpty())
        return QStringLiteral("relay:") + m_options.relayHost.toLower();
    return QStringLiteral("mx:") + job.domain.toLower();
}

QList<queue::RecipientResult> RemoteDelivery::allDeferred(
    const queue::DeliveryJob &job, const QString &status, const QString &diagnostic)
{
    QList<queue::RecipientResult> results;
    for (const queue::Recipient &r : job.recipients)
        results.append(queue::RecipientResult { r.id, queue::Outcome::Deferred, status, diagnostic, QString() });
    return results;
}

void RemoteDelivery::deliver(const queue::DeliveryJob &job, Done done)
{
    if (m_shutdown) {
        post(std::move(done),
            allDeferred(job, QStringLiteral("4.3.2"), QStringLiteral("x-mailroom; delivery is shutting down")));
        return;
    }
    if (job.recipients.isEmpty()) {
        post(std::move(done), {});
        return;
    }
    const QString key = destinationKey(job);
    m_destinations[key].waiting.enqueue(Waiting { job, std::move(done) });
    pump(key);
}

void RemoteDelivery::pump(const QString &key)
{
    auto it = m_destinations.find(key);
    if (it == m_destinations.end())
        return;
    Destination &d = it->second;
    const int cap = std::max(1, m_options.maxConnectionsPerDomain);
    while (!d.waiting.isEmpty() && !m_shutdown) {
        if (!d.idle.isEmpty()) {
            SmtpClient *client = d.idle.takeFirst();
            run(key, d.waiting.dequeue(), client);
            continue;
        }
        if (d.active + d.idle.size() >= cap)
            break;
        run(key, d.waiting.dequeue(), nullptr);
    }
    if (d.active == 0 && d.idle.isEmpty() && d.waiting.isEmpty())
        m_destinations.erase(it);
}

void RemoteDelivery::run(const QString &key, Waiting waiting, SmtpClient *kept)
{
    ++m_destinations[key].active;
    auto *attempt = new DeliveryAttempt(m_resolver, m_options, std::move(waiting.job), this);
    m_running[attempt] = Running { key, std::move(waiting.done), m_generation };
    connect(attempt, &DeliveryAttempt::finished, this, &RemoteDelivery::onFinished);
    if (kept) {
        stopIdleTimer(kept);
        kept->onFailure = nullptr;
    }
    attempt->start(kept);
}

void RemoteDelivery::onFinished(DeliveryAttempt *attempt)
{
    const auto it = m_running.find(attempt);
    if (it == m_running.end())
        return;
    const Running running = std::move(it->second);
    m_running.erase(it);
    SmtpClient *client = attempt->takeClient();
    if (client)
        client->setParent(this); // it outlives the attempt
    post(running.done, attempt->results());
    attempt->deleteLater();

    Destination &d = m_destinations[running.key];
    --d.active;
    if (client) {
        if (m_shutdown || running.generation != m_generation) {
            client->quitAndDelete();
        } else if (!d.waiting.isEmpty()) {
            run(running.key, d.waiting.dequeue(), client);
        } else {
            keepIdle(running.key, client);
        }
    }
    pump(running.key);
}

void RemoteDelivery::keepIdle(const QString &key, SmtpClient *client)
{
    m_destinations[key].idle.append(client);
    client->onFailure = [this, client](const SessionFailure &) {
        // The server closed the idle connection (or said something unasked).
        forgetIdle(client);
        client->deleteLater();
    };
    auto *timer = new QTimer(client);
    timer->setObjectName(idleTimerName);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, client] {
        forgetIdle(client);
        client->quitAndDelete();
    });
    timer->start(IdleReuseSecs * 1000);
}

void RemoteDelivery::forgetIdle(SmtpClient *client)
{
    for (auto it = m_destinations.begin(); it != m_destinations.end();) {
        it->second.idle.removeAll(client);
        const Destination &d = it->second;
        if (d.active == 0 && d.idle.isEmpty() && d.waiting.isEmpty())
            it = m_destinations.erase(it);
        else
            ++it;
    }
    stopIdleTimer(client);
}

void RemoteDelivery::closeIdle()
{
    for (auto &[key, d] : m_destinations) {
        for (SmtpClient *client : std::as_const(d.idle)) {
            stopIdleTimer(client);
            client->quitAndDelete();
        }
        d.idle.clear();
    }
}

void RemoteDelivery::shutdown()
{
    m_shutdown = true;
    const QString diagnostic = QStringLiteral("x-mailroom; delivery was shut down");
    const auto running = std::exchange(m_running, {});
    for (const auto &[attempt, r] : running) {
        disconnect(attempt, nullptr, this, nullptr);
        attempt->abort(QStringLiteral("4.3.2"), diagnostic);
        post(r.done, attempt->results());
        attempt->deleteLater();
    }
    for (auto &[key, d] : m_destinations) {
        while (!d.waiting.isEmpty()) {
            const Waiting w = d.waiting.dequeue();
            post(w.done, allDeferred(w.job, QStringLiteral("4.3.2"), diagnostic));
        }
        for (SmtpClient *client : std::as_const(d.idle)) {
            client->abort();
            client->deleteLater();
        }
    }
    m_destinations.clear();
    // The queue is stopping too: give it every result before we return.
    flushOutbox();
}

void RemoteDelivery::post(Done done, QList<queue::RecipientResult> results)
{
    m_outbox.append({ std::move(done), std::move(results) });
    m_outboxTimer.start();
}

void RemoteDelivery::flushOutbox()
{
    while (!m_outbox.isEmpty()) {
        const auto batch = std::exchange(m_outbox, {});
        for (const auto &[done, results] : batch) {
            if (done)
                done(results);
        }
    }
}

int RemoteDelivery::activeJobs() const
{
    return static_cast<int>(m_running.size());
}

int RemoteDelivery::waitingJobs() const
{
    int n = 0;
    for (const auto &[key, d] : m_destinations)
        n += static_cast<int>(d.waiting.size());
    return n;
}

int RemoteDelivery::idleConnections() const
{
    int n = 0;
    for (const auto &[key, d] : m_destinations)
        n += static_cast<int>(d.idle.size());
    return n;
}

} // namespace mailroom::delivery
