#include "base/events.h"

#include <array>

#include <QRegularExpression>

#include "base/result.h"

namespace mailroom
{

namespace
{
using S = Severity;
// The catalog. Order must follow EventId; checked at start-up by eventType().
constexpr std::array<EventType, size_t(EventId::Count_)> kCatalog { {
    { EventId::EngineStarting, "engine_starting", "main", S::Info,
        "mailroomd {version} starting with data folder {data}" },
    { EventId::EngineStarted, "engine_started", "main", S::Info, "mailroomd started in {ms} ms" },
    { EventId::EngineStopping, "engine_stopping", "main", S::Info, "mailroomd stopping ({reason})" },
    { EventId::EngineStopped, "engine_stopped", "main", S::Info, "mailroomd stopped" },
    { EventId::FirstRunSetup, "first_run_setup", "main", S::Info,
        "first run: created domain {domain} and user {user}" },
    { EventId::SettingChanged, "setting_changed", "config", S::Info, "setting {name} changed to {value}" },
    { EventId::ConfigFileLoaded, "config_file_loaded", "config", S::Info, "read {count} settings from {file}" },
    { EventId::StoreOpened, "store_opened", "store", S::Info, "opened {file} at schema version {version}" },
    { EventId::StoreMigrated, "store_migrated", "store", S::Info, "migrated {file} from schema {from} to {to}" },
    { EventId::StoreError, "store_error", "store", S::Error, "store error: {error}" },
    { EventId::DomainAdded, "domain_added", "store", S::Info, "domain {domain} added" },
    { EventId::DomainUpdated, "domain_updated", "store", S::Info, "domain {domain} updated" },
    { EventId::DomainRemoved, "domain_removed", "store", S::Info, "domain {domain} removed" },
    { EventId::UserAdded, "user_added", "store", S::Info, "user {user} added" },
    { EventId::UserUpdated, "user_updated", "store", S::Info, "user {user} updated" },
    { EventId::UserRemoved, "user_removed", "store", S::Info, "user {user} removed" },
    { EventId::UserPasswordChanged, "user_password_changed", "store", S::Info, "password of {user} changed" },
    { EventId::AliasAdded, "alias_added", "store", S::Info, "alias {alias} added" },
    { EventId::AliasUpdated, "alias_updated", "store", S::Info, "alias {alias} now points to new targets" },
    { EventId::AliasRemoved, "alias_removed", "store", S::Info, "alias {alias} removed" },
    { EventId::ListenerStarted, "listener_started", "net", S::Info, "{service} listening on {address}:{port}" },
    { EventId::ListenerFailed, "listener_failed", "net", S::Error,
        "{service} cannot listen on {address}:{port}: {error}" },
    { EventId::ConnectionServiceUnavailable, "connection_service_unavailable", "net", S::Warning,
        "{service} connection from {peer} refused: the protocol is not enabled in this build" },
    { EventId::AdminConnected, "admin_connected", "admin", S::Debug, "admin client connected (uid {uid})" },
    { EventId::AdminDisconnected, "admin_disconnected", "admin", S::Debug, "admin client disconnected (uid {uid})" },
    { EventId::AdminRejected, "admin_rejected", "admin", S::Warning, "admin connection refused: {reason}" },
    { EventId::AdminBadFrame, "admin_bad_frame", "admin", S::Warning, "admin client sent a bad frame: {reason}" },
    { EventId::AdminRequestFailed, "admin_request_failed", "admin", S::Info, "{method} failed: {code}: {error}" },
    { EventId::LogRotated, "log_rotated", "telemetry", S::Info, "rotated {what}: {detail}" },
    { EventId::SmtpConnected, "smtp_connected", "smtp", S::Debug, "{service} connection from {peer}" },
    { EventId::SmtpDisconnected, "smtp_disconnected", "smtp", S::Debug, "{service} {peer} disconnected: {reason}" },
    { EventId::SmtpRejected, "smtp_rejected", "smtp", S::Info,
        "{service} {peer}: {command} refused with {code} {status}: {reason}" },
    { EventId::SmtpLimit, "smtp_limit", "smtp", S::Warning, "{service} {peer}: {reason}" },
    { EventId::SmtpAuthSucceeded, "smtp_auth_succeeded", "smtp", S::Info,
        "{service} {peer}: {user} logged in with {mechanism}" },
    { EventId::SmtpAuthFailed, "smtp_auth_failed", "smtp", S::Warning,
        "{service} {peer}: login failed for \"{user}\" with {mechanism}: {reason}" },
    { EventId::SmtpTlsFailed, "smtp_tls_failed", "smtp", S::Info, "{service} {peer}: TLS handshake failed: {error}" },
    { EventId::Pop3Connected, "pop3_connected", "pop3", S::Debug, "{service} connection from {peer}" },
    { EventId::Pop3Disconnected, "pop3_disconnected", "pop3", S::Debug, "{service} {peer} disconnected: {reason}" },
    { EventId::Pop3Rejected, "pop3_rejected", "pop3", S::Info, "{service} {peer}: {command} refused: {reason}" },
    { EventId::Pop3Limit, "pop3_limit", "pop3", S::Warning, "{service} {peer}: {reason}" },
    { EventId::Pop3AuthSucceeded, "pop3_auth_succeeded", "pop3", S::Info,
        "{service} {peer}: {user} logged in with {mechanism}" },
    { EventId::Pop3AuthFailed, "pop3_auth_failed", "pop3", S::Warning,
        "{service} {peer}: login failed for \"{user}\" with {mechanism}: {reason}" },
    { EventId::Pop3TlsFailed, "pop3_tls_failed", "pop3", S::Info, "{service} {peer}: TLS handshake failed: {error}" },
    { EventId::Pop3Updated, "pop3_updated", "pop3", S::Info,
        "{service} {peer}: {user} quit: {deleted} messages deleted, {seen} marked seen" },
    { EventId::Pop3StoreFailed, "pop3_store_failed", "pop3", S::Error,
        "{service} {peer}: {operation} for {user} failed: {error}" },
    { EventId::ImapConnected, "imap_connected", "imap", S::Debug, "{service} connection from {peer}" },
    { EventId::ImapDisconnected, "imap_disconnected", "imap", S::Debug, "{service} {peer} disconnected: {reason}" },
    { EventId::ImapLimit, "imap_limit", "imap", S::Warning, "{service} {peer}: {reason}" },
    { EventId::ImapAuthSucceeded, "imap_auth_succeeded", "imap", S::Info,
        "{service} {peer}: {user} logged in ({mechanism})" },
    { EventId::ImapAuthFailed, "imap_auth_failed", "imap", S::Warning,
        "{service} {peer}: login failed for {user} ({mechanism}): {reason}" },
    { EventId::ImapTlsFailed, "imap_tls_failed", "imap", S::Info, "{service} {peer}: TLS handshake failed: {error}" },
    { EventId::ImapCommandFailed, "imap_command_failed", "imap", S::Warning,
        "{service} {peer}: {command} for {user} failed: {error}" },
    { EventId::MessageQueued, "message_queued", "queue", S::Info,
        "{queue_id} queued from <{sender}> for {recipients} ({size} bytes) via {service} from {peer}" },
    { EventId::MessageDelivered, "message_delivered", "delivery", S::Info, "{queue_id} to <{recipient}>: {detail}" },
    { EventId::MessageDeferred, "message_deferred", "delivery", S::Warning,
        "{queue_id} to <{recipient}> deferred: {detail}" },
    { EventId::MessageBounced, "message_bounced", "delivery", S::Warning,
        "{queue_id} to <{recipient}> failed: {detail}" },
    { EventId::MessageRemoved, "message_removed", "queue", S::Info, "{queue_id} left the queue: {reason}" },
    { EventId::QueueError, "queue_error", "queue", S::Error, "queue: {error}" },
    { EventId::TlsCertificateCreated, "tls_certificate_created", "net", S::Info,
        "made a self-signed certificate for {hostname} in {folder}" },
    { EventId::DkimKeyCreated, "dkim_key_created", "store", S::Info,
        "DKIM key {selector} ({algorithm}) made for {domain}; publish it in DNS, then activate it" },
    { EventId::DkimKeyActivated, "dkim_key_activated", "store", S::Info,
        "DKIM key {selector} ({algorithm}) of {domain} signs now{retired}" },
    { EventId::DkimKeyRemoved, "dkim_key_removed", "store", S::Info, "DKIM key {selector} of {domain} removed" },
    { EventId::DkimKeyExpired, "dkim_key_expired", "store", S::Info,
        "retired DKIM key {selector} of {domain} deleted after {days} days; its TXT record {name} can go from DNS" },
    { EventId::DkimSignFailed, "dkim_sign_failed", "delivery", S::Warning,
        "could not DKIM-sign a message from {from} with {domain}/{selector}; it is queued unsigned: {error}" },
    { EventId::DkimSignRefused, "dkim_sign_refused", "delivery", S::Warning,
        "did not DKIM-sign a message from {user}: its From domain {domain} is not one of the user's" },
    { EventId::SpamTrained, "spam_trained", "spam", S::Info,
        "learned {count} messages as {class} ({source}): {learned} new, {moved} moved, {unchanged} known" },
    { EventId::SpamError, "spam_error", "spam", S::Error, "spam filter: {error}" },
} };

bool catalogInOrder()
{
    for (size_t i = 0; i < kCatalog.size(); ++i)
        if (size_t(kCatalog[i].id) != i)
            return false;
    return true;
}
} // namespace

const char *severityName(Severity s)
{
    switch (s) {
    case Severity::Debug:
        return "debug";
    case Severity::Info:
        return "info";
    case Severity::Warning:
        return "warning";
    case Severity::Error:
        return "error";
    }
    return "info";
}

std::optional<Severity> severityFromName(const QString &name)
{
    for (auto s : { Severity::Debug, Severity::Info, Severity::Warning, Severity::Error })
        if (name.compare(QLatin1String(severityName(s)), Qt::CaseInsensitive) == 0)
            return s;
    return std::nullopt;
}

const EventType &eventType(EventId id)
{
    static const bool ordered = catalogInOrder();
    Q_ASSERT_X(ordered, "eventType", "event catalog out of order");
    Q_UNUSED(ordered);
    return kCatalog[size_t(id) < kCatalog.size() ? size_t(id) : 0];
}

QString Event::text() const
{
    QString out = QString::fromUtf8(type().format);
    for (auto it = fields.cbegin(); it != fields.cend(); ++it)
        out.replace(QLatin1Char('{') + it.key() + QLatin1Char('}'), it.value().toString());
    return out;
}

EventBus::EventBus(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<mailroom::Event>();
}

bool EventBus::isSecretKey(const QString &key)
{
    static const QRegularExpression secret(
        QStringLiteral("pass|secret|token|credential|auth_data|sasl"), QRegularExpression::CaseInsensitiveOption);
    return secret.match(key).hasMatch();
}

void EventBus::raise(EventId id, QVariantMap fields)
{
    for (auto it = fields.begin(); it != fields.end(); ++it)
        if (isSecretKey(it.key()))
            it.value() = QStringLiteral("********");
    Event e;
    e.id = id;
    e.time = QDateTime::currentDateTimeUtc();
    e.fields = std::move(fields);
    Q_EMIT eventRaised(e);
}

} // namespace mailroom
