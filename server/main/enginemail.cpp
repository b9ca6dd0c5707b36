// Engine, the mail half of the composition root: TLS, the queue (intake,
// scheduler and delivery agents on the "queue" thread), and SMTP sessions
// on the I/O threads. Started after the store and logging, stopped before
// them, in reverse order. Trust level: internal.
#include <QDebug>
#include <QDir>
#include <QTimer>

#include "auth/storecredentials.h"
#include "auth/throttle.h"
#include "base/events.h"
#include "delivery/dkim/dkimsigner.h"
#include "delivery/local/localdelivery.h"
#include "delivery/remote/remotedelivery.h"
#include "dns/resolver.h"
#include "main/dkimmanager.h"
#include "main/engine.h"
#include "net/connectioncounter.h"
#include "net/iothreads.h"
#include "net/listeners.h"
#include "net/tlscontext.h"
#include "queue/scheduler.h"
#include "queue/spool.h"
#include "smtp/server.h"
#include "store/directory.h"
#include "store/queuerepository.h"
#include "store/store.h"

namespace mailroom
{

namespace
{
// smtp::Directory over the store.
class StoreDirectory : public smtp::Directory
{
public:
    explicit StoreDirectory(store::Store &store)
        : m_store(store)
    {
    }
    Result<bool> isLocalDomain(const QString &domain) override
    {
        return m_store.queue().isLocalDomain(domain);
    }
    Result<QStringList> resolve(const QString &address) override
    {
        return m_store.directory().resolve(address);
    }

private:
    store::Store &m_store;
};

auth::ThrottlePolicy throttlePolicy(const config::Settings &s)
{
    auth::ThrottlePolicy p;
    p.baseDelayMs = int(s.intValue(QStringLiteral("auth.failure_delay_ms")));
    p.maxFailuresPerIp = int(s.intValue(QStringLiteral("auth.max_failures_per_ip")));
    p.maxFailuresPerUser = int(s.intValue(QStringLiteral("auth.max_failures_per_user")));
    p.windowSecs = int(s.intValue(QStringLiteral("auth.failure_window_secs")));
    return p;
}

delivery::RemoteOptions remoteOptions(const config::Settings &s, const QString &hostname, const net::TlsContext *tls)
{
    delivery::RemoteOptions o;
    o.heloName = hostname;
    o.port = quint16(s.intValue(QStringLiteral("delivery.port")));
    o.connectTimeoutSecs = int(s.intValue(QStringLiteral("delivery.connect_timeout_secs")));
    o.commandTimeoutSecs = int(s.intValue(QStringLiteral("delivery.command_timeout_secs")));
    o.dataTimeoutSecs = int(s.intValue(QStringLiteral("smtp.data_timeout_secs")));
    o.maxConnectionsPerDomain = int(s.intValue(QStringLiteral("delivery.max_connections_per_domain")));
    const QString relay = s.stringValue(QStringLiteral("relay.host"));
    const QString mode = s.stringValue(QStringLiteral("relay.tls"));
    o.relayTls = mode == u"none" ? delivery::RemoteOptions::RelayTls::None
        : mode == u"implicit"    ? delivery::RemoteOptions::RelayTls::Implicit
                                 : delivery::RemoteOptions::RelayTls::StartTls;
    o.relayPort = o.relayTls == delivery::RemoteOptions::RelayTls::Implicit ? 465 : 587;
    o.relayHost = relay;
    o.relayUsername = s.stringValue(QStringLiteral("relay.username"));
    o.relayPassword = s.stringValue(QStringLiteral("relay.password"));
    if (tls)
        o.tls = tls->clientConfiguration();
    return o;
}
} // namespace

Status Engine::startMail()
{
    const QString host = hostname();
    // TLS: a self-signed pair on first run, replaced by the admin later.
    auto tls = net::TlsContext::open(
        m_data.file(QStringLiteral("tls")), host, m_settings.stringValue(QStringLiteral("tls.min_version")));
    if (!tls)
        return tls.error();
    m_tls = std::move(tls).value();
    if (m_tls->createdOnThisStart())
        m_bus.raise(EventId::TlsCertificateCreated,
            { { QStringLiteral("hostname"), host }, { QStringLiteral("folder"), m_data.file(QStringLiteral("tls")) } });

    // Queue intake, which DKIM-signs our outgoing mail, then the scheduler
    // and its agents on the queue thread.
    m_dkimSigner = std::make_unique<delivery::DkimSigner>(*m_store, m_settings, m_bus);
    if (auto s = m_dkimSigner->reload(); !s)
        return s;
    m_spool = std::make_unique<queue::Spool>(*m_store, m_bus, host);
    m_spool->setSigner(m_dkimSigner.get());
    m_spool->start();
    m_queueThread = new QThread(this);
    m_queueThread->setObjectName(QStringLiteral("queue"));
    m_queueThread->start();
    dns::Options dnsOptions;
    dnsOptions.nameserver = m_settings.stringValue(QStringLiteral("dns.nameserver"));
    dnsOptions.timeoutMs = int(m_settings.intValue(QStringLiteral("dns.timeout_ms")));
    // Made on the queue thread itself, so their timers and socket notifiers
    // belong to it (moving an object does not move its members).
    QObject *inQueue = new QObject;
    inQueue->moveToThread(m_queueThread);
    Status made;
    const auto options = remoteOptions(m_settings, host, m_tls.get());
    QMetaObject::invokeMethod(
        inQueue,
        [&] {
            m_resolver = new dns::Resolver(dnsOptions);
            made = m_resolver->init();
            m_localDelivery = new delivery::LocalDelivery(*m_store);
            m_remoteDelivery = new delivery::RemoteDelivery(*m_resolver, options);
            m_scheduler = new queue::Scheduler(*m_store, m_settings, m_bus, *m_spool, host);
            m_scheduler->setAgents(m_localDelivery, m_remoteDelivery);
            delete inQueue;
        },
        Qt::BlockingQueuedConnection);
    if (!made)
        return made;
    connect(m_spool.get(), &queue::Spool::queued, m_scheduler, &queue::Scheduler::dispatch);
    // dkim.*: key checks ask DNS on the queue thread. A removed domain takes
    // its keys along (ON DELETE CASCADE), so the signer reads them again.
    m_dkim = std::make_unique<DkimManager>(*m_store, m_settings, *m_dkimSigner);
    m_dkim->setDnsContext(m_scheduler);
    // Retired keys older than dkim.retired_keep_days go once an hour, soon
    // after a start, and when the setting changes.
    auto removeRetired = [this] {
        if (!m_dkim)
            return;
        if (auto gone = m_dkim->removeRetiredKeys(); !gone)
            qWarning().noquote() << "retired DKIM keys could not be removed:" << gone.error().message;
    };
    m_dkimTimer = new QTimer(this);
    m_dkimTimer->setInterval(3600 * 1000);
    connect(m_dkimTimer, &QTimer::timeout, this, removeRetired);
    m_dkimTimer->start();
    QTimer::singleShot(60 * 1000, this, removeRetired);
    connect(&m_settings, &config::Settings::changed, this, [removeRetired](const QString &name) {
        if (name == u"dkim.retired_keep_days")
            removeRetired();
    });
    connect(&m_bus, &EventBus::eventRaised, this, [this](const Event &e) {
        if (e.id == EventId::DomainRemoved && m_dkimSigner)
            if (auto s = m_dkimSigner->reload(); !s)
                qWarning().noquote() << "DKIM keys could not be read again:" << s.error().message;
    });
    connect(&m_settings, &config::Settings::changed, this, [this](const QString &name) {
        if (name.startsWith(u"relay.") || name.startsWith(u"delivery."))
            applyDeliverySettings();
        if (name.startsWith(u"auth."))
            m_throttle->setPolicy(throttlePolicy(m_settings));
    });
    QMetaObject::invokeMethod(m_scheduler, &queue::Scheduler::start);

    // SMTP sessions.
    m_credentials = std::make_unique<auth::StoreCredentials>(m_store->directory());
    m_throttle = std::make_unique<auth::LoginThrottle>(throttlePolicy(m_settings));
    m_authWorkers = std::make_unique<QThreadPool>();
    m_authWorkers->setMaxThreadCount(2);
    m_authWorkers->setExpiryTimeout(-1); // each thread keeps its SQLite connection
    m_smtpConnections = std::make_unique<net::ConnectionCounter>();
    m_smtpDirectory = std::make_unique<StoreDirectory>(*m_store);
    m_smtpContext = std::make_unique<smtp::ServerContext>(smtp::ServerContext { m_settings, m_bus, *m_smtpDirectory,
        *m_spool, *m_credentials, *m_throttle, m_tls.get(), *m_authWorkers, *m_smtpConnections, host });
    m_smtpContext->filter = m_spamFilter;
    m_ioThreads = std::make_unique<net::IoThreads>(int(m_settings.intValue(QStringLiteral("server.io_threads"))));
    m_smtp = std::make_unique<smtp::SmtpServer>(*m_smtpContext, *m_ioThreads);
    for (const char *service : { "smtp", "submission", "smtps" })
        m_listeners->setSessionFactory(QLatin1String(service),
            [this, name = QString::fromLatin1(service)](qintptr fd) { m_smtp->accept(name, fd); });

    // POP3 sessions (enginepop3.cpp).
    startPop3();
    // IMAP sessions (engineimap.cpp).
    startImap();
    return {};
}

namespace
{
admin::CertificateView certificateView(const net::CertificateInfo &i)
{
    return { i.subject, i.issuer, i.sha256Fingerprint, i.keyType, i.dnsNames, i.notBefore, i.notAfter, i.selfSigned };
}
} // namespace

admin::CertificateView Engine::certificate() const
{
    return certificateView(m_tls->info());
}

QList<QPair<QString, admin::CertificateView>> Engine::domainCertificates() const
{
    QList<QPair<QString, admin::CertificateView>> out;
    for (const auto &[domain, info] : m_tls->domainCertificates())
        out.append({ domain, certificateView(info) });
    return out;
}

Status Engine::replacePem(const QByteArray &certificateChain, const QByteArray &privateKey, const QString &domain)
{
    if (auto s = m_tls->replacePem(certificateChain, privateKey, domain); !s)
        return s;
    applyDeliverySettings(); // outbound uses the same context's client side
    return {};
}

Status Engine::replacePkcs12(const QByteArray &bundle, const QString &passphrase, const QString &domain)
{
    if (auto s = m_tls->replacePkcs12(bundle, passphrase, domain); !s)
        return s;
    applyDeliverySettings();
    return {};
}

Status Engine::removeDomainCertificate(const QString &domain)
{
    return m_tls->removeDomain(domain);
}

void Engine::applyDeliverySettings()
{
    if (!m_remoteDelivery)
        return;
    const auto options = remoteOptions(m_settings, hostname(), m_tls.get());
    QMetaObject::invokeMethod(m_remoteDelivery, [r = m_remoteDelivery, options] { r->setOptions(options); });
}

void Engine::stopMail()
{
    // No new sessions, then the sessions go (on their threads), then the
    // intake finishes what it was given, then the queue stops. IMAP
    // commands still running on their pool refer to their sessions, so
    // they finish before the sessions go.
    if (m_imapWorkers)
        m_imapWorkers->waitForDone();
    m_ioThreads.reset();
    m_smtp.reset();
    stopPop3(); // its sessions went with the I/O threads
    stopImap();
    if (m_spool)
        m_spool->stop();
    delete m_dkimTimer;
    m_dkimTimer = nullptr;
    m_dkim.reset();
    if (m_queueThread) {
        QMetaObject::invokeMethod(
            m_scheduler,
            [this] {
                m_scheduler->shutdown();
                delete m_scheduler;
                delete m_remoteDelivery;
                delete m_localDelivery;
                delete m_resolver;
            },
            Qt::BlockingQueuedConnection);
        m_scheduler = nullptr;
        m_remoteDelivery = nullptr;
        m_localDelivery = nullptr;
        m_resolver = nullptr;
        m_queueThread->quit();
        m_queueThread->wait();
        delete m_queueThread;
        m_queueThread = nullptr;
    }
    m_spool.reset();
    m_dkimSigner.reset();
    m_smtpContext.reset();
    m_smtpDirectory.reset();
    if (m_authWorkers)
        m_authWorkers->waitForDone();
    m_authWorkers.reset();
    m_throttle.reset();
    m_credentials.reset();
    m_smtpConnections.reset();
    m_tls.reset();
}

} // namespace mailroom
