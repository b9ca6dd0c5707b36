#include "spam/bayesfilter.h"

#include <QCryptographicHash>

namespace mailroom::spam
{

BayesFilter::BayesFilter(store::SpamStore &store, BayesParams params, TokenizerLimits limits)
    : m_store(store)
    , m_params(params)
    , m_limits(limits)
{
}

Status BayesFilter::load()
{
    BayesModel model;
    auto totals = m_store.totals(0);
    if (!totals)
        return totals.error();
    model.spamMessages = quint32(qMax<qint64>(0, totals->spam));
    model.hamMessages = quint32(qMax<qint64>(0, totals->ham));
    model.tokens.reserve(totals->tokens);
    if (auto s = m_store.loadTokens(0, [&](quint64 h, quint32 sp, quint32 hm) { model.tokens.set(h, sp, hm); }); !s)
        return s;
    QWriteLocker lock(&m_lock);
    m_model = std::move(model);
    return {};
}

BayesScore BayesFilter::score(const QByteArray &message) const
{
    return scoreTokens(tokenize(message, m_limits));
}

BayesScore BayesFilter::scoreTokens(const std::vector<quint64> &tokens) const
{
    QReadLocker lock(&m_lock);
    return classify(m_model, tokens, m_params);
}

Result<TrainingCounts> BayesFilter::train(const QList<QByteArray> &messages, bool spam)
{
    // Tokenizing is the slow part and needs no lock.
    std::vector<std::vector<quint64>> tokens;
    tokens.reserve(size_t(messages.size()));
    QList<store::TrainingItem> items;
    for (const QByteArray &m : messages) {
        tokens.push_back(tokenize(m, m_limits));
        items.append({ 0, QString::fromLatin1(QCryptographicHash::hash(m, QCryptographicHash::Sha256).toHex()),
            spam ? store::SpamClass::Spam : store::SpamClass::Ham, nullptr });
    }
    for (qsizetype i = 0; i < items.size(); ++i)
        items[i].tokens = &tokens[size_t(i)];
    QMutexLocker training(&m_training);
    auto outcomes = m_store.train(items);
    if (!outcomes)
        return outcomes.error();
    TrainingCounts counts;
    QWriteLocker lock(&m_lock);
    for (qsizetype i = 0; i < items.size(); ++i) {
        const store::TrainingOutcome o = outcomes->at(i);
        if (o == store::TrainingOutcome::Unchanged) {
            ++counts.unchanged;
            continue;
        }
        const bool moved = o == store::TrainingOutcome::Moved;
        moved ? ++counts.moved : ++counts.learned;
        const qint64 ds = spam ? 1 : (moved ? -1 : 0);
        const qint64 dh = spam ? (moved ? -1 : 0) : 1;
        for (quint64 t : tokens[size_t(i)])
            m_model.tokens.add(t, ds, dh);
        m_model.spamMessages = quint32(qMax<qint64>(0, qint64(m_model.spamMessages) + ds));
        m_model.hamMessages = quint32(qMax<qint64>(0, qint64(m_model.hamMessages) + dh));
    }
    return counts;
}

BayesStatus BayesFilter::status() const
{
    QReadLocker lock(&m_lock);
    BayesStatus s;
    s.spam = m_model.spamMessages;
    s.ham = m_model.hamMessages;
    s.tokens = m_model.tokens.size();
    s.ready = s.spam >= m_params.minMessages && s.ham >= m_params.minMessages;
    return s;
}

} // namespace mailroom::spam
