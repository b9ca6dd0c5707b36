// Engine, the spam part of the composition root: the Bayes filter over
// spam.db, the admin's spam.* service, and training from IMAP moves into and
// out of Junk (DESIGN §4: the store raises the event, main connects it to
// spam; imap never includes spam). Training runs on one worker thread of its
// own, so moves are learned in order and never on the main thread.
// Trust level: internal.
#include <QtConcurrent>

#include "main/engine.h"
#include "spam/bayesfilter.h"
#include "store/blobstore.h"
#include "store/mailstore.h"
#include "store/store.h"

namespace mailroom
{

namespace
{
// SpamAssassin's bands, so admins who know those read ours at once.
QString bayesTag(double p)
{
    static const struct {
        double below;
        const char *tag;
    } bands[] = { { 0.01, "BAYES_00" }, { 0.05, "BAYES_05" }, { 0.20, "BAYES_20" }, { 0.40, "BAYES_40" },
        { 0.60, "BAYES_50" }, { 0.80, "BAYES_60" }, { 0.95, "BAYES_80" }, { 0.99, "BAYES_95" }, { 0.999, "BAYES_99" } };
    for (const auto &b : bands)
        if (p < b.below)
            return QLatin1String(b.tag);
    return QStringLiteral("BAYES_999");
}
} // namespace

Status Engine::startSpam()
{
    m_bayes = std::make_unique<spam::BayesFilter>(m_store->spam());
    if (auto s = m_bayes->load(); !s)
        return s;
    m_spamWorkers = std::make_unique<QThreadPool>();
    m_spamWorkers->setMaxThreadCount(1);
    m_spamWorkers->setExpiryTimeout(-1);
    connect(&m_store->mailStore().events(), &store::MailboxEvents::junkMoved, this,
        [this](qint64 userId, const QString &blobHash, bool intoJunk) {
            Q_UNUSED(userId);
            QThreadPool *pool = m_spamWorkers.get();
            (void)QtConcurrent::run(pool, [this, blobHash, intoJunk] {
                auto content = m_store->blobs().read(blobHash);
                if (!content) {
                    m_bus.raise(EventId::SpamError, { { QStringLiteral("error"), content.error().message } });
                    return;
                }
                learned(m_bayes->train({ *content }, intoJunk), 1, intoJunk, QStringLiteral("IMAP move"));
            });
        });
    return {};
}

void Engine::stopSpam()
{
    if (m_spamWorkers)
        m_spamWorkers->waitForDone();
    m_spamWorkers.reset();
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
    const spam::BayesScore b = m_bayes->score(message);
    v.bayes = b.probability;
    v.bayesReady = b.ready;
    v.tokens = b.tokens;
    if (!b.ready) {
        v.verdict = QStringLiteral("unsure");
        return v;
    }
    v.tags << bayesTag(b.probability);
    v.verdict = b.used > 0 && b.probability >= 0.5 ? QStringLiteral("spam") : QStringLiteral("ham");
    return v;
}

Result<admin::SpamTrainingView> Engine::train(const QList<QByteArray> &messages, bool spam)
{
    auto r = m_bayes->train(messages, spam);
    learned(r, messages.size(), spam, QStringLiteral("admin"));
    if (!r)
        return r.error();
    return admin::SpamTrainingView { r->learned, r->moved, r->unchanged };
}

admin::SpamStatusView Engine::spamStatus() const
{
    const spam::BayesStatus s = m_bayes->status();
    return { s.spam, s.ham, s.tokens, m_bayes->params().minMessages, s.ready };
}

} // namespace mailroom
