// DeliveryAttempt (see deliveryattempt.h). Routing outcomes: NXDOMAIN →
// Failed 5.1.2; null MX → Failed 5.1.10 (RFC 7505 §4.1 suggests "556 5.1.10");
// DNS trouble → Deferred 4.4.3; no server took the session → Deferred 4.4.1
// with the last error; lost mid-transaction → Deferred 4.4.2 (SmtpClient).
// Trust level: DNS answers and servers on the Internet.
#include "delivery/remote/deliveryattempt.h"

#include <QTimer>

#include "delivery/logging.h"
#include "delivery/remote/mxplan.h"
#include "delivery/remote/routewalker.h"
#include "dns/resolver.h"

namespace mailroom::delivery
{

ClientSettings clientSettingsFor(const RemoteOptions &options)
{
    ClientSettings s;
    s.heloName = options.heloName;
    s.connectTimeoutSecs = options.connectTimeoutSecs;
    s.commandTimeoutSecs = options.commandTimeoutSecs;
    s.dataTimeoutSecs = options.dataTimeoutSecs;
    s.tlsConfig = options.tls;
    if (options.relayHost.isEmpty())
        return s; // MX: opportunistic STARTTLS, no AUTH
    switch (options.relayTls) {
    case RemoteOptions::RelayTls::None:
        s.tls = ClientSettings::Tls::Off;
        break;
    case RemoteOptions::RelayTls::StartTls:
        s.tls = ClientSettings::Tls::Required;
        break;
    case RemoteOptions::RelayTls::Implicit:
        s.tls = ClientSettings::Tls::Implicit;
        break;
    }
    s.username = options.relayUsername;
    s.password = options.relayPassword;
    return s;
}

DeliveryAttempt::DeliveryAttempt(
    dns::Resolver &resolver, const RemoteOptions &options, queue::DeliveryJob job, QObject *parent)
    : QObject(parent)
    , m_resolver(resolver)
    , m_options(options)
    , m_settings(clientSettingsFor(options))
    , m_job(std::move(job))
    , m_results(m_job.recipients.size())
{
}

DeliveryAttempt::~DeliveryAttempt()
{
    m_transaction.reset();
    if (m_client && !m_keep)
        dropClient();
}

void DeliveryAttempt::start(SmtpClient *kept)
{
    if (!kept) {
        // Even a routing answer from the cache comes later; the first step
        // here is posted so that finished() never fires inside start().
        QTimer::singleShot(0, this, &DeliveryAttempt::startFresh);
        return;
    }
    m_client = kept;
    m_client->setParent(this);
    auto fallback = [this](const SessionFailure &) {
        // The kept connection died or refused RSET: start over on a new one.
        dropClient();
        startFresh();
    };
    m_client->onFailure = fallback;
    m_client->reset([this, fallback](bool ok) {
        if (ok)
            startTransaction();
        else
            fallback({});
    });
}

void DeliveryAttempt::startFresh()
{
    if (m_finished)
        return;
    if (!m_options.relayHost.isEmpty()) {
        const auto hp = parseHostPort(m_options.relayHost, m_options.relayPort);
        if (!hp) {
            settle(queue::Outcome::Deferred, QStringLiteral("4.3.5"),
                QStringLiteral("x-mailroom; relay.host \"%1\" is not host or host:port").arg(m_options.relayHost));
            return;
        }
        walk(QStringList { hp->host }, hp->port);
        return;
    }
    QPointer<DeliveryAttempt> self(this);
    m_resolver.lookupMx(m_job.domain, [self](const dns::Reply<dns::MxRecord> &reply) {
        if (self)
            self->onMx(reply);
    });
}

void DeliveryAttempt::onMx(const dns::Reply<dns::MxRecord> &reply)
{
    if (m_finished)
        return;
    QRandomGenerator *random = QRandomGenerator::global();
    const MxPlan plan = planMx(m_job.domain, reply, *random);
    switch (plan.kind) {
    case MxPlan::Kind::NullMx:
        settle(queue::Outcome::Failed, QStringLiteral("5.1.10"),
            QStringLiteral("smtp; 556 5.1.10 Recipient address has null MX"));
        return;
    case MxPlan::Kind::NoDomain:
        settle(queue::Outcome::Failed, QStringLiteral("5.1.2"), QStringLiteral("x-mailroom; %1").arg(plan.error));
        return;
    case MxPlan::Kind::TempFail:
        settle(queue::Outcome::Deferred, QStringLiteral("4.4.3"), QStringLiteral("x-mailroom; %1").arg(plan.error));
        return;
    case MxPlan::Kind::Hosts:
        break;
    }
    m_implicitMx = reply.rcode == dns::Rcode::NoData;
    walk(plan.hosts, m_options.port);
}

void DeliveryAttempt::walk(const QStringList &hosts, quint16 port)
{
    m_walker = new RouteWalker(m_resolver, hosts, port, this);
    tryNext();
}

void DeliveryAttempt::tryNext()
{
    m_walker->next([this](std::optional<Target> target) {
        if (m_finished)
            return;
        if (target) {
            tryTarget(*target, true);
            return;
        }
        if (m_triedAny) {
            settle(queue::Outcome::Deferred, QStringLiteral("4.4.1"), m_lastError);
        } else if (m_walker->sawTempFail() || !m_implicitMx) {
            const QString why = m_walker->sawTempFail()
                ? m_walker->lastLookupError()
                : QStringLiteral("no mail host of %1 has an address")
                      .arg(m_options.relayHost.isEmpty() ? m_job.domain : m_options.relayHost);
            settle(queue::Outcome::Deferred, QStringLiteral("4.4.3"), QStringLiteral("x-mailroom; %1").arg(why));
        } else {
            settle(queue::Outcome::Failed, QStringLiteral("5.4.4"),
                QStringLiteral("x-mailroom; domain %1 has neither MX nor address records").arg(m_job.domain));
        }
    });
}

void DeliveryAttempt::tryTarget(const Target &target, bool allowTls)
{
    m_triedAny = true;
    m_client = new SmtpClient(m_settings, this);
    m_client->onReady = [this] { startTransaction(); };
    m_client->onFailure = [this, target, allowTls](const SessionFailure &f) { onClientFailure(target, allowTls, f); };
    m_client->open(target, allowTls);
}

void DeliveryAttempt::onClientFailure(const Target &target, bool allowTls, const SessionFailure &failure)
{
    dropClient();
    switch (failure.kind) {
    case SessionFailure::Kind::RetryWithoutTls:
        if (allowTls) {
            qCInfo(lcDelivery).noquote() << m_job.queueId << "TLS handshake with" << target.remoteMta()
                                         << "failed; retrying without TLS:" << failure.diagnostic;
            tryTarget(target, false);
            return;
        }
        [[fallthrough]];
    case SessionFailure::Kind::NextHost:
        qCInfo(lcDelivery).noquote() << m_job.queueId << "no session with" << target.remoteMta() << "-"
                                     << failure.diagnostic;
        m_lastError = failure.diagnostic;
        tryNext();
        return;
    case SessionFailure::Kind::Final:
        settle(failure.outcome, failure.status, failure.diagnostic);
        return;
    }
}

void DeliveryAttempt::startTransaction()
{
    m_client->onReady = nullptr;
    m_transaction = std::make_unique<Transaction>(*m_client, m_job, m_results, [this](bool reusable) {
        // Runs inside a client callback: let the stack unwind before anyone
        // reuses or deletes the client.
        QTimer::singleShot(0, this, [this, reusable] { finish(reusable); });
    });
    m_transaction->start();
}

void DeliveryAttempt::settle(queue::Outcome outcome, const QString &status, const QString &diagnostic)
{
    for (int i = 0; i < m_results.size(); ++i) {
        if (m_results.at(i))
            continue;
        queue::RecipientResult r;
        r.recipientId = m_job.recipients.at(i).id;
        r.outcome = outcome;
        r.status = status;
        r.diagnostic = diagnostic;
        m_results[i] = r;
    }
    finish(false);
}

void DeliveryAttempt::finish(bool keepClient)
{
    if (m_finished)
        return;
    m_finished = true;
    m_keep = keepClient && m_client && m_client->isReusable();
    if (!m_keep && m_client)
        dropClient();
    int delivered = 0, deferred = 0, failed = 0;
    for (const auto &r : std::as_const(m_results)) {
        if (!r || r->outcome == queue::Outcome::Deferred)
            ++deferred;
        else if (r->outcome == queue::Outcome::Delivered)
            ++delivered;
        else
            ++failed;
    }
    qCInfo(lcDelivery).noquote() << m_job.queueId << m_job.domain << "delivered" << delivered << "deferred" << deferred
                                 << "failed" << failed;
    Q_EMIT finished(this);
}

void DeliveryAttempt::abort(const QString &status, const QString &diagnostic)
{
    if (m_finished)
        return;
    m_transaction.reset();
    if (m_client)
        dropClient();
    for (int i = 0; i < m_results.size(); ++i) {
        if (m_results.at(i))
            continue;
        m_results[i] = queue::RecipientResult { m_job.recipients.at(i).id, queue::Outcome::Deferred, status, diagnostic,
            QString() };
    }
    m_finished = true;
}

QList<queue::RecipientResult> DeliveryAttempt::results() const
{
    QList<queue::RecipientResult> out;
    for (int i = 0; i < m_results.size(); ++i) {
        if (m_results.at(i)) {
            out.append(*m_results.at(i));
            continue;
        }
        // Cannot happen; never leave a recipient without a result.
        out.append(queue::RecipientResult { m_job.recipients.at(i).id, queue::Outcome::Deferred,
            QStringLiteral("4.3.0"), QStringLiteral("x-mailroom; internal error: no result"), QString() });
    }
    return out;
}

SmtpClient *DeliveryAttempt::takeClient()
{
    if (!m_keep || !m_client)
        return nullptr;
    SmtpClient *c = m_client;
    m_client = nullptr;
    m_keep = false;
    c->onFailure = nullptr;
    c->onReady = nullptr;
    return c;
}

void DeliveryAttempt::dropClient()
{
    if (!m_client)
        return;
    m_client->abort();
    m_client->deleteLater();
    m_client = nullptr;
}

} // namespace mailroom::delivery
