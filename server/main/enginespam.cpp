// Engine, the spam part of the composition root: the Bayes filter over
// spam.db, the admin's spam.* service, and training from IMAP moves into and
// out of Junk (DESIGN §4: the store raises the event, main connects it to
// spam; imap never includes spam). Training runs on one worker thread of its
// own, so moves are learned in order and never on the main thread.
// Trust level: internal.
#include <QFile>
#include <QTimer>
#include <QtConcurrent>

#include "dns/resolver.h"
#include "mailauth/lookup.h"
#include "main/engine.h"
#include "spam/bayesfilter.h"
#include "spam/filter.h"
#include "spam/reputation.h"
#include "spam/rules.h"
#include "spam/senderlists.h"
#include "store/blobstore.h"
#include "store/directory.h"
#include "store/mailstore.h"
#include "store/queuerepository.h"
#include "store/spampolicy.h"
#include "store/spamstore.h"
#include "store/store.h"

namespace mailroom
{

namespace
{
QStringList zones(const QString &list)
{
    QStringList out;
    for (const QString &z : list.split(u',', Qt::SkipEmptyParts))
        if (!z.trimmed().isEmpty())
            out << z.trimmed().toLower();
    return out;
}
} // namespace

spam::FilterSettings Engine::spamSettings() const
{
    spam::FilterSettings s;
    s.junkScore = double(m_settings.intValue(QStringLiteral("spam.junk_score")));
    s.rejectScore = double(m_settings.intValue(QStringLiteral("spam.reject_score")));
    s.quarantineScore = double(m_settings.intValue(QStringLiteral("spam.quarantine_score")));
    s.dnsblZones = zones(m_settings.stringValue(QStringLiteral("spam.dnsbl_zones")));
    s.uriblZones = zones(m_settings.stringValue(QStringLiteral("spam.uribl_zones")));
    s.authservId = hostname();
    s.greylist = m_settings.boolValue(QStringLiteral("spam.greylist"));
    s.greylistPolicy.delaySecs = m_settings.intValue(QStringLiteral("spam.greylist_delay_secs"));
    s.greylistPolicy.allowSecs = m_settings.intValue(QStringLiteral("spam.greylist_allow_days")) * 86400;
    s.bayesPerUser = m_settings.boolValue(QStringLiteral("spam.bayes_per_user"));
    return s;
}

Status Engine::startSpam()
{
    m_bayes = std::make_unique<spam::BayesFilter>(m_store->spam());
    if (auto s = m_bayes->load(); !s)
        return s;
    // The shipped rules, then the admin's own file in the data folder.
    spam::RuleSet rules;
    QStringList problems;
    rules.parse(spam::defaultRulesText(), QStringLiteral("rules.cf"), &problems);
    const QString local = m_data.file(QStringLiteral("spam/local.cf"));
    if (QFile f(local); f.open(QIODevice::ReadOnly))
        rules.parse(QString::fromUtf8(f.read(4 * 1024 * 1024)), local, &problems);
    for (const QString &p : std::as_const(problems))
        m_bus.raise(EventId::SpamError, { { QStringLiteral("error"), QString(QStringLiteral("rule skipped: ") + p) } });
    m_spamFileRules = std::make_shared<const spam::RuleSet>(rules);
    m_reputation = std::make_unique<spam::Reputation>(&m_store->spam());
    if (auto s = m_reputation->load(QDateTime::currentSecsSinceEpoch()); !s)
        m_bus.raise(EventId::SpamError,
            { { QStringLiteral("error"),
                QString(QStringLiteral("sender reputation not loaded: ") + s.error().message) } });

    // The filter, its resolver and their timers live on a thread of their
    // own: DNS checks wait there, never on the I/O threads.
    m_spamThread = new QThread(this);
    m_spamThread->setObjectName(QStringLiteral("spam"));
    m_spamThread->start();
    dns::Options dnsOptions;
    dnsOptions.nameserver = m_settings.stringValue(QStringLiteral("dns.nameserver"));
    dnsOptions.timeoutMs = int(m_settings.intValue(QStringLiteral("dns.timeout_ms")));
    QObject *there = new QObject;
    there->moveToThread(m_spamThread);
    Status made;
    QMetaObject::invokeMethod(
        there,
        [&] {
            m_spamResolver = new dns::Resolver(dnsOptions);
            made = m_spamResolver->init();
            m_spamLookup = new mailauth::ResolverLookup(*m_spamResolver);
            m_spamFilter
                = new spam::Filter(*m_bayes, std::move(rules), spamSettings(), m_spamLookup, &m_store->greylist());
            delete there;
        },
        Qt::BlockingQueuedConnection);
    if (!made)
        return made;
    m_spamFilter->setPolicy(&m_store->spamPolicy(), m_reputation.get());
    // Mail for one local user (through aliases too) may be scored by that
    // user's own Bayes; several users share the global one.
    m_spamFilter->setPersonalScope([store = m_store.get()](const QStringList &recipients) -> qint64 {
        QSet<QString> users;
        for (const QString &r : recipients) {
            auto targets = store->directory().resolve(r);
            if (!targets)
                return 0;
            for (const QString &t : std::as_const(*targets))
                users.insert(t.toLower());
            if (users.size() > 1)
                return 0;
        }
        if (users.size() != 1)
            return 0;
        auto user = store->directory().findUser(*users.cbegin());
        return user ? user->id : 0;
    });
    if (auto s = reloadSpamPolicy(); !s)
        return s;
    // What waits in quarantine longer than spam.quarantine_days goes, once
    // an hour (and soon after a start).
    m_quarantineTimer = new QTimer(this);
    m_quarantineTimer->setInterval(3600 * 1000);
    auto expire = [this] {
        const qint64 days = m_settings.intValue(QStringLiteral("spam.quarantine_days"));
        const qint64 before = QDateTime::currentMSecsSinceEpoch() - days * 86400 * 1000;
        QThreadPool *pool = m_spamWorkers.get();
        (void)QtConcurrent::run(pool, [this, before] {
            auto gone = m_store->queue().expireQuarantine(before);
            if (!gone)
                m_bus.raise(EventId::SpamError, { { QStringLiteral("error"), gone.error().message } });
        });
    };
    connect(m_quarantineTimer, &QTimer::timeout, this, expire);
    m_quarantineTimer->start();
    QTimer::singleShot(60 * 1000, this, expire);
    connect(&m_settings, &config::Settings::changed, this, [this](const QString &name) {
        if (name.startsWith(u"spam."))
            QMetaObject::invokeMethod(
                m_spamFilter, [filter = m_spamFilter, s = spamSettings()] { filter->setSettings(s); });
    });

    m_spamWorkers = std::make_unique<QThreadPool>();
    m_spamWorkers->setMaxThreadCount(1);
    m_spamWorkers->setExpiryTimeout(-1);
    connect(&m_store->mailStore().events(), &store::MailboxEvents::junkMoved, this,
        [this](qint64 userId, const QString &blobHash, bool intoJunk) {
            QThreadPool *pool = m_spamWorkers.get();
            const bool own = m_settings.boolValue(QStringLiteral("spam.bayes_per_user"));
            (void)QtConcurrent::run(pool, [this, blobHash, intoJunk, userId, own] {
                auto content = m_store->blobs().read(blobHash);
                if (!content) {
                    m_bus.raise(EventId::SpamError, { { QStringLiteral("error"), content.error().message } });
                    return;
                }
                learned(m_bayes->train({ *content }, intoJunk), 1, intoJunk, QStringLiteral("IMAP move"));
                // The user's own filter learns it too.
                if (own)
                    learned(m_bayes->train({ *content }, intoJunk, userId), 1, intoJunk,
                        QStringLiteral("IMAP move, user's own filter"));
            });
        });
    return {};
}

void Engine::stopSpam()
{
    delete m_quarantineTimer;
    m_quarantineTimer = nullptr;
    if (m_spamWorkers)
        m_spamWorkers->waitForDone();
    m_spamWorkers.reset();
    if (m_spamThread) {
        QMetaObject::invokeMethod(
            m_spamFilter,
            [this] {
                delete m_spamFilter;
                delete m_spamLookup;
                delete m_spamResolver;
            },
            Qt::BlockingQueuedConnection);
        m_spamFilter = nullptr;
        m_spamLookup = nullptr;
        m_spamResolver = nullptr;
        m_spamThread->quit();
        m_spamThread->wait();
        delete m_spamThread;
        m_spamThread = nullptr;
    }
    m_reputation.reset();
    m_bayes.reset();
}

void Engine::learned(const Result<spam::TrainingCounts> &r, qsizetype count, bool spam, const QString &source)
{
    if (!r) {
        m_bus.raise(EventId::SpamError,
            { { QStringLiteral("error"), QString(QStringLiteral("training failed: ") + r.error().message) } });
        return;
    }
    m_bus.raise(EventId::SpamTrained,
        { { QStringLiteral("count"), count },
            { QStringLiteral("class"), spam ? QStringLiteral("spam") : QStringLiteral("ham") },
            { QStringLiteral("source"), source }, { QStringLiteral("learned"), r->learned },
            { QStringLiteral("moved"), r->moved }, { QStringLiteral("unchanged"), r->unchanged } });
}

admin::SpamScoreView Engine::scoreMessage(const QByteArray &message) const
{
    admin::SpamScoreView v;
    const spam::FilterResult r = m_spamFilter->checkOffline(message);
    v.bayes = r.bayes;
    v.bayesReady = r.bayesReady;
    v.score = r.score;
    for (const spam::ScoredTag &t : r.tags)
        v.tags.append({ t.name, t.score, t.detail });
    v.verdict = r.action == spam::Action::Accept ? QStringLiteral("ham") : QStringLiteral("spam");
    if (!r.bayesReady && r.action == spam::Action::Accept)
        v.verdict = QStringLiteral("unsure");
    return v;
}

Result<admin::SpamTrainingView> Engine::train(const QList<QByteArray> &messages, bool spam, qint64 userScope)
{
    auto r = m_bayes->train(messages, spam, userScope);
    learned(r, messages.size(), spam, QStringLiteral("admin"));
    if (!r)
        return r.error();
    return admin::SpamTrainingView { r->learned, r->moved, r->unchanged };
}

admin::SpamStatusView Engine::spamStatus(qint64 userScope) const
{
    const spam::BayesStatus s = m_bayes->status(userScope);
    return { s.spam, s.ham, s.tokens, m_bayes->params().minMessages, s.ready };
}

Status Engine::reloadSpamPolicy()
{
    if (!m_spamFilter || !m_spamFileRules)
        return Error(ErrorCode::Unavailable, QStringLiteral("The spam filter is not running; see the engine's log."));
    QMutexLocker lock(&m_spamPolicyMutex);
    auto overrides = m_store->spamPolicy().scoreOverrides();
    if (!overrides)
        return overrides.error();
    auto entries = m_store->spamPolicy().allLists();
    if (!entries)
        return entries.error();
    auto rules = std::make_shared<spam::RuleSet>(*m_spamFileRules);
    for (auto it = overrides->cbegin(); it != overrides->cend(); ++it)
        rules->setScore(it.key(), it.value());
    m_spamFilter->setRules(std::move(rules));
    m_spamFilter->setLists(std::make_shared<const spam::SenderLists>(*entries));
    return {};
}

QList<admin::SpamScoreEntry> Engine::scoreTable() const
{
    QList<admin::SpamScoreEntry> out;
    if (!m_spamFilter || !m_spamFileRules)
        return out;
    const std::shared_ptr<const spam::RuleSet> now = m_spamFilter->rules();
    QHash<QString, QString> ruleDescriptions;
    for (const spam::Rule &r : m_spamFileRules->rules())
        ruleDescriptions.insert(r.tag, r.description);
    QStringList tags = now->scores().keys();
    for (const QString &t : m_spamFileRules->scores().keys())
        if (!now->scores().contains(t))
            tags << t;
    std::sort(tags.begin(), tags.end());
    for (const QString &t : std::as_const(tags)) {
        admin::SpamScoreEntry e;
        e.tag = t;
        e.score = now->score(t);
        e.fileScore = m_spamFileRules->score(t);
        e.overridden = !m_spamFileRules->scores().contains(t) || e.score != e.fileScore;
        const auto rule = ruleDescriptions.constFind(t);
        e.kind = rule != ruleDescriptions.cend() ? QStringLiteral("rule") : QStringLiteral("analyzer");
        e.description = rule != ruleDescriptions.cend() ? *rule : spam::analyzerTagDescription(t);
        out.append(e);
    }
    return out;
}

Result<QString> Engine::normalizeListPattern(const QString &pattern) const
{
    return spam::normalizeListPattern(pattern);
}

} // namespace mailroom
