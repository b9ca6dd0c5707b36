// check_host() of RFC 7208 §4-§6 as an asynchronous state machine over
// mailauth::Lookup, and the entry points of spf.h. A stack of frames stands
// for nested check_host() calls (include pushes one, redirect replaces one);
// only one DNS question (or one parallel group, for the addresses of MX or
// PTR names) is open at a time. Limits: §4.6.4 and a deadline. The DNS-backed
// mechanisms are in spfmechanisms.cpp.
// Trust level: records and answers from anyone on the Internet; the frame
// stack, the questions and the expansions are all bounded by SpfOptions.
#include "mailauth/spf.h"

#include <QList>
#include <QTimer>

#include "mailauth/lookup.h"
#include "mailauth/spfcheck.h"
#include "mailauth/spflogging.h"

namespace mailroom::mailauth
{

namespace
{

// §4.3: a <domain> must be a fully qualified, multi-label name in A-labels.
// Returns it lower-case without the trailing dot, or "" when malformed.
QString normalizeDomain(const QString &name)
{
    const QString n = normalizeMailDomain(name);
    return n.contains(u'.') ? n : QString();
}

// A name that failed validation still goes into logs and headers: printable
// ASCII only, at most `max` characters.
QString printable(const QString &s, qsizetype max)
{
    QString out = s.left(max);
    for (QChar &c : out) {
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            c = u'?';
    }
    return out;
}

SpfResult resultOf(SpfQualifier q)
{
    switch (q) {
    case SpfQualifier::Pass:
        return SpfResult::Pass;
    case SpfQualifier::Fail:
        return SpfResult::Fail;
    case SpfQualifier::SoftFail:
        return SpfResult::SoftFail;
    case SpfQualifier::Neutral:
        return SpfResult::Neutral;
    }
    return SpfResult::Neutral;
}

} // namespace

void SpfCheck::start(const SpfRequest &req, bool heloIdentity)
{
    m_ip = req.client;
    if (m_ip.protocol() == QAbstractSocket::IPv6Protocol) {
        bool v4 = false;
        const quint32 a = m_ip.toIPv4Address(&v4); // ::ffff:a.b.c.d is an IPv4 client
        if (v4)
            m_ip = QHostAddress(a);
    }
    m_helo = req.helo;
    m_receiver = req.receiver;
    QString domain;
    if (heloIdentity || req.sender.isEmpty()) {
        m_outcome.identity = QStringLiteral("helo");
        m_local = QStringLiteral("postmaster"); // §2.4: a null sender is postmaster@helo
        domain = req.helo;
    } else {
        m_outcome.identity = QStringLiteral("mailfrom");
        const qsizetype at = req.sender.lastIndexOf(u'@');
        m_local = at > 0 ? req.sender.left(at) : QStringLiteral("postmaster"); // §4.3
        domain = at >= 0 ? req.sender.mid(at + 1) : req.sender;
    }
    const QString normalized = normalizeDomain(domain);
    m_senderDomain = normalized.isEmpty() ? domain : normalized;
    m_sender = m_local + u'@' + m_senderDomain;
    m_outcome.domain = normalized.isEmpty() ? printable(domain, 255) : normalized;
    m_domainValid = !normalized.isEmpty();

    auto self = shared_from_this();
    if (m_opts.deadlineMs > 0) {
        std::weak_ptr<SpfCheck> weak = self;
        QTimer::singleShot(m_opts.deadlineMs, [weak] {
            if (auto check = weak.lock())
                check->finish(SpfResult::TempError, QStringLiteral("the SPF check took too long"));
        });
    }
    // Even an immediate answer goes through the event loop: done is never
    // called inside checkSpf().
    QTimer::singleShot(0, [self] { self->begin(); });
}

void SpfCheck::begin()
{
    if (m_ip.protocol() != QAbstractSocket::IPv4Protocol && m_ip.protocol() != QAbstractSocket::IPv6Protocol) {
        finish(SpfResult::None, QStringLiteral("no client address"));
        return;
    }
    if (!m_domainValid) {
        finish(SpfResult::None, QStringLiteral("\"%1\" is not a valid domain name").arg(m_outcome.domain.left(64)));
        return;
    }
    checkHost(m_senderDomain, Entry::Top);
}

// §4.3, §4.4: the record of one check_host() call.
void SpfCheck::checkHost(const QString &domain, Entry entry)
{
    const QString name = normalizeDomain(domain);
    if (name.isEmpty()) {
        noRecord(printable(domain, 64), entry);
        return;
    }
    m_dns.txt(name, [self = shared_from_this(), name, entry](const dns::Reply<QByteArray> &reply) {
        self->onRecords(name, entry, reply);
    });
}

// §4.5: exactly one "v=spf1" record, or none, or permerror.
void SpfCheck::onRecords(const QString &domain, Entry entry, const dns::Reply<QByteArray> &reply)
{
    if (m_finished)
        return;
    if (reply.rcode == dns::Rcode::TempFail) {
        finish(SpfResult::TempError, QStringLiteral("DNS failure for the TXT records of %1").arg(domain));
        return;
    }
    QList<QByteArray> found;
    for (const QByteArray &txt : reply.records) {
        if (isSpfRecord(txt))
            found.append(txt);
    }
    if (reply.rcode != dns::Rcode::Ok || found.isEmpty()) {
        noRecord(domain, entry);
        return;
    }
    if (found.size() > 1) {
        finish(SpfResult::PermError, QStringLiteral("%1 publishes %2 SPF records").arg(domain).arg(found.size()));
        return;
    }
    if (found.front().size() > m_opts.maxRecordLength) {
        finish(SpfResult::PermError, QStringLiteral("the SPF record of %1 is too long").arg(domain));
        return;
    }
    Result<SpfRecord> parsed = parseSpfRecord(found.front());
    if (!parsed) {
        finish(SpfResult::PermError, domain + QStringLiteral(": ") + parsed.error().message);
        return;
    }
    Frame frame { domain, std::move(parsed).value(), 0 };
    if (entry == Entry::Redirect)
        m_frames.back() = std::move(frame); // §6.1: the redirect's result is this frame's result
    else
        m_frames.push_back(std::move(frame));
    run();
}

void SpfCheck::noRecord(const QString &domain, Entry entry)
{
    switch (entry) {
    case Entry::Top:
        finish(SpfResult::None, QStringLiteral("%1 publishes no SPF record").arg(domain));
        return;
    case Entry::Include: // §5.2: "none" from an include is permerror
        finish(SpfResult::PermError, QStringLiteral("include:%1 has no SPF record").arg(domain));
        return;
    case Entry::Redirect: // §6.1
        finish(SpfResult::PermError, QStringLiteral("redirect=%1 has no SPF record").arg(domain));
        return;
    }
}

// Evaluates the terms of the innermost frame from its `next`, locally where
// possible, until a match, the end, or a DNS question.
void SpfCheck::run()
{
    while (!m_finished) {
        Frame &f = m_frames.back();
        if (f.next >= f.record.directives.size()) {
            endOfRecord();
            return;
        }
        const SpfDirective &d = f.record.directives.at(f.next);
        if (d.mechanism == SpfMechanism::All) {
            matched();
            return;
        }
        if (d.mechanism == SpfMechanism::Ip4 || d.mechanism == SpfMechanism::Ip6) {
            const int bits = d.mechanism == SpfMechanism::Ip4 ? d.cidr4 : d.cidr6;
            if (spfInNetwork(m_ip, d.network, bits)) {
                matched();
                return;
            }
            ++f.next;
            continue;
        }
        if (m_dnsTerms >= m_opts.maxDnsTerms) {
            finish(SpfResult::PermError, QStringLiteral("more than %1 DNS-querying terms").arg(m_opts.maxDnsTerms));
            return;
        }
        if (!m_reverse && (d.mechanism == SpfMechanism::Ptr || spfNeedsReverse(d.domainSpec))) {
            validateReverse([self = shared_from_this()] { self->run(); });
            return;
        }
        ++m_dnsTerms;
        const std::optional<QString> target = d.domainSpec.isEmpty()
            ? std::optional<QString>(f.domain)
            : expandSpfDomainSpec(d.domainSpec, macroValues(f.domain));
        if (!target) { // the expansion is no name: nothing can match it
            if (d.mechanism == SpfMechanism::Include) {
                finish(SpfResult::PermError, QStringLiteral("the target of '%1' is not a domain name").arg(d.text));
                return;
            }
            ++f.next;
            continue;
        }
        switch (d.mechanism) {
        case SpfMechanism::Ptr:
            if (m_reverse->isVoid && !countVoid())
                return;
            if (ptrMatches(*target)) {
                matched();
                return;
            }
            ++f.next;
            continue;
        case SpfMechanism::A:
            evalA(*target);
            return;
        case SpfMechanism::Mx:
            evalMx(*target);
            return;
        case SpfMechanism::Exists:
            evalExists(*target);
            return;
        case SpfMechanism::Include:
            checkHost(*target, Entry::Include);
            return;
        case SpfMechanism::All:
        case SpfMechanism::Ip4:
        case SpfMechanism::Ip6:
            break;
        }
        return;
    }
}

// §4.7 and §6.1: no term matched; follow redirect= unless there is an "all".
void SpfCheck::endOfRecord()
{
    const Frame &f = m_frames.back();
    if (f.record.redirect.isEmpty() || f.record.hasAll) {
        frameDone(SpfResult::Neutral, QString());
        return;
    }
    if (m_dnsTerms >= m_opts.maxDnsTerms) {
        finish(SpfResult::PermError, QStringLiteral("more than %1 DNS-querying terms").arg(m_opts.maxDnsTerms));
        return;
    }
    if (!m_reverse && spfNeedsReverse(f.record.redirect)) {
        validateReverse([self = shared_from_this()] { self->endOfRecord(); });
        return;
    }
    ++m_dnsTerms;
    const std::optional<QString> target = expandSpfDomainSpec(f.record.redirect, macroValues(f.domain));
    if (!target) {
        finish(SpfResult::PermError, QStringLiteral("the redirect target of %1 is not a domain name").arg(f.domain));
        return;
    }
    checkHost(*target, Entry::Redirect);
}

void SpfCheck::matched()
{
    const Frame &f = m_frames.back();
    const SpfDirective &d = current();
    if (d.mechanism != SpfMechanism::Include)
        m_via = QStringLiteral("'%1' in %2").arg(d.text, f.domain);
    frameDone(resultOf(d.qualifier), d.text);
}

void SpfCheck::notMatched()
{
    ++m_frames.back().next;
    run();
}

// A check_host() call ended with a result (errors finish directly instead).
void SpfCheck::frameDone(SpfResult result, QString term)
{
    if (m_frames.size() > 1) {
        m_frames.pop_back();
        // §5.2: an include matches on pass only; fail, softfail and neutral go on.
        if (result == SpfResult::Pass) {
            matched();
        } else {
            m_via.clear();
            notMatched();
        }
        return;
    }
    const Frame &f = m_frames.back();
    m_outcome.mechanism = term;
    QString why = term.isEmpty() ? QStringLiteral("%1: no term matched").arg(f.domain)
                                 : QStringLiteral("%1: matched '%2'").arg(f.domain, term);
    if (!term.isEmpty() && current().mechanism == SpfMechanism::Include && !m_via.isEmpty())
        why += QStringLiteral(" via ") + m_via;
    m_outcome.explanation = why;
    m_outcome.result = result;
    if (result == SpfResult::Fail && !f.record.explanation.isEmpty())
        fetchExplanation();
    else
        finish(result, QString());
}

// §6.2: the explanation of a fail. Any problem just leaves it out.
void SpfCheck::fetchExplanation()
{
    const Frame &f = m_frames.back();
    if (!m_reverse && spfNeedsReverse(f.record.explanation)) {
        validateReverse([self = shared_from_this()] { self->fetchExplanation(); });
        return;
    }
    const std::optional<QString> target = expandSpfDomainSpec(f.record.explanation, macroValues(f.domain));
    if (!target) {
        finish(SpfResult::Fail, QString());
        return;
    }
    m_dns.txt(*target, [self = shared_from_this()](const dns::Reply<QByteArray> &reply) {
        if (self->m_finished)
            return;
        if (reply.rcode != dns::Rcode::Ok || reply.records.size() != 1) {
            self->finish(SpfResult::Fail, QString());
            return;
        }
        const QByteArray txt = reply.records.front();
        if (!self->m_reverse && txt.size() <= self->m_opts.maxRecordLength
            && spfNeedsReverse(QString::fromLatin1(txt))) {
            self->validateReverse([self, txt] {
                self->setSenderExplanation(txt);
                self->finish(SpfResult::Fail, QString());
            });
            return;
        }
        self->setSenderExplanation(txt);
        self->finish(SpfResult::Fail, QString());
    });
}

void SpfCheck::setSenderExplanation(const QByteArray &txt)
{
    if (txt.size() > m_opts.maxRecordLength)
        return;
    for (const char c : txt) {
        if (c < 0x20 || c > 0x7e)
            return;
    }
    const std::optional<QString> text
        = expandSpfMacros(QString::fromLatin1(txt), macroValues(m_frames.back().domain), SpfMacroUse::Explanation);
    if (text && text->size() <= m_opts.maxExplanationLength)
        m_outcome.senderExplanation = *text;
}

// §4.6.4: more than maxVoidLookups void answers is permerror.
bool SpfCheck::countVoid()
{
    if (++m_voids <= m_opts.maxVoidLookups)
        return true;
    finish(SpfResult::PermError, QStringLiteral("more than %1 void DNS lookups").arg(m_opts.maxVoidLookups));
    return false;
}

void SpfCheck::finish(SpfResult result, const QString &why)
{
    if (m_finished)
        return;
    m_finished = true;
    m_outcome.result = result;
    if (!why.isEmpty())
        m_outcome.explanation = why;
    m_outcome.dnsLookups = m_dnsTerms;
    qCDebug(lcSpf) << "spf" << spfResultName(result) << m_outcome.identity << m_outcome.domain << m_ip.toString()
                   << m_outcome.explanation;
    const std::function<void(const SpfOutcome &)> done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(m_outcome);
}

namespace
{

void startCheck(Lookup &dns,
    const SpfRequest &req,
    const SpfOptions &options,
    bool heloIdentity,
    std::function<void(const SpfOutcome &)> done)
{
    auto check = std::make_shared<SpfCheck>(dns, options, std::move(done));
    check->start(req, heloIdentity);
}

} // namespace

QString spfResultName(SpfResult result)
{
    switch (result) {
    case SpfResult::None:
        return QStringLiteral("none");
    case SpfResult::Neutral:
        return QStringLiteral("neutral");
    case SpfResult::Pass:
        return QStringLiteral("pass");
    case SpfResult::Fail:
        return QStringLiteral("fail");
    case SpfResult::SoftFail:
        return QStringLiteral("softfail");
    case SpfResult::TempError:
        return QStringLiteral("temperror");
    case SpfResult::PermError:
        return QStringLiteral("permerror");
    }
    return QStringLiteral("none");
}

void checkSpf(Lookup &dns, const SpfRequest &req, std::function<void(const SpfOutcome &)> done)
{
    startCheck(dns, req, SpfOptions(), false, std::move(done));
}

void checkSpf(
    Lookup &dns, const SpfRequest &req, const SpfOptions &options, std::function<void(const SpfOutcome &)> done)
{
    startCheck(dns, req, options, false, std::move(done));
}

void checkSpfHelo(
    Lookup &dns, const SpfRequest &req, const SpfOptions &options, std::function<void(const SpfOutcome &)> done)
{
    startCheck(dns, req, options, true, std::move(done));
}

} // namespace mailroom::mailauth
