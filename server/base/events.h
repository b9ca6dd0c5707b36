// The typed event catalog and the bus that carries events to the log sinks.
// Trust level: internal. Every operational message of the engine is an Event
// with an id from the catalog (STYLE rule 10): sinks (logs.db, text log, the
// console's live tail) get the same structured record. Field values whose key
// names a secret are masked before any sink sees them.
#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QObject>
#include <QVariantMap>

namespace mailroom
{

enum class Severity { Debug = 0, Info = 1, Warning = 2, Error = 3 };

const char *severityName(Severity s);
std::optional<Severity> severityFromName(const QString &name);

enum class EventId : quint16 {
    // engine life cycle (module "main")
    EngineStarting,
    EngineStarted,
    EngineStopping,
    EngineStopped,
    FirstRunSetup,
    // configuration (module "config")
    SettingChanged,
    ConfigFileLoaded,
    // store
    StoreOpened,
    StoreMigrated,
    StoreError,
    DomainAdded,
    DomainUpdated,
    DomainRemoved,
    UserAdded,
    UserUpdated,
    UserRemoved,
    UserPasswordChanged,
    AliasAdded,
    AliasUpdated,
    AliasRemoved,
    // net
    ListenerStarted,
    ListenerFailed,
    ConnectionServiceUnavailable,
    // admin socket
    AdminConnected,
    AdminDisconnected,
    AdminRejected,
    AdminBadFrame,
    AdminRequestFailed,
    // telemetry
    LogRotated,
    // smtp
    SmtpConnected,
    SmtpDisconnected,
    SmtpRejected,
    SmtpLimit,
    SmtpAuthSucceeded,
    SmtpAuthFailed,
    SmtpTlsFailed,
    // pop3
    Pop3Connected,
    Pop3Disconnected,
    Pop3Rejected,
    Pop3Limit,
    Pop3AuthSucceeded,
    Pop3AuthFailed,
    Pop3TlsFailed,
    Pop3Updated,
    Pop3StoreFailed,
    // imap
    ImapConnected,
    ImapDisconnected,
    ImapLimit,
    ImapAuthSucceeded,
    ImapAuthFailed,
    ImapTlsFailed,
    ImapCommandFailed,
    // queue and delivery
    MessageQueued,
    MessageDelivered,
    MessageDeferred,
    MessageBounced,
    MessageRemoved,
    QueueError,
    // TLS
    TlsCertificateCreated,
    // DKIM keys and signing
    DkimKeyCreated,
    DkimKeyActivated,
    DkimKeyRemoved,
    DkimKeyExpired,
    DkimSignFailed,
    DkimSignRefused,
    // spam
    SpamTrained,
    SpamError,
    Count_ // keep last
};

struct EventType {
    EventId id;
    const char *name; // stable, snake case: "user_added"
    const char *module; // "store", "admin", ...
    Severity severity;
    const char *format; // "{field}" placeholders filled from the event's fields
};

const EventType &eventType(EventId id);

struct Event {
    EventId id = EventId::EngineStarting;
    QDateTime time;
    QVariantMap fields;

    const EventType &type() const
    {
        return eventType(id);
    }
    QString text() const; // format with fields substituted
};

// Carries events from any thread to the sinks. raise() may be called from any
// thread; the signal is delivered to each receiver in its own thread.
class EventBus : public QObject
{
    Q_OBJECT
public:
    explicit EventBus(QObject *parent = nullptr);
    void raise(EventId id, QVariantMap fields = {});
    static bool isSecretKey(const QString &key);

Q_SIGNALS:
    void eventRaised(const mailroom::Event &event);
};

} // namespace mailroom

Q_DECLARE_METATYPE(mailroom::Event)
