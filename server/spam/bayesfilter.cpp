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

namespace
{
Result<BayesModel> loadModel(store::SpamStore &store, qint64 scope)
{
    BayesModel model;
    auto totals = store.totals(scope);
    if (!totals)
        return totals.error();
    model.spamMessages = quint32(qMax<qint64>(0, totals->spam));
    model.hamMessages = quint32(qMax<qint64>(0, totals->ham));
    model.tokens.reserve(totals->tokens);
    if (auto s = store.loadTokens(scope, [&](quint64 h, quint32 sp, quint32 hm) { model.tokens.set(h, sp, hm); }); !s)
        return s.error();
    return model;
}
} // namespace

Status BayesFilter::load()
{
    auto model = loadModel(m_store, 0);
    if (!model)
        return model.error();
    QWriteLocker lock(&m_lock);
    m_model = std::move(*model);
    m_users.clear();
    return {};
}

BayesModel *BayesFilter::model(qint64 scope) const
{
    if (scope == 0)
        return const_cast<BayesModel *>(&m_model);
    {
        QReadLocker lock(&m_lock);
        if (auto it = m_users.constFind(scope); it != m_users.cend())
            return it->get();
    }
    auto loaded = loadModel(m_store, scope);
    if (!loaded)
        return nullptr;
    QWriteLocker lock(&m_lock);
    auto &slot = m_users[scope];
    if (!slot)
        slot = std::make_shared<BayesModel>(std::move(*loaded));
    return slot.get();
}

BayesScore BayesFilter::score(const QByteArray &message, qint64 scope) const
{
    return scoreTokens(tokenize(message, m_limits), scope);
}

BayesScore BayesFilter::score(const QByteArray &message, const mime::Part &root, qint64 scope) const
{
    return scoreTokens(tokenize(message, root, m_limits), scope);
}

BayesScore BayesFilter::scoreTokens(const std::vector<quint64> &tokens, qint64 scope) const
{
    const BayesModel *own = scope != 0 ? model(scope) : nullptr;
    QReadLocker lock(&m_lock);
    if (own && own->spamMessages >= quint32(m_params.minMessages)
        && own->hamMessages >= quint32(m_params.minMessages)) {
        BayesScore s = classify(*own, tokens, m_params);
        s.scope = scope;
        return s;
    }
    return classify(m_model, tokens, m_params);
}

Result<TrainingCounts> BayesFilter::train(const QList<QByteArray> &messages, bool spam, qint64 scope)
{
    // Tokenizing is the slow part and needs no lock.
    std::vector<std::vector<quint64>> tokens;
    tokens.reserve(size_t(messages.size()));
    QList<store::TrainingItem> items;
    for (const QByteArray &m : messages) {
        tokens.push_back(tokenize(m, m_limits));
        items.append({ scope, QString::fromLatin1(QCryptographicHash::hash(m, QCryptographicHash::Sha256).toHex()),
            spam ? store::SpamClass::Spam : store::SpamClass::Ham, nullptr });
    }
    for (qsizetype i = 0; i < items.size(); ++i)
        items[i].tokens = &tokens[size_t(i)];
    QMutexLocker training(&m_training);
    // Loaded before spam.db changes, so the counts in memory match it.
    BayesModel *target = model(scope);
    if (!target)
        return Error(
            ErrorCode::DatabaseError, QStringLiteral("The user's spam filter could not be read from spam.db."));
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
            target->tokens.add(t, ds, dh);
        target->spamMessages = quint32(qMax<qint64>(0, qint64(target->spamMessages) + ds));
        target->hamMessages = quint32(qMax<qint64>(0, qint64(target->hamMessages) + dh));
    }
    return counts;
}

BayesStatus BayesFilter::status(qint64 scope) const
{
    const BayesModel *m = model(scope);
    QReadLocker lock(&m_lock);
    BayesStatus s;
    if (!m)
        return s;
    s.spam = m->spamMessages;
    s.ham = m->hamMessages;
    s.tokens = m->tokens.size();
    s.ready = s.spam >= m_params.minMessages && s.ham >= m_params.minMessages;
    return s;
}

} // namespace mailroom::spam
