// The spam pipeline: the network checks run side by side on the filter's
// thread (SPF, DKIM, reverse DNS, DNSBL, URIBL; DMARC once SPF and DKIM are
// in), then Bayes and the rules, then the score and the headers.
// Trust level: see filter.h.
#include "spam/filter.h"

#include <functional>

#include <QDateTime>
#include <QPromise>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>

#include "mailauth/dkim.h"
#include "mailauth/dmarc.h"
#include "mailauth/lookup.h"
#include "mailauth/spf.h"
#include "mime/address.h"
#include "mime/decode.h"
#include "mime/encodedword.h"
#include "mime/headers.h"
#include "mime/part.h"
#include "mime/plaintext.h"
#include "spam/bayesfilter.h"
#include "spam/reputation.h"
#include "spam/senderlists.h"
#include "store/spampolicy.h"

namespace mailroom::spam
{

namespace
{
constexpr qsizetype kMaxBodyChars = 100'000;
constexpr int kMaxUris = 200;
constexpr int kMaxUriblHosts = 10;

// SpamAssassin's bands, so admins who know those read ours at once, except
// that its 0.4-0.6 band is cut at 0.5: our chi-square result leans to its
// side of 0.5 (see bayes.cpp), and 0.5 is where Bayes alone says spam.
QString bayesTag(double p)
{
    static const struct {
        double below;
        const char *tag;
    } bands[] = { { 0.01, "BAYES_00" }, { 0.05, "BAYES_05" }, { 0.20, "BAYES_20" }, { 0.40, "BAYES_40" },
        { 0.50, "BAYES_45" }, { 0.60, "BAYES_50" }, { 0.80, "BAYES_60" }, { 0.95, "BAYES_80" }, { 0.99, "BAYES_95" },
        { 0.999, "BAYES_99" } };
    for (const auto &b : bands)
        if (p < b.below)
            return QLatin1String(b.tag);
    return QStringLiteral("BAYES_999");
}

QString upperName(const QString &s)
{
    return s.toUpper();
}

// "2.0.0.192.zone" / nibbles for IPv6 (RFC 5782 §2.1, §2.4).
QString reversedName(const QHostAddress &a, const QString &zone)
{
    bool v4 = false;
    const quint32 ip4 = a.toIPv4Address(&v4);
    if (v4)
        return QStringLiteral("%1.%2.%3.%4.")
                   .arg(ip4 & 0xff)
                   .arg((ip4 >> 8) & 0xff)
                   .arg((ip4 >> 16) & 0xff)
                   .arg(ip4 >> 24)
            + zone;
    const Q_IPV6ADDR ip6 = a.toIPv6Address();
    QString out;
    for (int i = 15; i >= 0; --i) {
        out += QString::number(ip6[i] & 0xf, 16) + u'.';
        out += QString::number(ip6[i] >> 4, 16) + u'.';
    }
    return out + zone;
}

QString fromDomainOf(const QByteArray &message)
{
    const mime::HeaderBlock h = mime::HeaderBlock::parse(message, nullptr);
    const QList<mime::Mailbox> from = mime::mailboxes(mime::parseAddressList(h.value("From")));
    return from.isEmpty() ? QString() : QString::fromUtf8(from.first().domain).toLower();
}

QString fromAddressOf(const QByteArray &message)
{
    const mime::HeaderBlock h = mime::HeaderBlock::parse(message, nullptr);
    const QList<mime::Mailbox> from = mime::mailboxes(mime::parseAddressList(h.value("From")));
    if (from.isEmpty() || from.first().domain.isEmpty())
        return {};
    return QString::fromUtf8(from.first().addrSpec()).toLower();
}

QString domainPart(const QString &address)
{
    const qsizetype at = address.lastIndexOf(u'@');
    return at < 0 ? QString() : address.mid(at + 1).toLower();
}

// A reputation with fewer messages than this says nothing yet.
constexpr qint64 kReputationMinMessages = 3;
constexpr double kReputationGoodMean = -1.0;
} // namespace

QString actionName(Action a)
{
    switch (a) {
    case Action::Accept:
        return QStringLiteral("accept");
    case Action::Junk:
        return QStringLiteral("junk");
    case Action::Quarantine:
        return QStringLiteral("quarantine");
    case Action::Tempfail:
        return QStringLiteral("tempfail");
    case Action::Reject:
        return QStringLiteral("reject");
    }
    return QStringLiteral("accept");
}

QString verdictName(Action a)
{
    switch (a) {
    case Action::Junk:
        return QStringLiteral("junk");
    case Action::Quarantine:
        return QStringLiteral("quarantine");
    default:
        return QStringLiteral("accept");
    }
}

RuleInput ruleInput(const QByteArray &message)
{
    return ruleInput(message, parseForTokens(message));
}

RuleInput ruleInput(const QByteArray &message, const mime::Part &root)
{
    RuleInput in;
    const mime::HeaderBlock &h = root.headers;
    for (const mime::HeaderField &f : h.fields) {
        const QString name = QString::fromLatin1(f.name).toLower();
        const QString value = mime::decodeUnstructured(f.value.left(4096));
        if (name == u"subject" && in.subject.isEmpty())
            in.subject = value.simplified();
        in.headers.append({ name, value });
    }
    const QList<mime::Mailbox> from = mime::mailboxes(mime::parseAddressList(h.value("From")));
    if (!from.isEmpty())
        in.from = QString::fromUtf8(from.first().addrSpec());
    for (const char *field : { "To", "Cc" })
        for (const QByteArray &v : h.values(field))
            for (const mime::Mailbox &m : mime::mailboxes(mime::parseAddressList(v)))
                if (in.to.size() < 100)
                    in.to << QString::fromUtf8(m.addrSpec());
    in.body = mime::plainText(message, root, kMaxBodyChars);
    // Links from the text, and from the decoded HTML parts, whose link
    // targets (href values) the text leaves out.
    static const QRegularExpression url(
        QStringLiteral("\\b(?:https?://|www\\.)[^\\s<>\"'()]+"), QRegularExpression::CaseInsensitiveOption);
    QSet<QString> seen;
    auto collect = [&](const QString &text) {
        auto it = url.globalMatch(text);
        while (it.hasNext() && in.uris.size() < kMaxUris) {
            const QString u = it.next().captured(0);
            if (!seen.contains(u)) {
                seen.insert(u);
                in.uris << u;
            }
        }
    };
    collect(in.body);
    qsizetype budget = kMaxBodyChars;
    std::function<void(const mime::Part &)> walk = [&](const mime::Part &p) {
        if (budget <= 0)
            return;
        if (p.contentType.is("text", "html") && p.children.isEmpty()) {
            const QByteArray raw = message.mid(p.bodyStart, qMin(p.bodySize(), budget * 4 / 3 + 4));
            const QString html
                = mime::toText(mime::decodeTransfer(raw, p.transferEncoding), p.contentType.param("charset"))
                      .left(budget);
            budget -= html.size();
            collect(html);
            return;
        }
        for (const mime::Part &c : p.children)
            walk(c);
    };
    walk(root);
    return in;
}

QByteArray withoutOwnHeaders(const QByteArray &message, const QString &authservId)
{
    qsizetype bodyOffset = 0;
    const mime::HeaderBlock h = mime::HeaderBlock::parse(message, &bodyOffset);
    QList<std::pair<qsizetype, qsizetype>> drop;
    for (const mime::HeaderField &f : h.fields) {
        const QByteArray name = f.name.toLower();
        bool ours = name == "x-spam-score" || name == "x-spam-status" || name == "x-spam-tags" || name == "x-spam-flag";
        if (name == "authentication-results") {
            const QByteArray id = f.value.left(f.value.indexOf(';')).trimmed();
            ours = !authservId.isEmpty() && QString::fromUtf8(id).compare(authservId, Qt::CaseInsensitive) == 0;
        }
        if (ours)
            drop.append({ f.rawStart, f.rawEnd });
    }
    if (drop.isEmpty())
        return message;
    QByteArray out;
    out.reserve(message.size());
    qsizetype at = 0;
    for (const auto &[start, end] : drop) {
        out += QByteArrayView(message).sliced(at, start - at);
        at = end;
    }
    out += QByteArrayView(message).sliced(at);
    return out;
}

struct Filter::Run {
    FilterRequest request;
    QPromise<FilterResult> promise;
    TagList tags;
    int pending = 0;
    bool finished = false;
    QStringList authResults; // RFC 8601 resinfo, in order
    // For DMARC, which waits for SPF and DKIM.
    bool spfDone = false, dkimDone = false;
    mailauth::SpfOutcome spf;
    mailauth::DkimVerification dkim;
    QTimer *deadline = nullptr;
};

Filter::Filter(BayesFilter &bayes,
    RuleSet rules,
    FilterSettings settings,
    mailauth::Lookup *dns,
    store::Greylist *greylist,
    QObject *parent)
    : QObject(parent)
    , m_bayes(bayes)
    , m_rules(std::make_shared<const RuleSet>(std::move(rules)))
    , m_settings(std::move(settings))
    , m_dns(dns)
    , m_greylist(greylist)
{
}

QString greylistNetwork(const QHostAddress &client)
{
    bool v4 = false;
    const quint32 ip4 = client.toIPv4Address(&v4);
    if (v4)
        return QHostAddress(ip4 & 0xffffff00u).toString() + QStringLiteral("/24");
    Q_IPV6ADDR ip6 = client.toIPv6Address();
    for (int i = 8; i < 16; ++i)
        ip6[i] = 0;
    return QHostAddress(ip6).toString() + QStringLiteral("/64");
}

void Filter::greylist(const Run &run, FilterResult &result)
{
    if (!m_settings.greylist || !m_greylist || run.request.client.isNull() || result.action == Action::Reject)
        return;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    // Old triplets and allowances go once an hour.
    if (now - m_lastPrune > 3600) {
        m_lastPrune = now;
        (void)m_greylist->prune(
            now, qMax(m_settings.greylistPolicy.allowSecs, m_settings.greylistPolicy.retryWindowSecs));
    }
    QStringList recipients;
    for (const QString &r : run.request.recipients)
        recipients << r.toLower();
    auto d = m_greylist->check(
        greylistNetwork(run.request.client), run.request.sender.toLower(), recipients, now, m_settings.greylistPolicy);
    // A database failure lets mail through rather than stop it.
    if (!d || d->pass)
        return;
    result.action = Action::Tempfail;
    result.tags.append({ QStringLiteral("GREYLISTED"), 0,
        QStringLiteral("first seen from %1; a retry after %2 s passes")
            .arg(greylistNetwork(run.request.client))
            .arg(d->waitSecs) });
}

Filter::~Filter()
{
    if (m_reputation)
        (void)m_reputation->flush(QDateTime::currentSecsSinceEpoch());
}

void Filter::setSettings(const FilterSettings &settings)
{
    m_settings = settings;
}

void Filter::setRules(std::shared_ptr<const RuleSet> rules)
{
    QMutexLocker lock(&m_mutex);
    m_rules = std::move(rules);
}

std::shared_ptr<const RuleSet> Filter::rules() const
{
    QMutexLocker lock(&m_mutex);
    return m_rules;
}

void Filter::setLists(std::shared_ptr<const SenderLists> lists)
{
    QMutexLocker lock(&m_mutex);
    m_lists = std::move(lists);
}

std::shared_ptr<const SenderLists> Filter::lists() const
{
    QMutexLocker lock(&m_mutex);
    return m_lists;
}

void Filter::setPersonalScope(std::function<qint64(const QStringList &)> scope)
{
    m_personalScope = std::move(scope);
}

void Filter::setPolicy(store::SpamPolicy *policy, Reputation *reputation)
{
    m_policy = policy;
    m_reputation = reputation;
}

namespace
{
// Organizational domains that SPF or a DKIM signature proved.
QSet<QString> verifiedDomains(bool spfDone, const mailauth::SpfOutcome &spf, const mailauth::DkimVerification &dkim)
{
    QSet<QString> out;
    if (spfDone && spf.result == mailauth::SpfResult::Pass && !spf.domain.isEmpty())
        out.insert(mailauth::organizationalDomain(spf.domain));
    for (const auto &sig : dkim.signatures)
        if (sig.result == mailauth::DkimResult::Pass && !sig.domain.isEmpty())
            out.insert(mailauth::organizationalDomain(sig.domain));
    out.remove(QString());
    return out;
}
} // namespace

bool Filter::applyLists(const Run &run, FilterResult &r, const QByteArray &message)
{
    const qsizetype n = run.request.recipients.size();
    r.recipientActions = QList<Action>(n, r.action);
    const std::shared_ptr<const SenderLists> lists = this->lists();
    if (!lists || lists->isEmpty() || n == 0)
        return false;
    SenderFacts f;
    f.envelopeSender = run.request.sender.toLower();
    f.fromAddress = fromAddressOf(message);
    f.client = run.request.client;
    f.verifiedDomains = verifiedDomains(run.spfDone, run.spf, run.dkim);
    QList<qint64> hits;
    QList<ListDecision> unverified;
    bool anyAllow = false;
    for (qsizetype i = 0; i < n; ++i) {
        const auto d = lists->decide(run.request.recipients[i], f, &unverified);
        if (!d)
            continue;
        hits << d->id;
        anyAllow = anyAllow || d->allow;
        r.recipientActions[i] = d->allow ? Action::Accept : Action::Reject;
        r.tags.append({ d->allow ? QStringLiteral("LIST_ALLOW") : QStringLiteral("LIST_BLOCK"), 0,
            QStringLiteral("%1 on the %2 %3 list, for %4")
                .arg(d->pattern, d->scope, d->allow ? QStringLiteral("allow") : QStringLiteral("block"),
                    run.request.recipients[i]) });
    }
    if (!unverified.isEmpty())
        r.tags.append({ QStringLiteral("LIST_ALLOW_UNVERIFIED"), 0,
            QStringLiteral("%1 is on the %2 allow list, but neither SPF nor DKIM confirms the sender's domain")
                .arg(unverified.first().pattern, unverified.first().scope) });
    // One answer to DATA covers every recipient: refuse only when all are
    // refused; a refused recipient's copy otherwise waits in quarantine.
    if (!hits.isEmpty()) {
        const bool allRefused = std::all_of(
            r.recipientActions.cbegin(), r.recipientActions.cend(), [](Action a) { return a == Action::Reject; });
        if (allRefused) {
            r.action = Action::Reject;
        } else {
            for (Action &a : r.recipientActions)
                if (a == Action::Reject)
                    a = Action::Quarantine;
            if (r.action == Action::Reject)
                r.action = Action::Quarantine;
        }
        if (m_policy)
            (void)m_policy->recordHits(hits);
    }
    return anyAllow;
}

QString Filter::reputationKey(const Run &run) const
{
    const QString fromAddress = fromAddressOf(run.request.message);
    const QString address = fromAddress.isEmpty() ? run.request.sender.toLower() : fromAddress;
    if (address.isEmpty())
        return {};
    const QString org = mailauth::organizationalDomain(domainPart(address));
    if (!org.isEmpty() && verifiedDomains(run.spfDone, run.spf, run.dkim).contains(org))
        return QStringLiteral("d:") + org;
    if (run.request.client.isNull())
        return {};
    return QStringLiteral("a:") + address.left(320) + u' ' + greylistNetwork(run.request.client);
}

QFuture<FilterResult> Filter::check(FilterRequest request)
{
    auto run = std::make_shared<Run>();
    run->request = std::move(request);
    run->promise.start();
    QFuture<FilterResult> future = run->promise.future();
    QMetaObject::invokeMethod(this, [this, run] { start(run); });
    return future;
}

void Filter::start(const std::shared_ptr<Run> &run)
{
    const FilterRequest &req = run->request;
    // HELO: an IP literal or a bare word is what real MTAs rarely send.
    if (req.helo.startsWith(u'['))
        run->tags.add(QStringLiteral("HELO_IP_LITERAL"), req.helo.left(80));
    else if (!req.helo.contains(u'.'))
        run->tags.add(QStringLiteral("HELO_NOT_FQDN"), req.helo.left(80));
    if (!m_dns || req.client.isNull()) {
        finish(run);
        return;
    }
    mailauth::Lookup &dns = *m_dns;
    auto done = [this, run] {
        if (--run->pending == 0)
            finish(run);
    };
    auto dmarcWhenReady = [this, run, done] {
        if (!run->spfDone || !run->dkimDone)
            return;
        mailauth::DmarcInput in;
        in.fromDomain = fromDomainOf(run->request.message);
        in.spf = run->spf.result;
        in.spfDomain = run->spf.domain;
        for (const auto &s : run->dkim.signatures)
            in.dkim.append({ s.domain, s.result == mailauth::DkimResult::Pass });
        if (in.fromDomain.isEmpty()) {
            done();
            return;
        }
        mailauth::checkDmarc(*m_dns, in, [run, done, from = in.fromDomain](const mailauth::DmarcOutcome &o) {
            using R = mailauth::DmarcResult;
            if (o.result == R::Pass)
                run->tags.add(QStringLiteral("DMARC_PASS"), from);
            else if (o.result == R::Fail) {
                const QString tag = o.policy == u"reject" ? QStringLiteral("DMARC_REJECT")
                    : o.policy == u"quarantine"           ? QStringLiteral("DMARC_QUARANTINE")
                                                          : QStringLiteral("DMARC_NONE_POLICY");
                run->tags.add(tag, o.explanation);
            }
            if (o.result != R::None)
                run->authResults
                    << QStringLiteral("dmarc=%1 header.from=%2").arg(mailauth::dmarcResultName(o.result), from);
            done();
        });
    };

    // SPF (RFC 7208) on MAIL FROM, or on HELO for the null sender.
    run->pending += 3; // SPF, DKIM, DMARC
    mailauth::checkSpf(dns, { req.client, req.helo, req.sender, m_settings.authservId },
        [run, done, dmarcWhenReady](const mailauth::SpfOutcome &o) {
            run->spf = o;
            run->spfDone = true;
            run->tags.add(QStringLiteral("SPF_") + upperName(mailauth::spfResultName(o.result)), o.explanation);
            run->authResults.prepend(
                QStringLiteral("spf=%1 smtp.%2=%3")
                    .arg(mailauth::spfResultName(o.result),
                        o.identity == u"helo" ? QStringLiteral("helo") : QStringLiteral("mailfrom"),
                        o.domain.isEmpty() ? QStringLiteral("unknown") : o.domain));
            done();
            dmarcWhenReady();
        });
    // DKIM (RFC 6376).
    mailauth::verifyDkim(dns, req.message, [run, done, dmarcWhenReady](const mailauth::DkimVerification &v) {
        run->dkim = v;
        run->dkimDone = true;
        const QString from = fromDomainOf(run->request.message);
        bool valid = false, invalid = false, aligned = false;
        for (const auto &s : v.signatures) {
            if (s.result == mailauth::DkimResult::Pass) {
                valid = true;
                if (!from.isEmpty() && mailauth::organizationalDomain(s.domain) == mailauth::organizationalDomain(from))
                    aligned = true;
            } else if (s.result == mailauth::DkimResult::Fail || s.result == mailauth::DkimResult::PermError) {
                invalid = true;
            }
            run->authResults << QStringLiteral("dkim=%1 header.d=%2 header.s=%3")
                                    .arg(QLatin1String(mailauth::dkimResultName(s.result)), s.domain, s.selector);
        }
        if (v.signatures.isEmpty())
            run->authResults << QStringLiteral("dkim=none");
        if (valid)
            run->tags.add(QStringLiteral("DKIM_VALID"));
        else if (invalid)
            run->tags.add(QStringLiteral("DKIM_INVALID"), v.signatures.first().reason);
        else
            run->tags.add(QStringLiteral("DKIM_NONE"));
        if (aligned)
            run->tags.add(QStringLiteral("DKIM_VALID_AU"), from);
        done();
        dmarcWhenReady();
    });
    // Reverse DNS, confirmed forward (FCrDNS).
    ++run->pending;
    dns.ptr(req.client, [this, run, done](const dns::Reply<QString> &r) {
        if (r.rcode == dns::Rcode::TempFail) {
            done();
            return;
        }
        if (r.records.isEmpty()) {
            run->tags.add(QStringLiteral("RDNS_NONE"), run->request.client.toString());
            done();
            return;
        }
        const QString name = r.records.first();
        const bool v4 = run->request.client.protocol() == QAbstractSocket::IPv4Protocol
            || run->request.client.toIPv4Address() != 0;
        auto confirm = [run, done, name](const dns::Reply<QHostAddress> &a) {
            bool same = false;
            for (const QHostAddress &x : a.records)
                same = same || x.isEqual(run->request.client, QHostAddress::ConvertV4MappedToIPv4);
            if (a.rcode != dns::Rcode::TempFail && !same)
                run->tags.add(QStringLiteral("RDNS_MISMATCH"), name);
            done();
        };
        if (v4)
            m_dns->a(name, confirm);
        else
            m_dns->aaaa(name, confirm);
    });
    // DNSBL on the client's address (RFC 5782): an answer in 127/8 lists it.
    for (const QString &zone : m_settings.dnsblZones) {
        ++run->pending;
        dns.a(reversedName(req.client, zone), [run, done, zone](const dns::Reply<QHostAddress> &r) {
            for (const QHostAddress &a : r.records)
                if ((a.toIPv4Address() >> 24) == 127) {
                    run->tags.add(QStringLiteral("DNSBL_LISTED"),
                        QStringLiteral("%1 in %2 (%3)").arg(run->request.client.toString(), zone, a.toString()));
                    break;
                }
            done();
        });
    }
    // URIBL on the registered domains of the message's links.
    if (!m_settings.uriblZones.isEmpty()) {
        QSet<QString> hosts;
        static const QRegularExpression host(
            QStringLiteral("^(?:https?://)?([^/:?#]+)"), QRegularExpression::CaseInsensitiveOption);
        for (const QString &u : ruleInput(req.message).uris) {
            const QString h = host.match(u).captured(1).toLower();
            const QString org = mailauth::organizationalDomain(h);
            if (!org.isEmpty())
                hosts.insert(org);
            if (hosts.size() >= kMaxUriblHosts)
                break;
        }
        for (const QString &h : std::as_const(hosts))
            for (const QString &zone : m_settings.uriblZones) {
                ++run->pending;
                dns.a(h + u'.' + zone, [run, done, h, zone](const dns::Reply<QHostAddress> &r) {
                    for (const QHostAddress &a : r.records)
                        if ((a.toIPv4Address() >> 24) == 127) {
                            run->tags.add(QStringLiteral("URIBL_LISTED"), QStringLiteral("%1 in %2").arg(h, zone));
                            break;
                        }
                    done();
                });
            }
    }
    // What has not answered by the deadline is left out.
    run->deadline = new QTimer(this);
    run->deadline->setSingleShot(true);
    connect(run->deadline, &QTimer::timeout, this, [this, run] { finish(run); });
    run->deadline->start(m_settings.deadlineMs);
}

FilterResult Filter::score(const QByteArray &message, TagList &tags, qint64 bayesScope) const
{
    FilterResult result;
    const std::shared_ptr<const RuleSet> rules = this->rules();
    const mime::Part root = parseForTokens(message, m_bayes.limits());
    const BayesScore b = m_bayes.score(message, root, bayesScope);
    result.bayes = b.probability;
    result.bayesReady = b.ready;
    if (b.ready && b.used > 0)
        tags.add(bayesTag(b.probability),
            QStringLiteral("spam probability %1%2")
                .arg(b.probability, 0, 'f', 4)
                .arg(b.scope != 0 ? QStringLiteral(", by the recipient's own filter") : QString()));
    rules->evaluate(ruleInput(message, root), tags);
    for (const TagHit &t : tags.hits()) {
        const double points = rules->score(t.name);
        result.tags.append({ t.name, points, t.detail });
        result.score += points;
    }
    std::stable_sort(result.tags.begin(), result.tags.end(),
        [](const ScoredTag &x, const ScoredTag &y) { return x.score > y.score; });
    if (m_settings.rejectScore > 0 && result.score >= m_settings.rejectScore)
        result.action = Action::Reject;
    else if (m_settings.quarantineScore > 0 && result.score >= m_settings.quarantineScore)
        result.action = Action::Quarantine;
    else if (result.score >= m_settings.junkScore)
        result.action = Action::Junk;
    return result;
}

FilterResult Filter::checkOffline(const QByteArray &message) const
{
    TagList tags;
    return score(message, tags);
}

void Filter::finish(const std::shared_ptr<Run> &run)
{
    if (run->finished)
        return;
    run->finished = true;
    if (run->deadline) {
        run->deadline->stop();
        run->deadline->deleteLater();
        run->deadline = nullptr;
    }
    QByteArray message = withoutOwnHeaders(run->request.message, m_settings.authservId);
    // The sender's past messages, before this one counts.
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QString repKey = m_reputation ? reputationKey(*run) : QString();
    if (!repKey.isEmpty()) {
        const SenderHistory h = m_reputation->history(repKey);
        const QString detail = QStringLiteral("%1 earlier messages from %2 scored %3 on average")
                                   .arg(h.messages)
                                   .arg(repKey.mid(2))
                                   .arg(h.mean, 0, 'f', 1);
        if (h.messages >= kReputationMinMessages && h.mean <= kReputationGoodMean)
            run->tags.add(QStringLiteral("REP_GOOD"), detail);
        else if (h.messages >= kReputationMinMessages && h.mean >= m_settings.junkScore)
            run->tags.add(QStringLiteral("REP_BAD"), detail);
    }
    run->request.message.clear();
    const qint64 bayesScope = m_settings.bayesPerUser && m_personalScope ? m_personalScope(run->request.recipients) : 0;
    FilterResult r = score(message, run->tags, bayesScope);
    if (!repKey.isEmpty()) {
        double own = r.score;
        for (const ScoredTag &t : std::as_const(r.tags))
            if (t.name.startsWith(u"REP_"))
                own -= t.score;
        m_reputation->record(repKey, own, now);
        if (now - m_lastFlush >= 60) {
            m_lastFlush = now;
            (void)m_reputation->flush(now);
        }
    }
    if (!applyLists(*run, r, message))
        greylist(*run, r);
    QStringList names;
    for (const ScoredTag &t : std::as_const(r.tags))
        names << t.name;
    const QString score = QString::number(r.score, 'f', 1);
    QByteArray headers;
    headers += "X-Spam-Score: " + score.toLatin1() + "\r\n";
    headers += "X-Spam-Status: " + QByteArray(r.action == Action::Accept ? "No" : "Yes") + ", score=" + score.toLatin1()
        + " required=" + QByteArray::number(m_settings.junkScore, 'f', 1) + "\r\n";
    // Folded at commas so that a long list stays within 78 characters.
    QByteArray tagLine = "X-Spam-Tags: ";
    qsizetype lineLength = tagLine.size();
    for (qsizetype i = 0; i < names.size(); ++i) {
        const QByteArray t = names[i].toLatin1() + (i + 1 < names.size() ? "," : "");
        if (lineLength + t.size() > 76 && i > 0) {
            tagLine += "\r\n\t";
            lineLength = 1;
        }
        tagLine += t;
        lineLength += t.size();
    }
    headers += tagLine + "\r\n";
    if (m_dns && !run->request.client.isNull()) {
        QByteArray ar = "Authentication-Results: " + m_settings.authservId.toUtf8();
        if (run->authResults.isEmpty())
            ar += "; none";
        for (const QString &res : std::as_const(run->authResults))
            ar += ";\r\n\t" + res.toUtf8();
        headers += ar + "\r\n";
    }
    r.message = headers + message;
    run->promise.addResult(std::move(r));
    run->promise.finish();
}

} // namespace mailroom::spam
