// Engine: mailroomd's composition root. It owns every service, wires them
// (lower layers define interfaces, the engine connects them), starts them in
// order and stops them in reverse (STYLE rule 11). Trust level: internal.
#pragma once

#include <memory>

#include <QDateTime>
#include <QMutex>
#include <QObject>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

#include "admin/services.h"
#include "base/events.h"
#include "config/settings.h"
#include "main/datafolder.h"

namespace mailroom
{

namespace store
{
class Store;
}
namespace telemetry
{
class LogPipeline;
}
namespace net
{
class Listeners;
}
namespace admin
{
class AdminServer;
}
namespace net
{
class TlsContext;
class IoThreads;
class ConnectionCounter;
} // namespace net
namespace queue
{
class Spool;
class Scheduler;
} // namespace queue
namespace delivery
{
class LocalDelivery;
class RemoteDelivery;
class DkimSigner;
} // namespace delivery
namespace dns
{
class Resolver;
}
namespace auth
{
class StoreCredentials;
class LoginThrottle;
} // namespace auth
namespace smtp
{
class SmtpServer;
class Directory;
struct ServerContext;
} // namespace smtp
namespace pop3
{
class Pop3Server;
struct ServerContext;
} // namespace pop3
namespace imap
{
class ImapServer;
struct ServerContext;
} // namespace imap
namespace spam
{
class BayesFilter;
class Filter;
class Reputation;
class RuleSet;
struct FilterSettings;
struct TrainingCounts;
} // namespace spam
namespace mailauth
{
class ResolverLookup;
}
class DkimManager;

class Engine : public QObject,
               public admin::StatusProvider,
               public admin::TlsManager,
               public admin::MessageReader,
               public admin::SpamService
{
    Q_OBJECT
public:
    Engine(config::Settings &settings, const QString &dataFolder, QObject *parent = nullptr);
    ~Engine() override;

    // Starts everything; on failure returns the sysexits code and prints why.
    int start();
    void stop(const QString &reason);

    // admin::StatusProvider
    QDateTime startedAt() const override;
    QString dataFolder() const override;
    QString hostname() const override;
    QList<admin::ListenerInfo> listeners() const override;

    // admin::TlsManager
    admin::CertificateView certificate() const override;
    QList<QPair<QString, admin::CertificateView>> domainCertificates() const override;
    Status replacePem(const QByteArray &certificateChain, const QByteArray &privateKey, const QString &domain) override;
    Status replacePkcs12(const QByteArray &bundle, const QString &passphrase, const QString &domain) override;
    Status removeDomainCertificate(const QString &domain) override;

    // admin::MessageReader (enginemessages.cpp)
    admin::MessageView readMessage(const QByteArray &message, qsizetype maxTextChars) const override;

    // admin::SpamService (enginespam.cpp)
    admin::SpamScoreView scoreMessage(const QByteArray &message) const override;
    Result<admin::SpamTrainingView> train(const QList<QByteArray> &messages, bool spam, qint64 userScope) override;
    admin::SpamStatusView spamStatus(qint64 userScope) const override;
    QList<admin::SpamScoreEntry> scoreTable() const override;
    Status reloadSpamPolicy() override;
    Result<QString> normalizeListPattern(const QString &pattern) const override;

private:
    int fail(int code, const QString &message);
    Status loadStoredSettings();
    Status startMail();
    void stopMail();
    // POP3 (enginepop3.cpp), called from startMail/stopMail.
    void startPop3();
    void stopPop3();
    // IMAP (engineimap.cpp), called from startMail/stopMail.
    void startImap();
    void stopImap();
    void applyDeliverySettings();
    // Spam (enginespam.cpp): the Bayes filter and its training from Junk moves.
    Status startSpam();
    void stopSpam();
    spam::FilterSettings spamSettings() const;
    void learned(const Result<spam::TrainingCounts> &r, qsizetype count, bool spam, const QString &source);

    config::Settings &m_settings;
    DataFolder m_data;
    EventBus m_bus;
    QDateTime m_startedAt;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<telemetry::LogPipeline> m_logs;
    std::unique_ptr<net::Listeners> m_listeners;
    // Mail: TLS, the queue (intake, scheduler on its own thread, agents),
    // and the SMTP sessions on the I/O threads.
    std::unique_ptr<net::TlsContext> m_tls;
    std::unique_ptr<queue::Spool> m_spool;
    QThread *m_queueThread = nullptr;
    queue::Scheduler *m_scheduler = nullptr; // lives on m_queueThread
    delivery::LocalDelivery *m_localDelivery = nullptr;
    delivery::RemoteDelivery *m_remoteDelivery = nullptr;
    dns::Resolver *m_resolver = nullptr;
    // DKIM: the spool's signer and the dkim.* admin service (dkimmanager.h).
    std::unique_ptr<delivery::DkimSigner> m_dkimSigner;
    std::unique_ptr<DkimManager> m_dkim;
    std::unique_ptr<auth::StoreCredentials> m_credentials;
    std::unique_ptr<auth::LoginThrottle> m_throttle;
    std::unique_ptr<QThreadPool> m_authWorkers;
    std::unique_ptr<net::ConnectionCounter> m_smtpConnections;
    std::unique_ptr<smtp::Directory> m_smtpDirectory;
    std::unique_ptr<smtp::ServerContext> m_smtpContext;
    std::unique_ptr<net::IoThreads> m_ioThreads;
    std::unique_ptr<smtp::SmtpServer> m_smtp;
    // POP3 sessions (enginepop3.cpp); they share TLS, credentials, throttle,
    // workers and I/O threads with SMTP.
    std::unique_ptr<net::ConnectionCounter> m_pop3Connections;
    std::unique_ptr<pop3::ServerContext> m_pop3Context;
    std::unique_ptr<pop3::Pop3Server> m_pop3;
    // IMAP sessions (engineimap.cpp): the same shared parts, plus the pool
    // that runs their commands against the store.
    std::unique_ptr<net::ConnectionCounter> m_imapConnections;
    std::unique_ptr<QThreadPool> m_imapWorkers;
    std::unique_ptr<imap::ServerContext> m_imapContext;
    std::unique_ptr<imap::ImapServer> m_imap;
    std::unique_ptr<spam::BayesFilter> m_bayes;
    std::unique_ptr<QThreadPool> m_spamWorkers; // one thread: training in order
    // The spam pipeline with its own resolver, on a thread of its own.
    QThread *m_spamThread = nullptr;
    dns::Resolver *m_spamResolver = nullptr;
    mailauth::ResolverLookup *m_spamLookup = nullptr;
    spam::Filter *m_spamFilter = nullptr;
    // The rule files' table; the admins' score changes go over a copy.
    std::shared_ptr<const spam::RuleSet> m_spamFileRules;
    std::unique_ptr<spam::Reputation> m_reputation;
    QMutex m_spamPolicyMutex; // one reload at a time
    QTimer *m_quarantineTimer = nullptr;
    QTimer *m_dkimTimer = nullptr;
    std::unique_ptr<admin::Services> m_services;
    std::unique_ptr<admin::AdminServer> m_admin;
    bool m_running = false;
};

} // namespace mailroom
