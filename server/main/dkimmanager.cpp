// DkimManager: the life cycle of DKIM keys behind dkim.*: create (pending),
// check the DNS record, activate (the signer reloads), delete.
#include "main/dkimmanager.h"

#include <algorithm>

#include <QDate>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QHash>
#include <QMutex>
#include <QWaitCondition>

#include "config/settings.h"
#include "delivery/dkim/dkimsigner.h"
#include "delivery/logging.h"
#include "dns/resolver.h"
#include "mailauth/dkim.h"
#include "store/address.h"
#include "store/store.h"

namespace mailroom
{

namespace
{
// The tags of a key record (RFC 6376 §3.6.1), names lower case, values with
// whitespace removed (§3.2: FWS may appear around tags and inside p=).
QHash<QByteArray, QByteArray> tags(const QByteArray &record)
{
    QHash<QByteArray, QByteArray> out;
    for (const QByteArray &part : record.split(';')) {
        const qsizetype eq = part.indexOf('=');
        if (eq < 0)
            continue;
        QByteArray value;
        for (char c : part.mid(eq + 1))
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
                value += c;
        out.insert(part.left(eq).trimmed().toLower(), value);
    }
    return out;
}

bool isKeyRecord(const QByteArray &record)
{
    const auto t = tags(record);
    return t.value("v") == "DKIM1" || t.contains("p");
}

QString shortened(const QByteArray &record)
{
    const QString s = QString::fromUtf8(record);
    return s.size() > 60 ? s.left(57) + QStringLiteral("...") : s;
}

struct TxtWait {
    QMutex mutex;
    QWaitCondition cond;
    bool done = false;
    dns::Reply<QByteArray> reply;

    void finish(const dns::Reply<QByteArray> &r)
    {
        QMutexLocker lock(&mutex);
        reply = r;
        done = true;
        cond.wakeAll();
    }
};
} // namespace

DkimManager::DkimManager(store::Store &store, config::Settings &settings, delivery::DkimSigner &signer)
    : m_store(store)
    , m_settings(settings)
    , m_signer(signer)
{
}

bool DkimManager::recordMatches(const QByteArray &published, const QByteArray &expected)
{
    const auto have = tags(published);
    const auto want = tags(expected);
    if (have.contains("v") && have.value("v") != "DKIM1")
        return false;
    const QByteArray haveType = have.value("k", "rsa").toLower();
    const QByteArray wantType = want.value("k", "rsa").toLower();
    return haveType == wantType && !want.value("p").isEmpty() && have.value("p") == want.value("p");
}

void DkimManager::reloadSigner()
{
    if (auto s = m_signer.reload(); !s)
        qCWarning(lcDelivery).noquote() << "DKIM keys could not be read again:" << s.error().message;
}

Result<int> DkimManager::removeRetiredKeys()
{
    const qint64 days = m_settings.intValue(QStringLiteral("dkim.retired_keep_days"));
    if (days <= 0)
        return 0;
    auto removed = m_store.dkimKeys().removeRetired(QDateTime::currentDateTimeUtc().addDays(-days));
    if (!removed)
        return removed.error();
    return int(removed->size());
}

Result<store::DkimKeyRecord> DkimManager::createDkimKey(const QString &domain, bool ed25519, const QString &selector)
{
    auto name = store::normalizeDomain(domain);
    if (!name)
        return name.error();
    // Checked before the key is made: an RSA key takes a moment to generate.
    auto existing = m_store.dkimKeys().list(*name);
    if (!existing)
        return existing.error();
    QString sel = selector.trimmed().toLower();
    if (sel.isEmpty()) {
        // mrYYYYMM plus r or e: the month tells admins how old a key is, the
        // letter its algorithm; a number follows when that one is taken.
        const QString base = QStringLiteral("mr") + QDate::currentDate().toString(QStringLiteral("yyyyMM"))
            + (ed25519 ? QLatin1Char('e') : QLatin1Char('r'));
        sel = base;
        for (int n = 2;; ++n) {
            const bool taken = std::any_of(
                existing->cbegin(), existing->cend(), [&](const store::DkimKeyRecord &k) { return k.selector == sel; });
            if (!taken)
                break;
            sel = base + QString::number(n);
        }
    }
    auto normalized = store::DkimKeys::normalizeSelector(sel);
    if (!normalized)
        return normalized.error();
    auto key = mailauth::generateDkimKey(
        ed25519 ? mailauth::DkimKeyType::Ed25519 : mailauth::DkimKeyType::Rsa2048, *name, *normalized);
    if (!key)
        return key.error();
    const QByteArray record = mailauth::dkimDnsRecord(*key);
    if (record.isEmpty())
        return Error(ErrorCode::Internal, QStringLiteral("The new DKIM key's public part could not be written."));
    return m_store.dkimKeys().add(*name, *normalized,
        ed25519 ? QStringLiteral("ed25519-sha256") : QStringLiteral("rsa-sha256"), record, key->privatePem);
}

Result<admin::DkimCheckView> DkimManager::checkDkimKey(const QString &domain, const QString &selector)
{
    auto key = m_store.dkimKeys().find(domain, selector);
    if (!key)
        return key.error();
    admin::DkimCheckView view;
    view.recordName = key->selector + QStringLiteral("._domainkey.") + key->domain;
    view.expected = key->record;

    QObject *context = m_dnsContext.data();
    if (!context)
        return Error(ErrorCode::Unavailable, QStringLiteral("The engine's DNS resolver is not running; see its log."));
    dns::Options opts;
    opts.nameserver = m_settings.stringValue(QStringLiteral("dns.nameserver"));
    opts.timeoutMs = int(m_settings.intValue(QStringLiteral("dns.timeout_ms")));
    opts.cacheEntries = 0;
    // The lookup runs on the context's thread, whose event loop drives
    // c-ares; this admin worker (not an event loop thread) waits for it, at
    // most as long as the resolver may take.
    auto wait = std::make_shared<TxtWait>();
    const QString name = view.recordName;
    QMetaObject::invokeMethod(context, [wait, opts, name] {
        auto *resolver = new dns::Resolver(opts);
        if (auto s = resolver->init(); !s) {
            delete resolver;
            dns::Reply<QByteArray> failed;
            failed.error = s.error().message;
            wait->finish(failed);
            return;
        }
        resolver->lookupTxt(name, [wait, resolver](const dns::Reply<QByteArray> &reply) {
            wait->finish(reply);
            resolver->deleteLater();
        });
    });
    {
        QMutexLocker lock(&wait->mutex);
        const QDeadlineTimer deadline(opts.timeoutMs * opts.tries * 2 + 2000);
        while (!wait->done)
            if (!wait->cond.wait(&wait->mutex, deadline))
                break;
        if (!wait->done)
            return Error(ErrorCode::Unavailable,
                QStringLiteral("DNS did not answer for %1 in time; check dns.nameserver and try again.").arg(name));
    }
    const dns::Reply<QByteArray> &reply = wait->reply;
    if (reply.rcode == dns::Rcode::TempFail || reply.rcode == dns::Rcode::Malformed)
        return Error(ErrorCode::Unavailable,
            QStringLiteral("DNS could not be asked for %1 (%2); check dns.nameserver and try again.")
                .arg(name, reply.error.isEmpty() ? QString::fromLatin1(dns::rcodeName(reply.rcode)) : reply.error));
    view.found = reply.records;
    for (const QByteArray &r : std::as_const(view.found)) {
        view.published = view.published || isKeyRecord(r);
        view.matches = view.matches || recordMatches(r, key->record);
    }
    if (view.matches)
        view.detail = QStringLiteral("%1 publishes this key.").arg(name);
    else if (view.found.isEmpty())
        view.detail = QStringLiteral("There is no TXT record at %1 yet: publish the record shown by dkim list there "
                                     "(DNS changes can take a while to be seen).")
                          .arg(name);
    else if (view.published)
        view.detail = QStringLiteral("%1 publishes another key (%2): replace it with this key's record.")
                          .arg(name, shortened(view.found.first()));
    else
        view.detail = QStringLiteral("%1 has TXT records, but none is a DKIM key (%2): publish this key's record.")
                          .arg(name, shortened(view.found.first()));
    return view;
}

Result<store::DkimActivation> DkimManager::activateDkimKey(const QString &domain, const QString &selector, bool force)
{
    if (!force) {
        auto check = checkDkimKey(domain, selector);
        if (!check)
            return Error(check.error().code,
                check.error().message + QStringLiteral(" Activate with force to skip the DNS check."));
        if (!check->matches)
            return Error(ErrorCode::Conflict,
                QStringLiteral("Not activated: receivers could not verify its signatures. %1 Activate with force "
                               "to skip this check.")
                    .arg(check->detail));
    }
    auto activated = m_store.dkimKeys().activate(domain, selector);
    if (!activated)
        return activated.error();
    reloadSigner();
    return activated;
}

Status DkimManager::deleteDkimKey(const QString &domain, const QString &selector, bool force)
{
    if (auto s = m_store.dkimKeys().remove(domain, selector, force); !s)
        return s;
    reloadSigner();
    return {};
}

} // namespace mailroom
