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
#include "store/dkimkeys.h"

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
// One row of the score table (spam.scores.list).
struct SpamScoreEntry {
    QString tag;
    double score = 0; // what the filter uses now
    double fileScore = 0; // the rule files' points
    bool overridden = false; // an admin changed it (spam.scores.set)
    QString description;
    QString kind; // "analyzer" or "rule"
};
class SpamService
{
public:
    virtual ~SpamService() = default;
    virtual SpamScoreView scoreMessage(const QByteArray &message) const = 0;
    // userScope 0: the global filter; a user id: that user's own.
    virtual Result<SpamTrainingView> train(const QList<QByteArray> &messages, bool spam, qint64 userScope) = 0;
    virtual SpamStatusView spamStatus(qint64 userScope) const = 0;
    // The score table as the filter uses it: the rule files' points with
    // the admins' changes over them.
    virtual QList<SpamScoreEntry> scoreTable() const = 0;
    // Reads the allow and block lists and the score changes from the store
    // again; the next message uses them.
    virtual Status reloadSpamPolicy() = 0;
    // The stored form of an allow or block pattern, or InvalidArgument that
    // says what to write.
    virtual Result<QString> normalizeListPattern(const QString &pattern) const = 0;
};

// DKIM keys of the local domains (dkim.*); implemented in server/main over
// mailauth (key generation), dns (the published record) and the signer,
// which admin does not include. Listing reads the store directly.
struct DkimCheckView {
    QString recordName; // "<selector>._domainkey.<domain>"
    QByteArray expected; // the TXT value this key needs
    QList<QByteArray> found; // TXT values found there (each record's strings joined)
    bool published = false; // a DKIM key record (v=DKIM1 or p=) is there
    bool matches = false; // one of them carries this key's public key
    QString detail; // one sentence: what was found, what to do
};
class DkimService
{
public:
    virtual ~DkimService() = default;
    // A new key in state pending; an empty selector picks "mrYYYYMM" + r|e.
    virtual Result<store::DkimKeyRecord> createDkimKey(const QString &domain, bool ed25519, const QString &selector)
        = 0;
    // Asks DNS (dns.nameserver, no cache) for the key's TXT record. The
    // admin worker waits for the answer, at most the DNS timeout.
    virtual Result<DkimCheckView> checkDkimKey(const QString &domain, const QString &selector) = 0;
    // Conflict unless the record is published and matches (force skips the
    // check); the key signs from then on and replaces the active key of its
    // algorithm.
    virtual Result<store::DkimActivation> activateDkimKey(const QString &domain, const QString &selector, bool force)
        = 0;
    virtual Status deleteDkimKey(const QString &domain, const QString &selector, bool force) = 0;
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
    DkimService *dkim = nullptr; // null: dkim.create, check, activate, delete answer unavailable
};

} // namespace mailroom::admin
