// BayesFilter: the trained Bayes model of the engine. It loads the global
// counts of spam.db into memory at start, scores messages from any thread
// (a shared lock), and trains in batches: spam.db first, then memory, so the
// two never disagree (DESIGN §6). A message is known by its SHA-256; learned
// again as the other class, its counts move over.
// Trust level: messages from the Internet, through the bounded tokenizer.
#pragma once

#include <QByteArray>
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
    BayesScore score(const QByteArray &message) const;
    BayesScore scoreTokens(const std::vector<quint64> &tokens) const;
    // Learns every message as spam (or ham) in one transaction.
    Result<TrainingCounts> train(const QList<QByteArray> &messages, bool spam);
    BayesStatus status() const;
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
    mutable QReadWriteLock m_lock; // guards m_model
    QMutex m_training; // one training batch at a time
    BayesModel m_model;
};

} // namespace mailroom::spam
