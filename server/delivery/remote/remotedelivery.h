// RemoteDelivery: the queue's DeliveryAgent for remote domains. Routes each
// job (smarthost or MX), caps connections per destination with a FIFO of
// waiting jobs, and keeps an idle connection up to 30 s for the next job to
// the same destination (RSET, then MAIL). RFC 5321 §4.1, §4.5.3.2, §5;
// RFC 3207, 3461, 7505, 6531, 2920, 4954 through its parts (see remote/*.h).
// Trust level: talks to servers on the Internet; runs entirely on the calling
// thread's event loop, never blocks, starts no thread.
#pragma once

#include <map>

#include <QList>
#include <QObject>
#include <QQueue>
#include <QTimer>

#include "delivery/remote/remoteoptions.h"
#include "queue/deliveryagent.h"

namespace mailroom::dns
{
class Resolver;
}

namespace mailroom::delivery
{

class DeliveryAttempt;
class SmtpClient;

class RemoteDelivery : public QObject, public queue::DeliveryAgent
{
    Q_OBJECT

public:
    static constexpr int IdleReuseSecs = 30;

    RemoteDelivery(dns::Resolver &resolver, RemoteOptions options, QObject *parent = nullptr);
    ~RemoteDelivery() override;

    // Settings changed at run time: new jobs use them; idle connections made
    // with the old ones are closed.
    void setOptions(RemoteOptions options);

    void deliver(
        const queue::DeliveryJob &job, std::function<void(const QList<queue::RecipientResult> &)> done) override;
    void shutdown() override;

    // For tests and the admin status: jobs running or waiting, idle connections.
    int activeJobs() const;
    int waitingJobs() const;
    int idleConnections() const;

private:
    using Done = std::function<void(const QList<queue::RecipientResult> &)>;
    struct Waiting {
        queue::DeliveryJob job;
        Done done;
    };
    struct Destination {
        int active = 0; // attempts running (each holds at most one connection)
        QList<SmtpClient *> idle;
        QQueue<Waiting> waiting;
    };

    QString destinationKey(const queue::DeliveryJob &job) const;
    void pump(const QString &key);
    void run(const QString &key, Waiting waiting, SmtpClient *kept);
    void onFinished(DeliveryAttempt *attempt);
    void keepIdle(const QString &key, SmtpClient *client);
    void forgetIdle(SmtpClient *client);
    void closeIdle();
    void post(Done done, QList<queue::RecipientResult> results);
    void flushOutbox();
    static QList<queue::RecipientResult> allDeferred(
        const queue::DeliveryJob &job, const QString &status, const QString &diagnostic);

    dns::Resolver &m_resolver;
    RemoteOptions m_options;
    std::map<QString, Destination> m_destinations;
    struct Running {
        QString key;
        Done done;
        int generation = 0;
    };
    std::map<DeliveryAttempt *, Running> m_running;
    QList<std::pair<Done, QList<queue::RecipientResult>>> m_outbox;
    QTimer m_outboxTimer;
    int m_generation = 0; // bumped by setOptions: older connections are not kept
    bool m_shutdown = false;
};

} // namespace mailroom::delivery
