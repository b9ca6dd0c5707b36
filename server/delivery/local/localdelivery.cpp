#include "delivery/local/localdelivery.h"

#include <QTimer>

#include "store/directory.h"
#include "store/mailstore.h"
#include "store/queuerepository.h"
#include "store/store.h"
#include "store/transaction.h"

namespace mailroom::delivery
{

using queue::Outcome;
using queue::RecipientResult;

LocalDelivery::LocalDelivery(store::Store &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
}

void LocalDelivery::shutdown()
{
    m_stopped = true;
}

void LocalDelivery::deliver(const queue::DeliveryJob &job, std::function<void(const QList<RecipientResult> &)> done)
{
    // The agent contract: results arrive asynchronously, on this thread.
    m_waiting.push_back({ job, std::move(done) });
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    QTimer::singleShot(0, this, &LocalDelivery::flush);
}

void LocalDelivery::flush()
{
    m_flushScheduled = false;
    const std::vector<Waiting> waiting = std::exchange(m_waiting, {});
    const auto stopping = [](const queue::Recipient &r) {
        return RecipientResult { r.id, Outcome::Deferred, QStringLiteral("4.3.2"),
            QStringLiteral("x-mailroom; the engine is stopping"), {} };
    };
    // Should the batch not open (the database is busy or broken), each
    // recipient still commits on its own in deliverOne.
    auto batch = m_store.beginBatch();
    QList<QList<RecipientResult>> results;
    QSet<qint64> filed;
    for (const Waiting &w : waiting) {
        QList<RecipientResult> &out = results.emplace_back();
        for (const queue::Recipient &r : w.job.recipients)
            out.append(m_stopped ? stopping(r) : deliverOne(w.job, r, &filed));
    }
    if (batch) {
        if (auto s = batch.value()->commit(); !s) {
            // Nothing of the batch is on disk: every recipient stays queued
            // and is tried again; none is reported delivered.
            filed.clear();
            for (QList<RecipientResult> &list : results)
                for (RecipientResult &res : list)
                    if (res.outcome == Outcome::Delivered)
                        res = { res.recipientId, Outcome::Deferred, QStringLiteral("4.3.0"),
                            QStringLiteral("x-mailroom; 451 4.3.0 ") + s.error().message, {} };
        }
    }
    // Committed: IMAP sessions on these mailboxes report the new messages.
    for (qint64 mailboxId : std::as_const(filed))
        m_store.mailStore().events().notifyChanged(mailboxId);
    for (size_t i = 0; i < waiting.size(); ++i)
        waiting[i].done(results.at(qsizetype(i)));
}

RecipientResult LocalDelivery::deliverOne(
    const queue::DeliveryJob &job, const queue::Recipient &r, QSet<qint64> *filedMailboxes)
{
    auto finals = m_store.directory().resolve(r.address);
    if (!finals) {
        if (finals.error().code == ErrorCode::NotFound)
            return { r.id, Outcome::Failed, QStringLiteral("5.1.1"),
                QStringLiteral("x-mailroom; 550 5.1.1 The mailbox does not exist"), {} };
        return { r.id, Outcome::Deferred, QStringLiteral("4.3.0"),
            QStringLiteral("x-mailroom; 451 4.3.0 ") + finals.error().message, {} };
    }
    const QString special = job.verdict == u"junk" ? QStringLiteral("\\Junk") : QString();
    QList<store::LocalFiling> filings;
    QStringList forwards;
    for (const QString &target : std::as_const(*finals)) {
        auto local = m_store.queue().isLocalDomain(target.section(u'@', -1));
        if (!local)
            return { r.id, Outcome::Deferred, QStringLiteral("4.3.0"),
                QStringLiteral("x-mailroom; 451 4.3.0 ") + local.error().message, {} };
        if (*local)
            filings.append({ target, special });
        else
            forwards << target;
    }
    store::DueRecipient due;
    due.id = r.id;
    due.messageId = job.messageId;
    due.address = r.address;
    due.originalRecipient = r.originalRecipient;
    due.notify = r.notify;
    due.blobHash = job.blobHash;
    due.size = job.fileSize;
    due.env = job.env;
    QStringList skipped;
    QList<qint64> filed;
    if (auto s = m_store.queue().deliverLocal(due, filings, forwards, &skipped, &filed); !s)
        return { r.id, Outcome::Deferred, QStringLiteral("4.3.0"),
            QStringLiteral("x-mailroom; 451 4.3.0 ") + s.error().message, {} };
    for (qint64 mailboxId : std::as_const(filed))
        filedMailboxes->insert(mailboxId);
    if (!skipped.isEmpty() && skipped.size() == filings.size() && forwards.isEmpty())
        // RFC 3463 X.2.2: mailbox full (or the user is disabled): try again
        // later; the queue bounces it at queue.max_age_secs.
        return { r.id, Outcome::Deferred, QStringLiteral("4.2.2"),
            QStringLiteral("x-mailroom; 452 4.2.2 The mailbox is full or not accepting mail"), {} };
    return { r.id, Outcome::Delivered, QStringLiteral("2.0.0"),
        QStringLiteral("x-mailroom; 250 2.0.0 Delivered to %1 mailbox(es)")
            .arg(filings.size() - skipped.size() + forwards.size()),
        {} };
}

} // namespace mailroom::delivery
