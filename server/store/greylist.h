// Greylist: the triplets (sending network, envelope sender, recipient) that
// greylisting has seen, and the networks it lets through without waiting
// once one of their triplets came back (DESIGN §3: mailroom.db). The policy
// (how long to wait, how long an allowance lasts) is the caller's.
// Trust level: the triplets came from the Internet; the caller bounds them.
#pragma once

#include <QString>
#include <QStringList>

#include "base/result.h"

namespace mailroom::store
{

class Database;

struct GreylistPolicy {
    qint64 delaySecs = 300; // a new triplet waits this long
    qint64 retryWindowSecs = 2 * 86400; // a retry later than this starts over
    qint64 allowSecs = 30 * 86400; // a network that passed once is let through this long
};

struct GreylistDecision {
    bool pass = false;
    qint64 waitSecs = 0; // when not passing: how long until a retry passes
    bool allowedNetwork = false; // passed because its network is allowed already
};

class Greylist
{
public:
    explicit Greylist(Database &db);
    // Checks every recipient's triplet in one transaction and records what
    // it saw. The message passes when the network is allowed, or when every
    // triplet has waited long enough; a passing triplet allows its network.
    Result<GreylistDecision> check(const QString &network,
        const QString &sender,
        const QStringList &recipients,
        qint64 nowSecs,
        const GreylistPolicy &policy);
    // Removes triplets and allowances unseen for longer than keepSecs.
    Result<int> prune(qint64 nowSecs, qint64 keepSecs);

private:
    Database &m_db;
};

} // namespace mailroom::store
