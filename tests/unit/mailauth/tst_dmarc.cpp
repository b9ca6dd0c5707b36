// DMARC (RFC 7489): record parsing (§6.3, §6.4, the fallback of §6.6.3 step
// 6), the Organizational Domain through libpsl (§3.2), policy discovery at the
// From domain and its Organizational Domain (§6.6.3), relaxed and strict
// alignment of SPF and DKIM (§3.1), sp= for subdomains, pct= sampling
// (§6.6.4) and DNS errors, against a table of TXT records.
// Trust level: test code; it may wait with QTest::qWaitFor, the engine may not.
#include <memory>
#include <optional>

#include <QHash>
#include <QTest>
#include <QTimer>

#include "dns/names.h"
#include "mailauth/dmarc.h"
#include "mailauth/lookup.h"

using namespace mailroom;
using namespace mailroom::mailauth;

namespace
{

// TXT records by name ("<name> TXT <record>" or "<name> TEMPFAIL"); answers
// come later from the event loop. Other types answer NXDOMAIN.
class FakeTxt : public Lookup
{
public:
    explicit FakeTxt(const QStringList &zone)
    {
        for (const QString &line : zone) {
            const QString name = line.section(u' ', 0, 0).toLower();
            const QString type = line.section(u' ', 1, 1);
            if (type == u"TEMPFAIL")
                m_tempFail.append(name);
            else
                m_txt[name].append(line.section(u' ', 2).toUtf8());
        }
    }

    void txt(const QString &name, std::function<void(const dns::Reply<QByteArray> &)> done) override
    {
        asked.append(name);
        dns::Reply<QByteArray> r;
        const std::optional<QByteArray> norm = dns::normalizeName(name);
        if (!norm)
            r.rcode = dns::Rcode::Malformed;
        else if (m_tempFail.contains(QString::fromLatin1(*norm)))
            r.rcode = dns::Rcode::TempFail;
        else if (!m_txt.contains(QString::fromLatin1(*norm)))
            r.rcode = dns::Rcode::NxDomain;
        else {
            r.rcode = dns::Rcode::Ok;
            r.records = m_txt.value(QString::fromLatin1(*norm));
        }
        QTimer::singleShot(0, [done = std::move(done), r] { done(r); });
    }
    void a(const QString &, std::function<void(const dns::Reply<QHostAddress> &)> done) override
    {
        nx(std::move(done));
    }
    void aaaa(const QString &, std::function<void(const dns::Reply<QHostAddress> &)> done) override
    {
        nx(std::move(done));
    }
    void mx(const QString &, std::function<void(const dns::Reply<dns::MxRecord> &)> done) override
    {
        nx(std::move(done));
    }
    void ptr(const QHostAddress &, std::function<void(const dns::Reply<QString> &)> done) override
    {
        nx(std::move(done));
    }

    QStringList asked;

private:
    template<class T> static void nx(std::function<void(const dns::Reply<T> &)> done)
    {
        dns::Reply<T> r;
        r.rcode = dns::Rcode::NxDomain;
        QTimer::singleShot(0, [done = std::move(done), r] { done(r); });
    }

    QHash<QString, QList<QByteArray>> m_txt;
    QStringList m_tempFail;
};

const QStringList zone = {
    QStringLiteral("_dmarc.example.com TXT v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.com"),
    QStringLiteral("_dmarc.own.example.com TXT v=DMARC1; p=none"),
    QStringLiteral("_dmarc.strict.example TXT v=DMARC1; p=reject; adkim=s; aspf=s"),
    QStringLiteral("_dmarc.nosp.example TXT v=DMARC1; p=quarantine"),
    QStringLiteral("_dmarc.temp.example TEMPFAIL"),
    QStringLiteral("_dmarc.two.example TXT v=DMARC1; p=none"),
    QStringLiteral("_dmarc.two.example TXT v=DMARC1; p=reject"),
    QStringLiteral("_dmarc.bad.example TXT v=DMARC1; p=bogus"),
    QStringLiteral("_dmarc.other.example TXT v=spf1 -all"),
    QStringLiteral("_dmarc.other.example TXT v=DMARC1; p=quarantine"),
    QStringLiteral("_dmarc.example.co.uk TXT v=DMARC1; p=reject"),
    QStringLiteral("_dmarc.xn--bcher-kva.example TXT v=DMARC1; p=reject"),
    QStringLiteral("_dmarc.pct.example TXT v=DMARC1; p=reject; pct=30"),
    QStringLiteral("_dmarc.pctq.example TXT v=DMARC1; p=quarantine; pct=30"),
    QStringLiteral("_dmarc.pct0.example TXT v=DMARC1; p=reject; pct=0"),
    QStringLiteral("_dmarc.fallback.example TXT v=DMARC1; p=maybe; rua=mailto:r@fallback.example"),
    QStringLiteral("_dmarc.none.example TXT some other text"),
};

struct Waited {
    std::optional<DmarcOutcome> outcome;
    int calls = 0;
};

std::shared_ptr<Waited> run(Lookup &dns, const DmarcInput &in, const DmarcOptions &opts = DmarcOptions())
{
    auto w = std::make_shared<Waited>();
    checkDmarc(dns, in, opts, [w](const DmarcOutcome &o) {
        w->outcome = o;
        ++w->calls;
    });
    if (w->calls != 0)
        qWarning("done was called inside checkDmarc()");
    (void)QTest::qWaitFor([w] { return w->outcome.has_value(); }, 5000);
    return w;
}

// "d=example.com:pass,other.example:fail"
QList<DmarcInput::Dkim> signatures(const QString &text)
{
    QList<DmarcInput::Dkim> out;
    for (const QString &s : text.split(u',', Qt::SkipEmptyParts))
        out.append(DmarcInput::Dkim { s.section(u':', 0, 0), s.section(u':', 1) == u"pass" });
    return out;
}

} // namespace

class TestDmarc : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void reportUris();
    void orgDomain_data();
    void orgDomain();
    void check_data();
    void check();
    void sampling();
    void answersOnceLater();
    void resultNames();
    void everyPrefix();
};

void TestDmarc::parse_data()
{
    QTest::addColumn<QByteArray>("txt");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("policy");
    QTest::addColumn<QString>("sp");
    QTest::addColumn<bool>("strictSpf");
    QTest::addColumn<bool>("strictDkim");
    QTest::addColumn<int>("pct");
    QTest::addColumn<int>("rua");

    const auto ok = [](const char *name, const QByteArray &txt, const char *p, const char *sp = "", bool aspf = false,
                        bool adkim = false, int pct = 100, int rua = 0) {
        QTest::newRow(name) << txt << true << QString::fromLatin1(p) << QString::fromLatin1(sp) << aspf << adkim << pct
                            << rua;
    };
    const auto bad = [](const char *name, const QByteArray &txt) {
        QTest::newRow(name) << txt << false << QString() << QString() << false << false << 100 << 0;
    };
    ok("minimal", "v=DMARC1; p=none", "none");
    ok("no spaces", "v=DMARC1;p=reject", "reject");
    ok("all tags",
        "v=DMARC1;p=reject;sp=quarantine;adkim=s;aspf=s;pct=20;rua=mailto:d@example.com;"
        "ruf=mailto:f@example.com;fo=1;rf=afrf;ri=3600",
        "reject", "quarantine", true, true, 20, 1);
    ok("whitespace", "v=DMARC1 ;  p = quarantine ; ", "quarantine");
    ok("tabs", "v=DMARC1;\tp=reject\t;\tsp=none", "reject", "none");
    ok("ws around version", "v = DMARC1; p=reject", "reject");
    ok("leading space", " v=DMARC1; p=reject", "reject");
    ok("tag case", "V=DMARC1; P=Reject; SP=NONE; ADKIM=S; ASPF=r", "reject", "none", false, true);
    ok("trailing separator", "v=DMARC1; p=reject;", "reject");
    ok("unknown tags", "v=DMARC1; p=reject; foo=bar; junk; =x; t=y", "reject");
    ok("repeated tag", "v=DMARC1; p=none; p=reject", "none");
    ok("p not second", "v=DMARC1; adkim=s; p=quarantine", "quarantine", "", false, true);
    ok("pct 0", "v=DMARC1; p=reject; pct=0", "reject", "", false, false, 0);
    ok("pct 100", "v=DMARC1; p=reject; pct=100", "reject", "", false, false, 100);
    ok("pct too big", "v=DMARC1; p=reject; pct=150", "reject");
    ok("pct not number", "v=DMARC1; p=reject; pct=abc", "reject");
    ok("pct four digits", "v=DMARC1; p=reject; pct=0050", "reject");
    ok("pct negative", "v=DMARC1; p=reject; pct=-5", "reject");
    ok("bad alignment modes", "v=DMARC1; p=reject; adkim=x; aspf=strict", "reject");
    ok("missing p with rua", "v=DMARC1; rua=mailto:a@example.com", "none", "", false, false, 100, 1);
    ok("bad p with rua", "v=DMARC1; p=bogus; rua=mailto:a@example.com", "none", "", false, false, 100, 1);
    ok("bad sp with rua", "v=DMARC1; p=reject; sp=bogus; rua=mailto:a@example.com", "none", "", false, false, 100, 1);
    ok("binary junk tag", QByteArray("v=DMARC1; p=reject; \xff\x01=\x02", 25), "reject");
    bad("missing p", "v=DMARC1");
    bad("missing p, bad rua", "v=DMARC1; rua=not a uri");
    bad("bad p", "v=DMARC1; p=bogus");
    bad("bad sp", "v=DMARC1; p=reject; sp=bogus");
    bad("empty p", "v=DMARC1; p=");
    bad("lower-case version", "v=dmarc1; p=reject");
    bad("other version", "v=DMARC2; p=reject");
    bad("version not first", "p=reject; v=DMARC1");
    bad("no separator", "v=DMARC1 p=reject");
    bad("spf record", "v=spf1 -all");
    bad("empty", "");
    bad("only separators", ";;;");
    bad("too long", "v=DMARC1; p=reject; x=" + QByteArray(5000, 'x'));
}

void TestDmarc::parse()
{
    QFETCH(QByteArray, txt);
    QFETCH(bool, valid);
    const std::optional<DmarcRecord> r = parseDmarcRecord(txt);
    QCOMPARE(r.has_value(), valid);
    if (!valid)
        return;
    QFETCH(QString, policy);
    QFETCH(QString, sp);
    QFETCH(bool, strictSpf);
    QFETCH(bool, strictDkim);
    QFETCH(int, pct);
    QFETCH(int, rua);
    QCOMPARE(r->policy, policy);
    QCOMPARE(r->subdomainPolicy, sp);
    QCOMPARE(r->strictSpf, strictSpf);
    QCOMPARE(r->strictDkim, strictDkim);
    QCOMPARE(r->percent, pct);
    QCOMPARE(r->rua.size(), rua);
}

void TestDmarc::reportUris()
{
    const std::optional<DmarcRecord> r = parseDmarcRecord(
        "v=DMARC1; p=none; rua=mailto:a@example.com,mailto:b@example.com!10m , bad uri,https://r.example/x,"
        "mailto:c@example.com!x; ruf=mailto:f@example.com; fo=d:s; ri=3600");
    QVERIFY(r);
    QCOMPARE(r->rua,
        QStringList({ QStringLiteral("mailto:a@example.com"), QStringLiteral("mailto:b@example.com!10m"),
            QStringLiteral("https://r.example/x") }));
    QCOMPARE(r->ruf, QStringList { QStringLiteral("mailto:f@example.com") });
    QCOMPARE(r->failureOptions, QStringLiteral("d:s"));
    QCOMPARE(r->reportInterval, 3600);

    QByteArray many = "v=DMARC1; p=none; rua=";
    for (int i = 0; i < 100; ++i)
        many += "mailto:r" + QByteArray::number(i) + "@example.com,";
    const std::optional<DmarcRecord> bounded = parseDmarcRecord(many);
    QVERIFY(bounded);
    QCOMPARE(bounded->rua.size(), maxDmarcReportUris);
}

void TestDmarc::orgDomain_data()
{
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("org");
    const auto row
        = [](const char *d, const char *o) { QTest::newRow(d) << QString::fromUtf8(d) << QString::fromLatin1(o); };
    row("example.com", "example.com");
    row("mail.example.com", "example.com");
    row("a.b.c.example.com", "example.com");
    row("a.b.example.co.uk", "example.co.uk");
    row("example.co.uk", "example.co.uk");
    row("EXAMPLE.COM.", "example.com");
    row("Mail.Example.Com", "example.com");
    row("co.uk", "co.uk");
    row("com", "com");
    row("www.city.kawasaki.jp", "city.kawasaki.jp");
    row("a.b.kawasaki.jp", "a.b.kawasaki.jp");
    row("foo.bar.unknowntld", "bar.unknowntld");
    row("sub.bücher.de", "xn--bcher-kva.de");
    row("", "");
    row("a..example.com", "");
    row("exa mple.com", "");
    row("bad!.example", "");
    row("localhost", "localhost");
}

void TestDmarc::orgDomain()
{
    QFETCH(QString, domain);
    QFETCH(QString, org);
    QCOMPARE(organizationalDomain(domain), org);
}

void TestDmarc::check_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("spf");
    QTest::addColumn<QString>("spfDomain");
    QTest::addColumn<QString>("dkim");
    QTest::addColumn<QString>("result");
    QTest::addColumn<QString>("policy");
    QTest::addColumn<QString>("recordDomain");
    QTest::addColumn<bool>("spfAligned");
    QTest::addColumn<bool>("dkimAligned");

    const auto row = [](const char *name, const char *from, const char *spf, const char *spfDomain, const char *dkim,
                         const char *result, const char *policy, const char *recordDomain, bool spfAligned,
                         bool dkimAligned) {
        QTest::newRow(name) << QString::fromUtf8(from) << QString::fromLatin1(spf) << QString::fromLatin1(spfDomain)
                            << QString::fromLatin1(dkim) << QString::fromLatin1(result) << QString::fromLatin1(policy)
                            << QString::fromLatin1(recordDomain) << spfAligned << dkimAligned;
    };
    // Relaxed alignment (the default)
    row("spf same domain", "example.com", "pass", "example.com", "", "pass", "reject", "example.com", true, false);
    row("spf relaxed sub", "example.com", "pass", "bounce.example.com", "", "pass", "reject", "example.com", true,
        false);
    row("spf other domain", "example.com", "pass", "example.net", "", "fail", "reject", "example.com", false, false);
    row("spf look-alike", "example.com", "pass", "notexample.com", "", "fail", "reject", "example.com", false, false);
    row("spf softfail", "example.com", "softfail", "example.com", "", "fail", "reject", "example.com", false, false);
    row("spf neutral", "example.com", "neutral", "example.com", "", "fail", "reject", "example.com", false, false);
    row("dkim relaxed", "example.com", "none", "", "mail.example.com:pass", "pass", "reject", "example.com", false,
        true);
    row("dkim failing", "example.com", "fail", "example.com", "example.com:fail", "fail", "reject", "example.com",
        false, false);
    row("dkim one of two", "example.com", "fail", "", "example.net:pass,example.com:pass", "pass", "reject",
        "example.com", false, true);
    row("both aligned", "example.com", "pass", "example.com", "example.com:pass", "pass", "reject", "example.com", true,
        true);
    row("relaxed co.uk", "mail.example.co.uk", "pass", "other.example.co.uk", "", "pass", "reject", "example.co.uk",
        true, false);
    row("public suffix is no org", "mail.example.co.uk", "pass", "co.uk", "", "fail", "reject", "example.co.uk", false,
        false);
    // Strict alignment
    row("strict spf sub", "strict.example", "pass", "bounce.strict.example", "", "fail", "reject", "strict.example",
        false, false);
    row("strict spf same", "strict.example", "pass", "strict.example", "", "pass", "reject", "strict.example", true,
        false);
    row("strict spf case", "Strict.Example", "pass", "STRICT.example.", "", "pass", "reject", "strict.example", true,
        false);
    row("strict dkim sub", "strict.example", "none", "", "mail.strict.example:pass", "fail", "reject", "strict.example",
        false, false);
    row("strict dkim same", "strict.example", "none", "", "strict.example:pass", "pass", "reject", "strict.example",
        false, true);
    // Policy discovery and the subdomain policy
    row("subdomain uses sp", "news.example.com", "none", "", "", "fail", "quarantine", "example.com", false, false);
    row("deep subdomain uses sp", "a.b.news.example.com", "pass", "example.com", "", "pass", "quarantine",
        "example.com", true, false);
    row("subdomain without sp", "a.nosp.example", "none", "", "", "fail", "quarantine", "nosp.example", false, false);
    row("own record of subdomain", "own.example.com", "none", "", "", "fail", "none", "own.example.com", false, false);
    row("other TXT ignored", "other.example", "none", "", "", "fail", "quarantine", "other.example", false, false);
    row("idn from", "bücher.example", "pass", "xn--bcher-kva.example", "", "pass", "reject", "xn--bcher-kva.example",
        true, false);
    row("fallback p=none", "fallback.example", "none", "", "", "fail", "none", "fallback.example", false, false);
    row("no record", "none.example", "pass", "none.example", "", "none", "none", "", false, false);
    row("no record anywhere", "x.y.nxdomain.example", "pass", "x.y.nxdomain.example", "", "none", "none", "", false,
        false);
    row("temperror", "temp.example", "pass", "temp.example", "", "temperror", "none", "", false, false);
    row("temperror at org", "sub.temp.example", "pass", "temp.example", "", "temperror", "none", "", false, false);
    row("two records", "two.example", "pass", "two.example", "", "permerror", "none", "two.example", false, false);
    row("bad record", "bad.example", "pass", "bad.example", "", "permerror", "none", "bad.example", false, false);
    row("empty from", "", "pass", "example.com", "", "permerror", "none", "", false, false);
    row("malformed from", "exa mple.com", "pass", "example.com", "", "permerror", "none", "", false, false);
    row("single label from", "localhost", "pass", "localhost", "", "permerror", "none", "", false, false);
}

void TestDmarc::check()
{
    QFETCH(QString, from);
    QFETCH(QString, spf);
    QFETCH(QString, spfDomain);
    QFETCH(QString, dkim);
    QFETCH(QString, result);
    QFETCH(QString, policy);
    QFETCH(QString, recordDomain);
    QFETCH(bool, spfAligned);
    QFETCH(bool, dkimAligned);

    DmarcInput in;
    in.fromDomain = from;
    for (SpfResult r : { SpfResult::None, SpfResult::Neutral, SpfResult::Pass, SpfResult::Fail, SpfResult::SoftFail,
             SpfResult::TempError, SpfResult::PermError }) {
        if (spfResultName(r) == spf)
            in.spf = r;
    }
    in.spfDomain = spfDomain;
    in.dkim = signatures(dkim);

    FakeTxt dns(zone);
    DmarcOptions opts;
    opts.sample = [](int) {
        qFatal("no row samples");
        return true;
    };
    const auto w = run(dns, in, opts);
    QVERIFY(w->outcome);
    QCOMPARE(w->calls, 1);
    QCOMPARE(dmarcResultName(w->outcome->result), result);
    QCOMPARE(w->outcome->policy, policy);
    QCOMPARE(w->outcome->recordDomain, recordDomain);
    QCOMPARE(w->outcome->spfAligned, spfAligned);
    QCOMPARE(w->outcome->dkimAligned, dkimAligned);
    QVERIFY(!w->outcome->sampledOut);
    QVERIFY(!w->outcome->explanation.isEmpty());
}

// §6.6.4: a failing message outside pct= gets the next lower policy; a
// passing one is never sampled.
void TestDmarc::sampling()
{
    FakeTxt dns(zone);
    DmarcInput in;
    in.spf = SpfResult::Fail;
    QList<int> asked;
    DmarcOptions in30;
    in30.sample = [&asked](int pct) {
        asked.append(pct);
        return true;
    };
    DmarcOptions out30;
    out30.sample = [&asked](int pct) {
        asked.append(pct);
        return false;
    };

    in.fromDomain = QStringLiteral("pct.example");
    auto w = run(dns, in, in30);
    QVERIFY(w->outcome);
    QCOMPARE(w->outcome->result, DmarcResult::Fail);
    QCOMPARE(w->outcome->policy, QStringLiteral("reject"));
    QVERIFY(!w->outcome->sampledOut);
    QCOMPARE(asked, QList<int> { 30 });

    w = run(dns, in, out30);
    QVERIFY(w->outcome);
    QCOMPARE(w->outcome->policy, QStringLiteral("quarantine"));
    QVERIFY(w->outcome->sampledOut);
    QCOMPARE(w->outcome->record.percent, 30);

    in.fromDomain = QStringLiteral("pctq.example");
    w = run(dns, in, out30);
    QVERIFY(w->outcome);
    QCOMPARE(w->outcome->policy, QStringLiteral("none"));
    QVERIFY(w->outcome->sampledOut);

    // Passing mail and pct=100 never ask the sampler.
    asked.clear();
    in.fromDomain = QStringLiteral("pct.example");
    in.dkim = { DmarcInput::Dkim { QStringLiteral("pct.example"), true } };
    w = run(dns, in, out30);
    QVERIFY(w->outcome);
    QCOMPARE(w->outcome->result, DmarcResult::Pass);
    QCOMPARE(w->outcome->policy, QStringLiteral("reject"));
    in.dkim.clear();
    in.fromDomain = QStringLiteral("example.com");
    w = run(dns, in, out30);
    QVERIFY(w->outcome);
    QCOMPARE(w->outcome->policy, QStringLiteral("reject"));
    QVERIFY(asked.isEmpty());

    // The default sampler: pct=0 leaves every message out.
    in.fromDomain = QStringLiteral("pct0.example");
    for (int i = 0; i < 20; ++i) {
        w = run(dns, in);
        QVERIFY(w->outcome);
        QCOMPARE(w->outcome->policy, QStringLiteral("quarantine"));
        QVERIFY(w->outcome->sampledOut);
    }
}

void TestDmarc::answersOnceLater()
{
    FakeTxt dns(zone);
    auto w = std::make_shared<Waited>();
    DmarcInput in;
    in.fromDomain = QString(); // an immediate permerror still comes later
    checkDmarc(dns, in, [w](const DmarcOutcome &o) {
        w->outcome = o;
        ++w->calls;
    });
    QCOMPARE(w->calls, 0);
    QVERIFY(QTest::qWaitFor([w] { return w->outcome.has_value(); }, 5000));
    QTest::qWait(5);
    QCOMPARE(w->calls, 1);
    QCOMPARE(w->outcome->result, DmarcResult::PermError);
    QVERIFY(dns.asked.isEmpty());

    // The subdomain's own name is asked first, then the Organizational Domain.
    in.fromDomain = QStringLiteral("news.example.com");
    w = run(dns, in);
    QCOMPARE(
        dns.asked, QStringList({ QStringLiteral("_dmarc.news.example.com"), QStringLiteral("_dmarc.example.com") }));
}

void TestDmarc::resultNames()
{
    QCOMPARE(dmarcResultName(DmarcResult::None), QStringLiteral("none"));
    QCOMPARE(dmarcResultName(DmarcResult::Pass), QStringLiteral("pass"));
    QCOMPARE(dmarcResultName(DmarcResult::Fail), QStringLiteral("fail"));
    QCOMPARE(dmarcResultName(DmarcResult::TempError), QStringLiteral("temperror"));
    QCOMPARE(dmarcResultName(DmarcResult::PermError), QStringLiteral("permerror"));
}

// Every prefix of a record, copied so that ASan sees a read past its end.
void TestDmarc::everyPrefix()
{
    const QByteArray whole(
        "v=DMARC1; p=reject; sp=quarantine; adkim=s; aspf=r; pct=25; "
        "rua=mailto:a@example.com!10m,mailto:b@example.com; ruf=mailto:f@example.com; fo=1:d; ri=60");
    for (qsizetype n = 0; n <= whole.size(); ++n) {
        const std::vector<char> part(whole.begin(), whole.begin() + n);
        const QByteArray copy(part.data(), n);
        (void)isDmarcRecord(QByteArrayView(part.data(), n));
        const std::optional<DmarcRecord> r = parseDmarcRecord(copy);
        if (n < 18) // "v=DMARC1; p=reject" is the shortest valid prefix
            QVERIFY(!r);
    }
    const std::optional<DmarcRecord> r = parseDmarcRecord(whole);
    QVERIFY(r);
    QCOMPARE(r->percent, 25);
    QCOMPARE(r->rua.size(), 2);
}

QTEST_GUILESS_MAIN(TestDmarc)
#include "tst_dmarc.moc"
