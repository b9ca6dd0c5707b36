// DkimSigner: DKIM-signs our outgoing mail as the spool takes it (RFC 6376
// §5; RFC 8463 §2: with both an RSA and an Ed25519 key active, both sign).
// It signs what a local user or a trusted-network client submitted, and the
// engine's own reports, when the RFC 5322 From domain (DMARC aligns on it,
// RFC 7489 §3.1) or a parent of it is a local domain with an active key.
// Mail that arrived from the Internet on port 25 is never signed, whatever
// its From says; a logged-in user's mail only when its From domain is the
// user's own or that of the envelope sender (which smtp.sender_login_check
// limits to the user's addresses and aliases), or a subdomain of either. Keys are held in memory; reload() reads them
// again after a change. Trust level: internal; the keys are secrets, messages come from local users or from the
// Internet (the header parser is bounded).
#pragma once

#include <memory>

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

#include "base/result.h"
#include "mailauth/dkim.h"
#include "queue/signer.h"

namespace mailroom
{
class EventBus;
namespace config
{
class Settings;
}
namespace store
{
class Store;
}
} // namespace mailroom

namespace mailroom::delivery
{

class DkimSigner : public queue::MessageSigner
{
public:
    DkimSigner(store::Store &store, config::Settings &settings, EventBus &bus);
    ~DkimSigner() override;

    // Reads the active keys and their private key files. Thread-safe; the
    // messages being signed meanwhile use the previous set.
    Status reload();
    // Active keys held now.
    int keyCount() const;

    QByteArray signatures(const queue::Envelope &envelope, const QByteArray &message) override;

    // Whether mail with this envelope is ours to sign: engine reports
    // (service "dsn"), submission and smtps, a logged-in user, or a client
    // in trustedNetworks (smtp.trusted_networks, comma-separated CIDR).
    static bool isOutgoing(const queue::Envelope &envelope, const QString &trustedNetworks);
    // The domain of the first From mailbox, lower case, in ACE; empty if none.
    static QString fromDomain(const QByteArray &message);
    // Whether a logged-in user may have mail from fromDomain signed: it is
    // the domain of the user's login or of the envelope sender, or below it.
    static bool userMaySign(const queue::Envelope &envelope, const QString &fromDomain);

private:
    using KeySet = QHash<QString, QList<mailauth::DkimKey>>; // domain -> its active keys
    // The domain, or its closest parent, that has keys (the domain itself
    // when none has).
    static QString signingDomain(const KeySet &keys, QString domain);

    store::Store &m_store;
    config::Settings &m_settings;
    EventBus &m_bus;
    mutable QMutex m_mutex;
    std::shared_ptr<const KeySet> m_keys;
};

} // namespace mailroom::delivery
