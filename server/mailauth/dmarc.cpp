// DMARC evaluation: policy discovery (RFC 7489 §6.6.3: _dmarc.<From domain>,
// then _dmarc.<Organizational Domain>), identifier alignment (§3.1.1 DKIM,
// §3.1.2 SPF, relaxed or strict), the policy for subdomains (sp=, §6.3) and
// pct= sampling (§6.6.4). Asynchronous over mailauth::Lookup.
// Trust level: records from DNS and the From domain of a message; the record
// parser bounds and checks them (dmarcrecord.cpp).
#include "mailauth/dmarc.h"

#include <memory>

#include <QRandomGenerator>
#include <QTimer>

#include "mailauth/lookup.h"
#include "mailauth/spflogging.h"
#include "mailauth/spfrecord.h"

namespace mailroom::mailauth
{

namespace
{

// §3.1: strict needs the same name, relaxed the same Organizational Domain.
bool aligned(const QString &identifier, const QString &from, const QString &fromOrg, bool strict)
{
    const QString d = normalizeMailDomain(identifier);
    if (d.isEmpty())
        return false;
    if (strict)
        return d == from;
    return !fromOrg.isEmpty() && organizationalDomain(d) == fromOrg;
}

// §6.6.4: a failing message outside the pct= sample gets the next lower policy.
QString lowered(const QString &policy)
{
    if (policy == u"reject")
        return QStringLiteral("quarantine");
    return QStringLiteral("none");
}

class DmarcCheck : public std::enable_shared_from_this<DmarcCheck>
{
public:
    DmarcCheck(
        Lookup &dns, const DmarcInput &in, const DmarcOptions &options, std::function<void(const DmarcOutcome &)> done)
        : m_dns(dns)
        , m_in(in)
        , m_options(options)
        , m_done(std::move(done))
    {
    }

    void start()
    {
        QTimer::singleShot(0, [self = shared_from_this()] { self->begin(); });
    }

private:
    void begin();
    void ask(const QString &domain, bool atOrg);
    void onRecords(const QString &domain, bool atOrg, const dns::Reply<QByteArray> &reply);
    void evaluate(const DmarcRecord &record, const QString &domain, bool atOrg);
    void finish(DmarcResult result, const QString &why);

    Lookup &m_dns;
    const DmarcInput m_in;
    const DmarcOptions m_options;
    std::function<void(const DmarcOutcome &)> m_done;
    DmarcOutcome m_outcome;
    QString m_from;
    QString m_org;
};

void DmarcCheck::begin()
{
    m_from = normalizeMailDomain(m_in.fromDomain);
    if (m_from.isEmpty() || !m_from.contains(u'.')) {
        finish(DmarcResult::PermError, QStringLiteral("the From domain is not a valid domain name"));
        return;
    }
    m_org = organizationalDomain(m_from);
    ask(m_from, false);
}

void DmarcCheck::ask(const QString &domain, bool atOrg)
{
    m_dns.txt(QStringLiteral("_dmarc.") + domain,
        [self = shared_from_this(), domain, atOrg](
            const dns::Reply<QByteArray> &reply) { self->onRecords(domain, atOrg, reply); });
}

// §6.6.3 steps 1-5.
void DmarcCheck::onRecords(const QString &domain, bool atOrg, const dns::Reply<QByteArray> &reply)
{
    if (reply.rcode == dns::Rcode::TempFail) {
        finish(DmarcResult::TempError, QStringLiteral("DNS failure for _dmarc.%1").arg(domain));
        return;
    }
    QList<QByteArray> found;
    if (reply.rcode == dns::Rcode::Ok) {
        for (const QByteArray &txt : reply.records) {
            if (isDmarcRecord(txt))
                found.append(txt);
        }
    }
    if (found.isEmpty()) {
        if (!atOrg && !m_org.isEmpty() && m_org != m_from) {
            ask(m_org, true);
            return;
        }
        finish(DmarcResult::None, QStringLiteral("no DMARC record for %1").arg(m_from));
        return;
    }
    m_outcome.recordDomain = domain;
    if (found.size() > 1) {
        finish(DmarcResult::PermError, QStringLiteral("_dmarc.%1 has %2 DMARC records").arg(domain).arg(found.size()));
        return;
    }
    const std::optional<DmarcRecord> record = parseDmarcRecord(found.front());
    if (!record) {
        finish(DmarcResult::PermError, QStringLiteral("the DMARC record of %1 has no valid p= tag").arg(domain));
        return;
    }
    evaluate(*record, domain, atOrg);
}

void DmarcCheck::evaluate(const DmarcRecord &record, const QString &domain, bool atOrg)
{
    m_outcome.record = record;
    m_outcome.spfAligned = m_in.spf == SpfResult::Pass && aligned(m_in.spfDomain, m_from, m_org, record.strictSpf);
    for (const DmarcInput::Dkim &sig : m_in.dkim) {
        if (sig.pass && aligned(sig.domain, m_from, m_org, record.strictDkim)) {
            m_outcome.dkimAligned = true;
            break;
        }
    }
    // sp= is for subdomains of the domain that published it: here only when
    // the record came from the Organizational Domain of a subdomain.
    const bool subdomain = atOrg && m_from != domain;
    m_outcome.policy = subdomain && !record.subdomainPolicy.isEmpty() ? record.subdomainPolicy : record.policy;
    const bool pass = m_outcome.spfAligned || m_outcome.dkimAligned;
    if (!pass && m_outcome.policy != u"none" && record.percent < 100) {
        const bool inSample = m_options.sample ? m_options.sample(record.percent)
                                               : int(QRandomGenerator::global()->bounded(100)) < record.percent;
        if (!inSample) {
            m_outcome.sampledOut = true;
            m_outcome.policy = lowered(m_outcome.policy);
        }
    }
    const QString why = QStringLiteral("%1: p=%2, spf %3, dkim %4%5")
                            .arg(domain, m_outcome.policy,
                                m_outcome.spfAligned ? QStringLiteral("aligned") : QStringLiteral("not aligned"),
                                m_outcome.dkimAligned ? QStringLiteral("aligned") : QStringLiteral("not aligned"),
                                m_outcome.sampledOut ? QStringLiteral(", outside pct") : QString());
    finish(pass ? DmarcResult::Pass : DmarcResult::Fail, why);
}

void DmarcCheck::finish(DmarcResult result, const QString &why)
{
    if (!m_done)
        return;
    m_outcome.result = result;
    m_outcome.explanation = why;
    qCDebug(lcDmarc) << "dmarc" << dmarcResultName(result) << m_from << m_outcome.policy << why;
    const std::function<void(const DmarcOutcome &)> done = std::move(m_done);
    m_done = nullptr;
    done(m_outcome);
}

} // namespace

QString dmarcResultName(DmarcResult result)
{
    switch (result) {
    case DmarcResult::None:
        return QStringLiteral("none");
    case DmarcResult::Pass:
        return QStringLiteral("pass");
    case DmarcResult::Fail:
        return QStringLiteral("fail");
    case DmarcResult::TempError:
        return QStringLiteral("temperror");
    case DmarcResult::PermError:
        return QStringLiteral("permerror");
    }
    return QStringLiteral("none");
}

void checkDmarc(Lookup &dns, const DmarcInput &in, std::function<void(const DmarcOutcome &)> done)
{
    checkDmarc(dns, in, DmarcOptions(), std::move(done));
}

void checkDmarc(
    Lookup &dns, const DmarcInput &in, const DmarcOptions &options, std::function<void(const DmarcOutcome &)> done)
{
    auto check = std::make_shared<DmarcCheck>(dns, in, options, std::move(done));
    check->start();
}

} // namespace mailroom::mailauth
