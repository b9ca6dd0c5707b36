// DkimManager: the dkim.* admin service (admin::DkimService): makes key pairs
// (mailauth), stores them (store::DkimKeys), asks DNS whether the record is
// published (a fresh dns::Resolver without cache on the queue thread, so a
// record published a minute ago is seen), and tells the signer to reload
// after a change. RFC 6376 §3.6.1 (key record tags), RFC 8463 §4.
// Trust level: local admins; DNS answers come from the network.
#pragma once

#include <QObject>
#include <QPointer>

#include "admin/services.h"

namespace mailroom
{
class EventBus;
namespace config
{
class Settings;
}
namespace delivery
{
class DkimSigner;
}

class DkimManager : public admin::DkimService
{
public:
    DkimManager(store::Store &store, config::Settings &settings, delivery::DkimSigner &signer);

    // An object whose thread runs an event loop: DNS lookups run there. Null
    // while there is none (dkim.check and dkim.activate answer unavailable).
    void setDnsContext(QObject *context)
    {
        m_dnsContext = context;
    }

    Result<store::DkimKeyRecord> createDkimKey(const QString &domain, bool ed25519, const QString &selector) override;
    Result<admin::DkimCheckView> checkDkimKey(const QString &domain, const QString &selector) override;
    Result<store::DkimActivation> activateDkimKey(const QString &domain, const QString &selector, bool force) override;
    Status deleteDkimKey(const QString &domain, const QString &selector, bool force) override;

    // Deletes the keys retired more than dkim.retired_keep_days ago (none
    // when it is 0); returns how many went. The engine calls it hourly.
    Result<int> removeRetiredKeys();

    // Whether a published TXT value carries the same key as expected: the
    // same k= (rsa when absent) and the same p= (whitespace ignored).
    static bool recordMatches(const QByteArray &published, const QByteArray &expected);

private:
    void reloadSigner();

    store::Store &m_store;
    config::Settings &m_settings;
    delivery::DkimSigner &m_signer;
    QPointer<QObject> m_dnsContext;
};

} // namespace mailroom
