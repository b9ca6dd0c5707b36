// One delivery job from start to results: route (smarthost, or MX with the
// implicit-MX and null-MX rules), walk the addresses until a server takes the
// session, run the transaction, and report whether the connection can stay.
// RFC 5321 §5.1 (locating the target host), §4.5.4.1 (try the next MX);
// RFC 7505 (null MX); RFC 3207 (a failed opportunistic handshake is retried
// once in clear).
// Trust level: talks to DNS and to servers on the Internet.
#pragma once

#include <memory>

#include <QObject>
#include <QPointer>

#include "delivery/remote/remoteoptions.h"
#include "delivery/remote/smtpclient.h"
#include "delivery/remote/transaction.h"
#include "dns/types.h"
#include "queue/deliveryagent.h"

namespace mailroom::dns
{
class Resolver;
}

namespace mailroom::delivery
{

class RouteWalker;

// The client settings for a route: MX hosts get opportunistic TLS and no
// AUTH; the smarthost gets relay.tls and the credentials.
ClientSettings clientSettingsFor(const RemoteOptions &options);

class DeliveryAttempt : public QObject
{
    Q_OBJECT

public:
    DeliveryAttempt(dns::Resolver &resolver, const RemoteOptions &options, queue::DeliveryJob job, QObject *parent);
    ~DeliveryAttempt() override;

    // `kept`: an idle connection to the same destination (RSET, then MAIL),
    // or nullptr to route and connect. finished() follows, never synchronously
    // inside start().
    void start(SmtpClient *kept);
    // Shutdown: closes the connection and settles every open recipient; no
    // finished() signal.
    void abort(const QString &status, const QString &diagnostic);

    const queue::DeliveryJob &job() const
    {
        return m_job;
    }
    // One result per recipient, in job order.
    QList<queue::RecipientResult> results() const;
    // After finished(): the connection to keep for the next job, or nullptr.
    SmtpClient *takeClient();

Q_SIGNALS:
    void finished(mailroom::delivery::DeliveryAttempt *attempt);

private:
    void startFresh();
    void onMx(const dns::Reply<dns::MxRecord> &reply);
    void walk(const QStringList &hosts, quint16 port);
    void tryNext();
    void tryTarget(const Target &target, bool allowTls);
    void onClientFailure(const Target &target, bool allowTls, const SessionFailure &failure);
    void startTransaction();
    void settle(queue::Outcome outcome, const QString &status, const QString &diagnostic);
    void finish(bool keepClient);
    void dropClient();

    dns::Resolver &m_resolver;
    RemoteOptions m_options;
    ClientSettings m_settings;
    queue::DeliveryJob m_job;
    ResultSlots m_results;
    RouteWalker *m_walker = nullptr;
    SmtpClient *m_client = nullptr;
    std::unique_ptr<Transaction> m_transaction;
    bool m_implicitMx = false;
    bool m_triedAny = false;
    QString m_lastError;
    bool m_finished = false;
    bool m_keep = false;
};

} // namespace mailroom::delivery
