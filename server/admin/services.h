// What the admin handlers may use: the engine's services, passed in by the
// composition root (server/main). Trust level: internal.
#pragma once

#include <functional>
#include <utility>

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include "base/result.h"

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
}
} // namespace mailroom

namespace mailroom::admin
{

struct ListenerInfo {
    QString service; // "smtp", "submission", ...
    QString address;
    int port = 0;
    QString state; // "listening", "off", "failed"
    QString detail; // a sentence: what the listener does now
};

// Facts only the engine knows; implemented by server/main's Engine.
class StatusProvider
{
public:
    virtual ~StatusProvider() = default;
    virtual QDateTime startedAt() const = 0;
    virtual QString dataFolder() const = 0;
    virtual QString hostname() const = 0;
    virtual QList<ListenerInfo> listeners() const = 0;
};

// The engine's TLS certificate, seen and replaced by admins; implemented by
// the Engine over net::TlsContext (admin does not include net).
struct CertificateView {
    QString subject, issuer, sha256Fingerprint, keyType;
    QStringList dnsNames;
    QDateTime notBefore, notAfter;
    bool selfSigned = false;
};

class TlsManager
{
public:
    virtual ~TlsManager() = default;
    virtual CertificateView certificate() const = 0;
    // Per-domain certificates, chosen by the name a client asks for (SNI).
    virtual QList<QPair<QString, CertificateView>> domainCertificates() const = 0;
    // Checked (key matches, not expired), written durably, used by new
    // connections at once. An error says what to fix. With a domain, that
    // domain's certificate is added or replaced, not the default one.
    virtual Status replacePem(const QByteArray &certificateChain, const QByteArray &privateKey, const QString &domain)
        = 0;
    virtual Status replacePkcs12(const QByteArray &bundle, const QString &passphrase, const QString &domain) = 0;
    virtual Status removeDomainCertificate(const QString &domain) = 0;
};

// A stored message made readable for an admin (messages.get); implemented
// by the Engine over server/mime (admin does not include mime). Input is a
// message from the Internet: the reader is bounded and never fails.
struct AttachmentView {
    QString name; // decoded file name; empty when the part has none
    QString type; // "application/pdf"
    qint64 size = 0; // decoded bytes
};

struct MessageView {
    QList<std::pair<QString, QString>> headers; // in message order, values decoded (RFC 2047)
    QString subject; // decoded, whitespace simplified
    QString from; // "Name <addr>" of the first From mailbox
    QString text; // plain text of the inline text parts, HTML turned into text
    bool textTruncated = false; // text was cut at maxTextChars
    QList<AttachmentView> attachments;
};

class MessageReader
{
public:
    virtual ~MessageReader() = default;
    virtual MessageView readMessage(const QByteArray &message, qsizetype maxTextChars) const = 0;
};

// The spam filter's trained state, scoring and training (spam.*);
// implemented by the Engine over server/spam. Scoring and training run on
// the admin workers, never on the engine's main thread.
struct SpamTagView {
    QString name; // "BAYES_99"
    double score = 0; // its points in the score table
    QString detail; // what was found, for the "why" view
};
struct SpamScoreView {
    double score = 0; // the total of the tags' points
    double bayes = 0.5; // spam probability from Bayes
    bool bayesReady = false; // both classes trained enough for it to mean something
    QString verdict; // "spam", "ham", or "unsure" (ham, and Bayes not trained enough)
    QList<SpamTagView> tags; // highest score first
};
struct SpamTrainingView {
    int learned = 0, moved = 0, unchanged = 0;
};
struct SpamStatusView {
    qint64 spam = 0, ham = 0, tokens = 0;
    int minMessages = 0; // of each class before Bayes counts
    bool ready = false;
};
class SpamService
{
public:
    virtual ~SpamService() = default;
    virtual SpamScoreView scoreMessage(const QByteArray &message) const = 0;
    virtual Result<SpamTrainingView> train(const QList<QByteArray> &messages, bool spam) = 0;
    virtual SpamStatusView spamStatus() const = 0;
};

struct Services {
    store::Store &store;
    config::Settings &settings;
    EventBus &bus;
    StatusProvider &status;
    // Asks the queue scheduler to look for due work now (after an admin
    // action on the queue). Safe to call from any thread; may be empty.
    std::function<void()> wakeQueue;
    TlsManager *tls = nullptr; // null while the engine has no TLS
    const MessageReader *messages = nullptr; // null: messages.get answers unavailable
    SpamService *spam = nullptr; // null: spam.* answer unavailable
};

} // namespace mailroom::admin
