// Scheduler: picks due recipients from the queue and hands them to the
// delivery agents, a bounded number at a time (queue.max_active), then
// records each recipient's outcome: delivered, deferred with exponential
// backoff (queue.retry_first_secs doubling up to queue.retry_max_secs), or
// failed, which sends the sender a DSN bounce (RFC 3464) unless the sender
// is the null path. NOTIFY=SUCCESS gets a success report (delivered, or
// relayed for remote hops). A recipient queued longer than queue.max_age_secs fails;
// one still waiting after queue.delay_warning_secs gets the sender one delay
// notice. Postfix qmgr(8) in miniature. Trust level: internal.
// Runs on its own thread (the engine moves it there); nothing here blocks on
// the network: agents work asynchronously and call back on this thread.
#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include "queue/deliveryagent.h"
#include "queue/dsn.h"
#include "queue/submitter.h"
#include "store/queuerepository.h"

namespace mailroom
{
class EventBus;
namespace config
{
class Settings;
}
namespace store
{
class Store;
} // namespace store
} // namespace mailroom

namespace mailroom::queue
{

class Submitter;

class Scheduler : public QObject
{
    Q_OBJECT
public:
    Scheduler(store::Store &store, config::Settings &settings, EventBus &bus, Submitter &submitter, QString hostname);
    void setAgents(DeliveryAgent *local, DeliveryAgent *remote);

    // Slots, called on the scheduler's thread.
    void start();
    void wake(); // an admin action or a start: reports, tidying, then due work
    void dispatch(); // new mail: look for due work now
    void shutdown();
    int activeCount() const
    {
        return int(m_active.size());
    }

private:
    void onResults(const DeliveryJob &job, const QList<RecipientResult> &results);
    void deferOrExpire(const store::DueRecipient &r, const RecipientResult &res);
    void sendReports(qint64 messageId);
    void sendDelayNotice(const store::DueRecipient &r, const RecipientResult &res);
    void sendSuccessNotice(const store::DueRecipient &r, const RecipientResult &res, bool relayed);
    QFuture<SubmitResult> sendNotice(const store::DueRecipient &r,
        const RecipientResult &res,
        DsnRecipient::Action action,
        const QString &defaultStatus,
        const QDateTime &willRetryUntil);
    void tidy(qint64 messageId); // soon, with the others settled meanwhile
    void tidyNow();
    void dispatchSoon();
    qint64 backoffMs(int attempts) const;
    QByteArray readOriginal(const QString &blobHash, qint64 limit) const;

    store::Store &m_store;
    config::Settings &m_settings;
    EventBus &m_bus;
    Submitter &m_submitter;
    QString m_hostname;
    DeliveryAgent *m_local = nullptr;
    DeliveryAgent *m_remote = nullptr;
    QSet<qint64> m_active; // recipient ids being delivered
    QSet<qint64> m_reporting; // messages whose bounce is being queued
    QHash<qint64, store::DueRecipient> m_inFlight;
    QSet<qint64> m_toTidy; // messages whose recipients were settled
    QTimer m_timer;
    bool m_stopping = false;
    bool m_tidyScheduled = false;
    bool m_dispatchScheduled = false;
};

} // namespace mailroom::queue
