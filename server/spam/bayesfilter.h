// BayesFilter: the trained Bayes model of the engine. It loads the global
// counts of spam.db into memory at start, scores messages from any thread
// (a shared lock), and trains in batches: spam.db first, then memory, so the
// two never disagree (DESIGN §6). A message is known by its SHA-256; learned
// again as the other class, its counts move over. Besides the global model
// (scope 0) a user may have one of their own (scope = user id), loaded from
// spam.db the first time it is asked for; it scores only once it is ready.
// Trust level: messages from the Internet, through the bounded tokenizer.
#pragma once

#include <memory>

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QReadWriteLock>

#include "base/result.h"
#include "spam/bayes.h"
#include "spam/tokenizer.h"
#include "store/spamstore.h"

namespace mailroom::spam
{

struct TrainingCounts {
    int learned = 0, moved = 0, unchanged = 0;
};

struct BayesStatus {
    qint64 spam = 0, ham = 0, tokens = 0;
    bool ready = false; // both classes have params.minMessages
};

class BayesFilter
{
public:
    explicit BayesFilter(store::SpamStore &store, BayesParams params = {}, TokenizerLimits limits = {});

    Status load();
    // With a user's scope: that user's model when it is ready, else the
    // global one (BayesScore::scope says which).
    BayesScore score(const QByteArray &message, qint64 scope = 0) const;
    // The same from the tree parseForTokens(message, limits()) made.
    BayesScore score(const QByteArray &message, const mime::Part &root, qint64 scope = 0) const;
    BayesScore scoreTokens(const std::vector<quint64> &tokens, qint64 scope = 0) const;
    // Learns every message as spam (or ham) in one transaction, into the
    // global model (scope 0) or a user's.
    Result<TrainingCounts> train(const QList<QByteArray> &messages, bool spam, qint64 scope = 0);
    BayesStatus status(qint64 scope = 0) const;
    const BayesParams &params() const
    {
        return m_params;
    }
    const TokenizerLimits &limits() const
    {
        return m_limits;
    }

private:
    store::SpamStore &m_store;
    BayesParams m_params;
    TokenizerLimits m_limits;
    // The model of a scope, loaded on first use (null when spam.db fails).
    BayesModel *model(qint64 scope) const;

    mutable QReadWriteLock m_lock; // guards m_model and m_users
    QMutex m_training; // one training batch at a time
    BayesModel m_model;
    mutable QHash<qint64, std::shared_ptr<BayesModel>> m_users;
};

} // namespace mailroom::spam
