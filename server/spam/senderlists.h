// SenderLists: the admins' allow and block lists in memory, as the filter
// matches them (DESIGN §6). Scopes: "global", "domain:NAME" for a local
// domain's recipients, "user:ADDRESS" for one recipient. For one recipient
// the most specific scope with a match decides (user, then domain, then
// global); within it the most specific pattern (address, then the longest
// domain, then the narrowest network); a block wins a tie.
// An allow entry for an address or domain counts only when the domain is
// verified (SPF pass for the envelope sender, or a valid DKIM signature of
// the domain, relaxed alignment): anyone can write any From. A client
// network needs no verification: the connection proves it.
// Trust level: entries come from admins; the facts from the Internet,
// already checked by the analyzers.
#pragma once

#include <optional>

#include <QHostAddress>
#include <QList>
#include <QSet>
#include <QString>

#include "base/result.h"
#include "store/spampolicy.h"

namespace mailroom::spam
{

struct SenderFacts {
    QString envelopeSender; // MAIL FROM, lower case ("" for <>)
    QString fromAddress; // the From field's first address, lower case
    QHostAddress client;
    // Organizational domains proven by SPF (the envelope sender's) or a
    // valid DKIM signature (d=).
    QSet<QString> verifiedDomains;
};

struct ListDecision {
    qint64 id = 0;
    bool allow = false;
    QString scope, pattern;
};

class SenderLists
{
public:
    SenderLists() = default;
    explicit SenderLists(const QList<store::SpamListEntry> &entries);

    bool isEmpty() const
    {
        return m_entries.isEmpty();
    }
    // The entry that decides for this recipient; unverified allow entries
    // that matched are added to unverified (may be null) and do not decide.
    std::optional<ListDecision> decide(
        const QString &recipient, const SenderFacts &facts, QList<ListDecision> *unverified = nullptr) const;

private:
    struct Entry {
        qint64 id = 0;
        QString scope;
        bool allow = false;
        enum class Kind { Address, Domain, Network } kind = Kind::Address;
        QString pattern; // as stored
        QString text; // address or domain, lower case
        QHostAddress network;
        int prefix = 0;
    };
    QList<Entry> m_entries;
};

// The stored form of a pattern the admin typed: "user@example.com",
// "example.com" (also "@example.com" and "*.example.com"), "192.0.2.7",
// "192.0.2.0/24", "2001:db8::/32". InvalidArgument with what to type.
Result<QString> normalizeListPattern(const QString &pattern);

} // namespace mailroom::spam
