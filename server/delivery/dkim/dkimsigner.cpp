// DkimSigner: which messages get signed, and with which keys. Runs on the
// spool's writer threads; the key set is an immutable snapshot swapped under
// a mutex, so signing never waits for a reload and never reads a file.
#include "delivery/dkim/dkimsigner.h"

#include <QHostAddress>
#include <QUrl>

#include "base/events.h"
#include "config/settings.h"
#include "delivery/logging.h"
#include "mime/address.h"
#include "mime/headers.h"
#include "store/dkimkeys.h"
#include "store/store.h"

namespace mailroom::delivery
{

DkimSigner::DkimSigner(store::Store &store, config::Settings &settings, EventBus &bus)
    : m_store(store)
    , m_settings(settings)
    , m_bus(bus)
    , m_keys(std::make_shared<const KeySet>())
{
}

DkimSigner::~DkimSigner() = default;

Status DkimSigner::reload()
{
    auto active = m_store.dkimKeys().activeKeys();
    if (!active)
        return active.error();
    auto keys = std::make_shared<KeySet>();
    for (const store::DkimSigningKey &k : std::as_const(*active)) {
        mailauth::DkimKey key;
        key.type = k.algorithm == u"ed25519-sha256" ? mailauth::DkimKeyType::Ed25519 : mailauth::DkimKeyType::Rsa2048;
        key.domain = k.domain;
        key.selector = k.selector;
        key.privatePem = k.privatePem;
        // RSA first, then Ed25519: verifiers that know only RSA find theirs on
        // top (RFC 8463 §2 leaves the order open).
        QList<mailauth::DkimKey> &list = (*keys)[k.domain];
        if (key.type == mailauth::DkimKeyType::Rsa2048)
            list.prepend(key);
        else
            list.append(key);
    }
    int count = 0;
    for (const auto &list : std::as_const(*keys))
        count += int(list.size());
    {
        QMutexLocker lock(&m_mutex);
        m_keys = std::move(keys);
    }
    qCInfo(lcDelivery).noquote() << "DKIM signing with" << count << "active keys";
    return {};
}

int DkimSigner::keyCount() const
{
    QMutexLocker lock(&m_mutex);
    int count = 0;
    for (const auto &list : std::as_const(*m_keys))
        count += int(list.size());
    return count;
}

bool DkimSigner::isOutgoing(const queue::Envelope &envelope, const QString &trustedNetworks)
{
    if (envelope.service == u"dsn" || envelope.service == u"submission" || envelope.service == u"smtps")
        return true;
    if (!envelope.authUser.isEmpty())
        return true;
    const QHostAddress peer(envelope.clientAddress);
    if (peer.isNull())
        return false;
    for (const QString &n : trustedNetworks.split(u',', Qt::SkipEmptyParts)) {
        const auto subnet = QHostAddress::parseSubnet(n.trimmed());
        if (subnet.second >= 0 && peer.isInSubnet(subnet))
            return true;
    }
    return false;
}

bool DkimSigner::userMaySign(const queue::Envelope &envelope, const QString &fromDomain)
{
    if (fromDomain.isEmpty())
        return false;
    for (const QString &address : { envelope.authUser, envelope.sender }) {
        const QString own = address.section(u'@', -1).toLower();
        if (own.isEmpty() || !address.contains(u'@'))
            continue;
        const QString ace = QString::fromLatin1(QUrl::toAce(own, QUrl::AceTransitionalProcessing));
        if (fromDomain == ace || fromDomain.endsWith(u'.' + ace))
            return true;
    }
    return false;
}

QString DkimSigner::signingDomain(const KeySet &keys, QString domain)
{
    while (!keys.contains(domain) && domain.count(QLatin1Char('.')) > 1)
        domain = domain.section(QLatin1Char('.'), 1);
    return domain;
}

QString DkimSigner::fromDomain(const QByteArray &message)
{
    const mime::HeaderBlock headers = mime::HeaderBlock::parse(message, nullptr);
    const QList<mime::Mailbox> from = mime::mailboxes(mime::parseAddressList(headers.value("From")));
    if (from.isEmpty() || from.first().domain.isEmpty())
        return {};
    QString domain = QString::fromUtf8(from.first().domain).toLower();
    if (domain.endsWith(QLatin1Char('.')))
        domain.chop(1);
    return QString::fromLatin1(QUrl::toAce(domain, QUrl::AceTransitionalProcessing));
}

QByteArray DkimSigner::signatures(const queue::Envelope &envelope, const QByteArray &message)
{
    std::shared_ptr<const KeySet> keys;
    {
        QMutexLocker lock(&m_mutex);
        keys = m_keys;
    }
    if (keys->isEmpty() || !isOutgoing(envelope, m_settings.stringValue(QStringLiteral("smtp.trusted_networks"))))
        return {};
    // The From domain, or the closest parent of it with keys: a report from
    // MAILER-DAEMON@mx.example.com is signed by example.com, which DMARC's
    // relaxed alignment accepts (RFC 7489 §3.1.1).
    const QString from = fromDomain(message);
    const auto found = keys->constFind(signingDomain(*keys, from));
    if (found == keys->cend())
        return {};
    // A logged-in user gets a signature only for mail from its own domain or
    // the domain of the envelope sender it was allowed to use: with several
    // local domains, ann@a.example must not get b.example's signature.
    if (!envelope.authUser.isEmpty() && envelope.service != u"dsn" && !userMaySign(envelope, from)) {
        m_bus.raise(EventId::DkimSignRefused,
            { { QStringLiteral("user"), envelope.authUser }, { QStringLiteral("domain"), from } });
        return {};
    }
    QByteArray out;
    for (const mailauth::DkimKey &key : *found) {
        // The default options: relaxed/relaxed, t=, From oversigned.
        auto field = mailauth::signDkim(key, message);
        if (!field) {
            m_bus.raise(EventId::DkimSignFailed,
                { { QStringLiteral("from"), envelope.sender }, { QStringLiteral("domain"), key.domain },
                    { QStringLiteral("selector"), key.selector }, { QStringLiteral("error"), field.error().message } });
            continue;
        }
        out += *field;
    }
    return out;
}

} // namespace mailroom::delivery
