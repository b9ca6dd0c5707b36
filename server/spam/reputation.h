// Reputation: what past messages from a sender scored (DESIGN §6). A sender
// is an authenticated domain ("d:example.com", when SPF or DKIM proves the
// From domain) or else an address from one network ("a:user@example.com
// 192.0.2.0/24"), so that a forger cannot borrow a good name. Kept in memory
// and written to spam.db in batches; a crash loses at most the last minute.
// Trust level: keys are built by the filter from checked facts.
#pragma once

#include <QHash>
#include <QMutex>
#include <QString>

#include "base/result.h"

namespace mailroom::store
{
class SpamStore;
}

namespace mailroom::spam
{

struct SenderHistory {
    qint64 messages = 0;
    double mean = 0; // of the scores, without the reputation's own points
};

class Reputation
{
public:
    explicit Reputation(store::SpamStore *store, qint64 keepSecs = 90 * 86400, qsizetype maxSenders = 200'000);

    Status load(qint64 nowSecs);
    SenderHistory history(const QString &key) const;
    void record(const QString &key, double score, qint64 nowSecs);
    // Writes the changed senders and forgets the ones unseen for keepSecs.
    Status flush(qint64 nowSecs);

private:
    struct Row {
        qint64 messages = 0;
        double sum = 0;
        qint64 last = 0;
        bool dirty = false;
    };
    store::SpamStore *m_store;
    qint64 m_keepSecs;
    qsizetype m_max;
    mutable QMutex m_mutex;
    QHash<QString, Row> m_rows;
};

} // namespace mailroom::spam
