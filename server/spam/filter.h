// Filter: the spam pipeline an inbound message goes through before the
// queue takes it (DESIGN §6). Analyzers only add tags: the connection
// (reverse DNS, HELO, DNSBL), the envelope (SPF), the content (DKIM, DMARC,
// Bayes, the rule file, URIBL). The rule file's score table turns tags into
// points; the total picks the action: accept, file into Junk, or refuse at
// SMTP time. Allow and block lists then decide per recipient, and a
// sender's reputation adds a tag of its own. The results go into Authentication-Results (RFC 8601) and
// X-Spam-Score, X-Spam-Status and X-Spam-Tags headers; such headers that
// claim to come from us are removed first.
// Trust level: everything in a request came from the Internet. DNS answers
// are bounded by the resolver; the whole check has a deadline.
#pragma once

#include <functional>
#include <memory>

#include <QFuture>
#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <QStringList>

#include "mime/part.h"
#include "spam/rules.h"
#include "spam/tags.h"
#include "store/greylist.h"

namespace mailroom::mailauth
{
class Lookup;
}
namespace mailroom::store
{
class Greylist;
class SpamPolicy;
} // namespace mailroom::store

namespace mailroom::spam
{

class BayesFilter;
class Reputation;
class SenderLists;

struct FilterRequest {
    QHostAddress client;
    QString helo;
    QString sender; // MAIL FROM; empty for <>
    QStringList recipients;
    QByteArray message; // with our Received header on top
};

// Tempfail: greylisted (RFC 6647), the sender's server is to try again later.
// Quarantine: held in the queue until an admin releases or deletes it.
enum class Action { Accept, Junk, Quarantine, Tempfail, Reject };

struct ScoredTag {
    QString name;
    double score = 0;
    QString detail;
};

struct FilterResult {
    Action action = Action::Accept;
    double score = 0;
    QList<ScoredTag> tags; // highest score first
    double bayes = 0.5;
    bool bayesReady = false;
    QByteArray message; // the request's message, our result headers on top
    // One per request recipient, in order: action, unless a list decided
    // otherwise for that recipient. Reject only when every recipient is
    // refused (one answer to DATA covers them all); else a refused
    // recipient's copy waits in quarantine.
    QList<Action> recipientActions;
};

struct FilterSettings {
    double junkScore = 5.0;
    double quarantineScore = 0; // 0: never quarantine
    double rejectScore = 0; // 0: never refuse
    QStringList dnsblZones, uriblZones;
    QString authservId; // our host name, first in Authentication-Results
    int deadlineMs = 20000; // after this, the checks still out are left out
    bool greylist = false;
    store::GreylistPolicy greylistPolicy;
    bool bayesPerUser = false; // mail to one user is scored by that user's own Bayes when it is ready
};

QString actionName(Action a);
// The queue's verdict for an action: "accept", "junk" or "quarantine".
QString verdictName(Action a);

class Filter : public QObject
{
    Q_OBJECT
public:
    // dns may be null: then only the offline analyzers run; greylist may be
    // null: then nothing is greylisted. The filter and dns live on the same
    // thread; check() may be called from any thread.
    Filter(BayesFilter &bayes,
        RuleSet rules,
        FilterSettings settings,
        mailauth::Lookup *dns,
        store::Greylist *greylist = nullptr,
        QObject *parent = nullptr);
    ~Filter() override;

    QFuture<FilterResult> check(FilterRequest request);
    // Bayes and the rules only, at once, on any thread: for admins'
    // spam.score and the evaluation. The message is not changed.
    FilterResult checkOffline(const QByteArray &message) const;
    void setSettings(const FilterSettings &settings); // on the filter's thread
    // From any thread; the next message uses them.
    void setRules(std::shared_ptr<const RuleSet> rules);
    std::shared_ptr<const RuleSet> rules() const;
    void setLists(std::shared_ptr<const SenderLists> lists);
    // Optional, before the first check: where list hits are counted and
    // senders' histories kept. The filter flushes the reputation once a
    // minute and on destruction.
    void setPolicy(store::SpamPolicy *policy, Reputation *reputation);
    // Before the first check: the user whose own Bayes model scores mail to
    // these recipients (0: none, when they are not all one local user).
    // Called on the filter's thread.
    void setPersonalScope(std::function<qint64(const QStringList &recipients)> scope);

    struct Run;

private:
    void start(const std::shared_ptr<Run> &run);
    void finish(const std::shared_ptr<Run> &run);
    FilterResult score(const QByteArray &message, TagList &tags, qint64 bayesScope = 0) const;
    // Returns whether an allow entry decided for some recipient.
    bool applyLists(const Run &run, FilterResult &result, const QByteArray &message);
    QString reputationKey(const Run &run) const;
    void greylist(const Run &run, FilterResult &result);
    std::shared_ptr<const SenderLists> lists() const;

    BayesFilter &m_bayes;
    mutable QMutex m_mutex; // guards m_rules and m_lists
    std::shared_ptr<const RuleSet> m_rules;
    std::shared_ptr<const SenderLists> m_lists;
    store::SpamPolicy *m_policy = nullptr;
    Reputation *m_reputation = nullptr;
    std::function<qint64(const QStringList &)> m_personalScope;
    qint64 m_lastFlush = 0;
    FilterSettings m_settings;
    mailauth::Lookup *m_dns;
    store::Greylist *m_greylist;
    qint64 m_lastPrune = 0;
};

// The network a client is greylisted by: its IPv4 /24 or IPv6 /64, as
// "192.0.2.0/24", so that a pool of servers that retries from another
// address of the same network still passes.
QString greylistNetwork(const QHostAddress &client);

// The decoded pieces the rules look at.
RuleInput ruleInput(const QByteArray &message);
// The same from the message's tree, parsed once for the rules and Bayes
// (parseForTokens).
RuleInput ruleInput(const QByteArray &message, const mime::Part &root);
// Removes the top-level header fields X-Spam-Score, -Status, -Tags and
// -Flag, and Authentication-Results fields whose authserv-id is ours
// (RFC 8601 §5): only we may say what we found.
QByteArray withoutOwnHeaders(const QByteArray &message, const QString &authservId);

} // namespace mailroom::spam
