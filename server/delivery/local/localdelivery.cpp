#include "delivery/local/localdelivery.h"

#include <QTimer>

#include "store/directory.h"
#include "store/mailstore.h"
#include "store/queuerepository.h"
#include "store/store.h"

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
    QList<RecipientResult> results;
    for (const queue::Recipient &r : job.recipients)
        results.append(m_stopped ? RecipientResult { r.id, Outcome::Deferred, QStringLiteral("4.3.2"),
                           QStringLiteral("x-mailroom; the engine is stopping"), {} }
                                 : deliverOne(job, r));
    // The agent contract: results arrive asynchronously, on this thread.
    QTimer::singleShot(0, this, [done = std::move(done), results] { done(results); });
}

RecipientResult LocalDelivery::deliverOne(const queue::DeliveryJob &job, const queue::Recipient &r)
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
    // Committed: IMAP sessions on these mailboxes report the new message.
    for (qint64 mailboxId : std::as_const(filed))
        m_store.mailStore().events().notifyChanged(mailboxId);
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
