// LocalDelivery: the queue's agent for recipients in local domains. It
// resolves each address through the directory (aliases, distribution lists,
// catch-alls, plus-addressing), files the message's one blob into every
// local user's Inbox (or Junk, by the spam verdict), adds outside targets of
// aliases as new remote recipients of the same message, and marks the
// recipient delivered: all in one transaction, so a crash or a restart can
// neither lose nor duplicate a delivery. Jobs handed over in one turn of the
// event loop are filed together in one outer transaction, each recipient in
// a savepoint of it: a busy queue pays one commit (one fsync) per batch, not
// per recipient. Trust level: internal.
#pragma once

#include <vector>

#include <QObject>
#include <QSet>

#include "queue/deliveryagent.h"

namespace mailroom::store
{
class Store;
}

namespace mailroom::delivery
{

class LocalDelivery : public QObject, public queue::DeliveryAgent
{
    Q_OBJECT
public:
    explicit LocalDelivery(store::Store &store, QObject *parent = nullptr);
    void deliver(
        const queue::DeliveryJob &job, std::function<void(const QList<queue::RecipientResult> &)> done) override;
    void shutdown() override;

private:
    struct Waiting {
        queue::DeliveryJob job;
        std::function<void(const QList<queue::RecipientResult> &)> done;
    };
    void flush();
    queue::RecipientResult deliverOne(
        const queue::DeliveryJob &job, const queue::Recipient &r, QSet<qint64> *filedMailboxes);
    store::Store &m_store;
    std::vector<Waiting> m_waiting;
    bool m_flushScheduled = false;
    bool m_stopped = false;
};

} // namespace mailroom::delivery
