// SpamStore: Bayes token counts and training history in spam.db, kept apart
// from mailroom.db because of their write churn (DESIGN §3). A scope is 0 for
// the global counts, or a user id for one user's own. Tokens are the
// tokenizer's 64-bit hashes stored as signed integers.
// Trust level: internal.
#pragma once

#include <functional>
#include <vector>

#include <QString>

#include "base/result.h"

namespace mailroom::store
{

class Database;

enum class SpamClass { None, Spam, Ham };

struct SpamTotals {
    qint64 spam = 0, ham = 0; // trained messages
    qint64 tokens = 0;
};

// One message to learn as cls. When it was learned before as the other
// class (by its digest), its counts move over; as the same class, nothing
// changes.
struct TrainingItem {
    qint64 scope = 0;
    QString digest; // SHA-256 of the message, hex
    SpamClass cls = SpamClass::Spam;
    const std::vector<quint64> *tokens = nullptr;
};

enum class TrainingOutcome { Learned, Moved, Unchanged };

// The scores of past messages from one sender (key: the spam module's).
struct ReputationRow {
    QString key;
    qint64 messages = 0;
    double scoreSum = 0;
    qint64 last = 0; // seconds since the epoch
};

class SpamStore
{
public:
    explicit SpamStore(Database &db);

    // Calls row(hash, spam, ham) for every token of the scope.
    Status loadTokens(qint64 scope, const std::function<void(quint64, quint32, quint32)> &row);
    Result<SpamTotals> totals(qint64 scope);
    Result<SpamClass> trainedAs(qint64 scope, const QString &digest);
    // All items in one transaction; one outcome per item, in order. Only
    // when this succeeds may the caller change its counts in memory.
    Result<QList<TrainingOutcome>> train(const QList<TrainingItem> &items);

    // Rows seen since the given time.
    Result<QList<ReputationRow>> loadReputation(qint64 sinceSecs);
    // Writes the rows as they are now (one transaction) and removes rows
    // unseen since olderThanSecs.
    Status saveReputation(const QList<ReputationRow> &rows, qint64 olderThanSecs);

private:
    Database &m_db;
};

} // namespace mailroom::store
