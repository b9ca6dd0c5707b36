// SPF (RFC 7208) against a table of DNS records: the examples of Appendix A
// (the example.com zone, A.1 mechanisms, A.2 include/redirect, A.3 DNSBL
// style, A.4 combined requirements), the macro examples of §7.4, the record
// grammar of §12, the limits of §4.6.4, DNS errors, IPv6 and IPv4-mapped
// clients, the HELO identity for a null sender, exp=, the deadline, and
// hostile records (every prefix, random terms).
// Trust level: test code; it may wait with QTest::qWaitFor, the engine may not.
#include <memory>
#include <optional>

#include <QHash>
#include <QRandomGenerator>
#include <QTest>
#include <QTimer>

#include "dns/names.h"
#include "mailauth/lookup.h"
#include "mailauth/spf.h"
#include "mailauth/spfmacro.h"
#include "mailauth/spfrecord.h"

using namespace mailroom;
using namespace mailroom::mailauth;

namespace
{

// Records by name; answers come later from the event loop like the resolver's.
// Zone lines: "<name> <TYPE> <data>", TYPE one of TXT (the rest of the line is
// the record), A, AAAA, MX ("<pref> <host>"), PTR (the name may be an
// address), TEMPFAIL (every question for the name fails) or HANG (never
// answered).
class FakeLookup : public Lookup
{
public:
    explicit FakeLookup(const QStringList &zone)
    {
        for (const QString &line : zone) {
            const QString trimmed = line.trimmed();
            if (trimmed.isEmpty())
                continue;
            const QStringList w = trimmed.split(u' ', Qt::SkipEmptyParts);
            QString name = w.value(0);
            const QString type = w.value(1);
            QHostAddress addr;
            if (type == u"PTR" && addr.setAddress(name))
                name = QString::fromLatin1(*dns::reverseName(addr));
            Node &n = m_nodes[key(name)];
            const QString data = trimmed.section(u' ', 2, -1, QString::SectionSkipEmpty);
            if (type == u"TXT")
                n.txt.append(data.toLatin1());
            else if (type == u"A" || type == u"AAAA")
                (type == u"A" ? n.a : n.aaaa).append(QHostAddress(data));
            else if (type == u"MX")
                n.mx.append(dns::MxRecord { w.value(2).toInt(), w.value(3) == u"." ? QString() : w.value(3) });
            else if (type == u"PTR")
                n.ptr.append(data);
            else if (type == u"TEMPFAIL")
                n.tempFail = true;
            else if (type == u"HANG")
                n.hang = true;
            else
                qFatal("bad zone line %s", qPrintable(line));
        }
    }

    void txt(const QString &name, std::function<void(const dns::Reply<QByteArray> &)> done) override
    {
        answer(name, &Node::txt, std::move(done));
    }
    void a(const QString &name, std::function<void(const dns::Reply<QHostAddress> &)> done) override
    {
        answer(name, &Node::a, std::move(done));
    }
    void aaaa(const QString &name, std::function<void(const dns::Reply<QHostAddress> &)> done) override
    {
        answer(name, &Node::aaaa, std::move(done));
    }
    void mx(const QString &name, std::function<void(const dns::Reply<dns::MxRecord> &)> done) override
    {
        answer(name, &Node::mx, std::move(done));
    }
    void ptr(const QHostAddress &address, std::function<void(const dns::Reply<QString> &)> done) override
    {
        const std::optional<QByteArray> name = dns::reverseName(address);
        answer(name ? QString::fromLatin1(*name) : QString(), &Node::ptr, std::move(done));
    }

    QStringList asked; // every name asked, in order
    QList<std::function<void()>> hung; // callbacks of HANG names, kept alive

private:
    struct Node {
        QList<QByteArray> txt;
        QList<QHostAddress> a;
        QList<QHostAddress> aaaa;
        QList<dns::MxRecord> mx;
        QList<QString> ptr;
        bool tempFail = false;
        bool hang = false;
    };

    static QString key(const QString &name)
    {
        QString k = name.toLower();
        if (k.endsWith(u'.'))
            k.chop(1);
        return k;
    }

    template<class T>
    void answer(const QString &name, QList<T> Node::*field, std::function<void(const dns::Reply<T> &)> done)
    {
        asked.append(name);
        dns::Reply<T> r;
        const std::optional<QByteArray> norm = dns::normalizeName(name);
        const auto it = norm ? m_nodes.constFind(QString::fromLatin1(*norm)) : m_nodes.constEnd();
        if (!norm) {
            r.rcode = dns::Rcode::Malformed;
        } else if (it == m_nodes.constEnd()) {
            r.rcode = dns::Rcode::NxDomain;
        } else if (it->hang) {
            hung.append([done] { (void)done; });
            return;
        } else if (it->tempFail) {
            r.rcode = dns::Rcode::TempFail;
        } else {
            r.records = (*it).*field;
            r.rcode = r.records.isEmpty() ? dns::Rcode::NoData : dns::Rcode::Ok;
        }
        QTimer::singleShot(0, [done = std::move(done), r] { done(r); });
    }

    QHash<QString, Node> m_nodes;
};

// The zone of RFC 7208 Appendix A ("www CNAME example.com" resolved).
const QStringList rfcZone = {
    QStringLiteral("example.com MX 10 mail-a.example.com"),
    QStringLiteral("example.com MX 20 mail-b.example.com"),
    QStringLiteral("example.com A 192.0.2.10"),
    QStringLiteral("example.com A 192.0.2.11"),
    QStringLiteral("amy.example.com A 192.0.2.65"),
    QStringLiteral("bob.example.com A 192.0.2.66"),
    QStringLiteral("mail-a.example.com A 192.0.2.129"),
    QStringLiteral("mail-b.example.com A 192.0.2.130"),
    QStringLiteral("www.example.com A 192.0.2.10"),
    QStringLiteral("www.example.com A 192.0.2.11"),
    QStringLiteral("example.org MX 10 mail-c.example.org"),
    QStringLiteral("mail-c.example.org A 192.0.2.140"),
    QStringLiteral("192.0.2.10 PTR example.com"),
    QStringLiteral("192.0.2.11 PTR example.com"),
    QStringLiteral("192.0.2.65 PTR amy.example.com"),
    QStringLiteral("192.0.2.66 PTR bob.example.com"),
    QStringLiteral("192.0.2.129 PTR mail-a.example.com"),
    QStringLiteral("192.0.2.130 PTR mail-b.example.com"),
    QStringLiteral("192.0.2.140 PTR mail-c.example.org"),
    QStringLiteral("10.0.0.4 PTR bob.example.com"),
};

struct Waited {
    std::optional<SpfOutcome> outcome;
    int calls = 0;
};

// Runs one check; fails the test if done is called synchronously or twice.
std::shared_ptr<Waited> run(FakeLookup &dns, const SpfRequest &req, const SpfOptions &opts = SpfOptions())
{
    auto w = std::make_shared<Waited>();
    checkSpf(dns, req, opts, [w](const SpfOutcome &o) {
        w->outcome = o;
        ++w->calls;
    });
    if (w->calls != 0)
        qWarning("done was called inside checkSpf()");
    if (!QTest::qWaitFor([w] { return w->outcome.has_value(); }, 5000))
        return w;
    QTest::qWait(1); // let stray callbacks run: done must stay called once
    return w;
}

SpfRequest request(const QString &client, const QString &sender, const QString &helo = QStringLiteral("mx.example.net"))
{
    return SpfRequest { QHostAddress(client), helo, sender, QStringLiteral("mx.receiver.example") };
}

QStringList operator+(const QStringList &zone, const char *line)
{
    return QStringList(zone) << QString::fromUtf8(line);
}

QStringList lines(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *l : list)
        out.append(QString::fromUtf8(l));
    return out;
}

} // namespace

class TestSpf : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void results_data();
    void results();
    void macros_data();
    void macros();
    void macroSyntax_data();
    void macroSyntax();
    void records_data();
    void records();
    void selection_data();
    void selection();
    void nullSenderUsesHelo();
    void heloIdentity();
    void outcomeFields();
    void explanation();
    void deadline();
    void resultNames();
    void everyPrefix();
    void randomRecords();
};

// Each row: extra zone lines on top of the Appendix A zone, the client, the
// MAIL FROM, the expected result and (if >= 0) the DNS-term count.
void TestSpf::results_data()
{
    QTest::addColumn<QStringList>("zone");
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("sender");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("lookups");

    const auto row = [](const char *name, const QStringList &zone, const char *client, const char *expected,
                         int lookups = -1, const char *sender = "user@example.com") {
        QTest::newRow(name) << (rfcZone + zone) << QString::fromLatin1(client) << QString::fromUtf8(sender)
                            << QString::fromLatin1(expected) << lookups;
    };
    const auto com = [](const char *record) {
        return QStringList { QStringLiteral("example.com TXT ") + QString::fromLatin1(record) };
    };

    // RFC 7208 Appendix A.1
    row("A.1 +all", com("v=spf1 +all"), "10.0.0.4", "pass", 0);
    row("A.1 a .10", com("v=spf1 a -all"), "192.0.2.10", "pass", 1);
    row("A.1 a .11", com("v=spf1 a -all"), "192.0.2.11", "pass");
    row("A.1 a .65", com("v=spf1 a -all"), "192.0.2.65", "fail");
    row("A.1 a:example.org .10", com("v=spf1 a:example.org -all"), "192.0.2.10", "fail");
    row("A.1 a:example.org .140", com("v=spf1 a:example.org -all"), "192.0.2.140", "fail");
    row("A.1 mx .129", com("v=spf1 mx -all"), "192.0.2.129", "pass", 1);
    row("A.1 mx .130", com("v=spf1 mx -all"), "192.0.2.130", "pass");
    row("A.1 mx .10", com("v=spf1 mx -all"), "192.0.2.10", "fail");
    row("A.1 mx:example.org .140", com("v=spf1 mx:example.org -all"), "192.0.2.140", "pass");
    row("A.1 mx:example.org .129", com("v=spf1 mx:example.org -all"), "192.0.2.129", "fail");
    row("A.1 mx mx:example.org .129", com("v=spf1 mx mx:example.org -all"), "192.0.2.129", "pass", 1);
    row("A.1 mx mx:example.org .130", com("v=spf1 mx mx:example.org -all"), "192.0.2.130", "pass");
    row("A.1 mx mx:example.org .140", com("v=spf1 mx mx:example.org -all"), "192.0.2.140", "pass", 2);
    row("A.1 mx mx:example.org .65", com("v=spf1 mx mx:example.org -all"), "192.0.2.65", "fail", 2);
    row("A.1 mx/30 .131", com("v=spf1 mx/30 mx:example.org/30 -all"), "192.0.2.131", "pass");
    row("A.1 mx/30 .132", com("v=spf1 mx/30 mx:example.org/30 -all"), "192.0.2.132", "fail");
    row("A.1 mx/30 .141", com("v=spf1 mx/30 mx:example.org/30 -all"), "192.0.2.141", "pass");
    row("A.1 mx/30 .143", com("v=spf1 mx/30 mx:example.org/30 -all"), "192.0.2.143", "pass");
    row("A.1 mx/30 .139", com("v=spf1 mx/30 mx:example.org/30 -all"), "192.0.2.139", "fail");
    row("A.1 ptr .65", com("v=spf1 ptr -all"), "192.0.2.65", "pass", 1);
    row("A.1 ptr .140", com("v=spf1 ptr -all"), "192.0.2.140", "fail");
    row("A.1 ptr 10.0.0.4", com("v=spf1 ptr -all"), "10.0.0.4", "fail");
    row("A.1 ip4 .65", com("v=spf1 ip4:192.0.2.128/28 -all"), "192.0.2.65", "fail", 0);
    row("A.1 ip4 .129", com("v=spf1 ip4:192.0.2.128/28 -all"), "192.0.2.129", "pass", 0);

    // A.2: include and redirect spanning domains (the records of example.com
    // and example.net are ours; the RFC leaves them open).
    const QStringList a2 = lines(
        { "example.org TXT v=spf1 include:example.com include:example.net -all", "example.com TXT v=spf1 a -all",
            "example.net TXT v=spf1 ip4:198.51.100.0/24 -all", "la.example.org TXT v=spf1 redirect=example.org" });
    row("A.2 include first", a2, "192.0.2.10", "pass", 2, "user@example.org");
    row("A.2 include second", a2, "198.51.100.7", "pass", 3, "user@example.org");
    row("A.2 include neither", a2, "203.0.113.9", "fail", 3, "user@example.org");
    row("A.2 redirect pass", a2, "192.0.2.11", "pass", 3, "user@la.example.org");
    row("A.2 redirect fail", a2, "203.0.113.9", "fail", 4, "user@la.example.org");

    // A.3: DNSBL style with exists: and macros.
    const QStringList a3 = lines({ "example.com TXT v=spf1 mx include:mobile-users._spf.%{d} "
                                   "include:remote-users._spf.%{d} -all",
        "mobile-users._spf.example.com TXT v=spf1 exists:%{l1r+}.%{d}",
        "remote-users._spf.example.com TXT v=spf1 exists:%{ir}.%{l1r+}.%{d}",
        "mary.mobile-users._spf.example.com A 127.0.0.2", "fred.mobile-users._spf.example.com A 127.0.0.2",
        "15.15.168.192.joel.remote-users._spf.example.com A 127.0.0.2",
        "16.15.168.192.joel.remote-users._spf.example.com A 127.0.0.2" });
    row("A.3 mary", a3, "203.0.113.5", "pass", 3, "mary@example.com");
    row("A.3 fred+bulk", a3, "203.0.113.5", "pass", 3, "fred+bulk@example.com");
    row("A.3 joel .15", a3, "192.168.15.15", "pass", 5, "joel@example.com");
    row("A.3 joel .16", a3, "192.168.15.16", "pass", 5, "joel@example.com");
    row("A.3 joel .17", a3, "192.168.15.17", "fail", 5, "joel@example.com");
    row("A.3 mary via mx", a3, "192.0.2.130", "pass", 1, "mary@example.com");
    row("A.3 bob two voids", a3, "203.0.113.5", "fail", 5, "bob@example.com");

    // A.4: both requirements. In the RFC text ptr._spf carries "-ptr +all",
    // whose ptr would test the include's own <domain> (§5.2, §5.5), so the
    // target is written out here.
    const QStringList a4 = lines({ "example.com TXT v=spf1 -include:ip4._spf.%{d} -include:ptr._spf.%{d} +all",
        "ip4._spf.example.com TXT v=spf1 -ip4:192.0.2.0/24 +all",
        "ptr._spf.example.com TXT v=spf1 -ptr:example.com +all" });
    row("A.4 both", a4, "192.0.2.65", "pass", 3);
    row("A.4 ptr elsewhere", a4, "192.0.2.140", "fail", 3);
    row("A.4 outside /24", a4, "10.0.0.4", "fail", 1);

    // include (§5.2)
    row("include pass", com("v=spf1 include:inc.example.net -all") + "inc.example.net TXT v=spf1 ip4:192.0.2.0/24 -all",
        "192.0.2.3", "pass", 1);
    row("include fail goes on", com("v=spf1 include:inc.example.net ~all") + "inc.example.net TXT v=spf1 -all",
        "192.0.2.3", "softfail", 1);
    row("include neutral goes on", com("v=spf1 include:inc.example.net -all") + "inc.example.net TXT v=spf1 ?all",
        "192.0.2.3", "fail");
    row("include no domain", com("v=spf1 include:nothing.example.net -all"), "192.0.2.3", "permerror", 1);
    row("include no spf", com("v=spf1 include:inc.example.net -all") + "inc.example.net TXT hello", "192.0.2.3",
        "permerror");
    row("include permerror", com("v=spf1 include:inc.example.net -all") + "inc.example.net TXT v=spf1 bogus",
        "192.0.2.3", "permerror");
    row("include temperror", com("v=spf1 include:inc.example.net -all") + "inc.example.net TEMPFAIL", "192.0.2.3",
        "temperror");
    row("include -qualifier", com("v=spf1 -include:inc.example.net +all") + "inc.example.net TXT v=spf1 a:example.com",
        "192.0.2.10", "fail");
    row("include nested",
        com("v=spf1 include:i1.example.net -all") + "i1.example.net TXT v=spf1 include:i2.example.net"
            + "i2.example.net TXT v=spf1 ip4:192.0.2.3",
        "192.0.2.3", "pass", 2);

    // redirect (§6.1)
    row("redirect pass", com("v=spf1 redirect=_spf.example.net") + "_spf.example.net TXT v=spf1 ip4:192.0.2.3 -all",
        "192.0.2.3", "pass", 1);
    row("redirect fail", com("v=spf1 redirect=_spf.example.net") + "_spf.example.net TXT v=spf1 ip4:192.0.2.3 -all",
        "192.0.2.4", "fail");
    row("redirect default neutral", com("v=spf1 redirect=_spf.example.net") + "_spf.example.net TXT v=spf1",
        "192.0.2.4", "neutral");
    row("redirect no record", com("v=spf1 redirect=nothing.example.net"), "192.0.2.3", "permerror", 1);
    row("redirect ignored with all", com("v=spf1 ?all redirect=_spf.example.net") + "_spf.example.net TXT v=spf1 +all",
        "192.0.2.3", "neutral", 0);
    row("redirect after terms",
        com("v=spf1 ip4:203.0.113.1 redirect=_spf.example.net") + "_spf.example.net TXT v=spf1 +all", "192.0.2.3",
        "pass", 1);
    row("redirect macro", com("v=spf1 redirect=_spf.%{d}") + "_spf.example.com TXT v=spf1 a:%{d} -all", "192.0.2.3",
        "fail", 2);
    row("redirect loop", com("v=spf1 redirect=example.com"), "192.0.2.3", "permerror", 10);
    row("no match neutral", com("v=spf1 ip4:203.0.113.1"), "192.0.2.3", "neutral", 0);

    // Limits (§4.6.4)
    row("include loop", com("v=spf1 include:example.com -all"), "192.0.2.3", "permerror", 10);
    QStringList includes10
        = com("v=spf1 include:i1.example.net include:i2.example.net include:i3.example.net include:i4.example.net "
              "include:i5.example.net include:i6.example.net include:i7.example.net include:i8.example.net "
              "include:i9.example.net include:i10.example.net -all");
    QStringList includes11
        = com("v=spf1 include:i1.example.net include:i2.example.net include:i3.example.net include:i4.example.net "
              "include:i5.example.net include:i6.example.net include:i7.example.net include:i8.example.net "
              "include:i9.example.net include:i10.example.net include:i11.example.net -all");
    for (int i = 1; i <= 11; ++i) {
        const QString line = QStringLiteral("i%1.example.net TXT v=spf1 ip4:203.0.113.%1 -all").arg(i);
        includes10.append(line);
        includes11.append(line);
    }
    row("10 includes", includes10, "192.0.2.3", "fail", 10);
    row("11 includes", includes11, "192.0.2.3", "permerror", 10);
    row("11 includes, match in 10th", includes11, "203.0.113.10", "pass", 10);
    row("10 dns terms", com("v=spf1 a mx a mx a mx a mx a mx -all"), "192.0.2.3", "fail", 10);
    row("11 dns terms", com("v=spf1 a mx a mx a mx a mx a mx ptr -all"), "192.0.2.3", "permerror", 10);
    row("ip4 terms are free", com("v=spf1 a mx a mx a mx a mx a mx ip4:192.0.2.3 -all"), "192.0.2.3", "pass", 10);
    row("two void lookups", com("v=spf1 a:n1.example.net a:n2.example.net -all"), "192.0.2.3", "fail", 2);
    row("three void lookups", com("v=spf1 a:n1.example.net a:n2.example.net a:n3.example.net -all"), "192.0.2.3",
        "permerror", 3);
    row("void exists and mx",
        com("v=spf1 exists:n1.example.net mx:n2.example.net mx:example.org mx:n3.example.net -all"), "192.0.2.3",
        "permerror", 4);
    row("nodata counts void", com("v=spf1 a:example.org a:example.org a:example.org -all"), "192.0.2.3", "permerror");
    QStringList mx11 = com("v=spf1 mx:many.example.net -all");
    QStringList mx10 = com("v=spf1 mx:many.example.net -all");
    for (int i = 1; i <= 11; ++i) {
        const QString line = QStringLiteral("many.example.net MX %1 m%1.example.net").arg(i);
        mx11.append(line);
        if (i <= 10)
            mx10.append(line);
        mx11.append(QStringLiteral("m%1.example.net A 198.51.100.%1").arg(i));
        mx10.append(QStringLiteral("m%1.example.net A 198.51.100.%1").arg(i));
    }
    row("10 mx names", mx10, "198.51.100.10", "pass");
    row("11 mx names", mx11, "198.51.100.1", "permerror");
    row("null mx", com("v=spf1 mx:nullmx.example.net -all") + "nullmx.example.net MX 0 .", "192.0.2.3", "fail");
    QStringList ptr11 = com("v=spf1 ptr:example.net -all");
    for (int i = 1; i <= 11; ++i) {
        ptr11.append(QStringLiteral("198.51.100.77 PTR h%1.example.net").arg(i));
        ptr11.append(QStringLiteral("h%1.example.net A 198.51.100.%2").arg(i).arg(i == 11 || i == 10 ? 77 : i));
    }
    row("ptr 10th name", ptr11, "198.51.100.77", "pass", 1);
    QStringList ptrOnly11 = ptr11;
    ptrOnly11.removeAll(QStringLiteral("h10.example.net A 198.51.100.77"));
    row("ptr 11th name ignored", ptrOnly11, "198.51.100.77", "fail", 1);

    // DNS errors and record selection (§4.4, §4.5)
    row("no txt", {}, "192.0.2.3", "none", 0);
    row("txt not spf", com("google-site-verification=abc"), "192.0.2.3", "none", 0);
    row("spf among others", com("v=spf1 +all") + "example.com TXT v=spf10 -all" + "example.com TXT other", "192.0.2.3",
        "pass");
    row("two records", com("v=spf1 +all") + "example.com TXT v=spf1 -all", "192.0.2.3", "permerror");
    row("txt tempfail", lines({ "example.com TEMPFAIL" }), "192.0.2.3", "temperror");
    row("a tempfail", com("v=spf1 a:down.example.net -all") + "down.example.net TEMPFAIL", "192.0.2.3", "temperror");
    row("mx tempfail", com("v=spf1 mx:down.example.net -all") + "down.example.net TEMPFAIL", "192.0.2.3", "temperror");
    row("mx host tempfail",
        com("v=spf1 mx:m.example.net -all") + "m.example.net MX 10 down.example.net" + "down.example.net TEMPFAIL",
        "192.0.2.3", "temperror");
    row("exists tempfail", com("v=spf1 exists:down.example.net -all") + "down.example.net TEMPFAIL", "192.0.2.3",
        "temperror");
    row("ptr tempfail no match", com("v=spf1 ptr -all") + "3.2.0.192.in-addr.arpa TEMPFAIL", "192.0.2.3", "fail");
    row("syntax error", com("v=spf1 a:foo-bar -all"), "192.0.2.3", "permerror", 0);
    row("syntax error after match", com("v=spf1 +all ip4:300.1.1.1"), "192.0.2.3", "permerror");
    row("unknown modifier", com("v=spf1 foo=bar moo.cow-far_out=man:dog/cat +all"), "192.0.2.3", "pass");
    row("unknown mechanism", com("v=spf1 moo +all"), "192.0.2.3", "permerror");
    row("mixed case", com("V=SpF1 -ALL +A:EXAMPLE.COM"), "192.0.2.10", "fail");
    row("spaces", com("v=spf1   a    -all  "), "192.0.2.10", "pass");

    // IPv6 (§5.6) and IPv4-mapped clients
    row("ip6 cidr in", com("v=spf1 ip6:2001:db8::/32 -all"), "2001:db8::cb01", "pass");
    row("ip6 cidr out", com("v=spf1 ip6:2001:db8::/32 -all"), "2001:db9::1", "fail");
    row("ip6 /127", com("v=spf1 ip6:2001:db8::4/127 -all"), "2001:db8::5", "pass");
    row("ip6 /127 out", com("v=spf1 ip6:2001:db8::4/127 -all"), "2001:db8::6", "fail");
    row("ip6 /0", com("v=spf1 ip6:::/0 -all"), "2001:db8::1", "pass");
    row("ip6 not for v4", com("v=spf1 ip6:::/0 -all"), "192.0.2.3", "fail");
    row("ip4 not for v6", com("v=spf1 ip4:0.0.0.0/0 -all"), "2001:db8::1", "fail");
    row("a aaaa", com("v=spf1 a -all") + "example.com AAAA 2001:db8::10", "2001:db8::10", "pass");
    row("a dual cidr v6", com("v=spf1 a/32//64 -all") + "example.com AAAA 2001:db8::10", "2001:db8::ffff", "pass");
    row("a dual cidr v4", com("v=spf1 a/24//128 -all") + "example.com AAAA 2001:db8::10", "192.0.2.200", "pass");
    row("a v6 no aaaa", com("v=spf1 a -all"), "2001:db8::10", "fail");
    row("mapped ip4", com("v=spf1 ip4:192.0.2.0/24 -all"), "::ffff:192.0.2.3", "pass");
    row("mapped a", com("v=spf1 a -all"), "::ffff:192.0.2.10", "pass");
    row("mapped ptr", com("v=spf1 ptr -all"), "::ffff:192.0.2.65", "pass");
    row("exists ir v6",
        com("v=spf1 exists:%{ir}.%{v}.bl.example.net -all")
            + "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.bl.example.net A 127.0.0.2",
        "2001:db8::cb01", "pass");

    // Macros in mechanisms
    row("exists %{p}", com("v=spf1 exists:%{p}.ok.example.net -all") + "amy.example.com.ok.example.net A 127.0.0.2",
        "192.0.2.65", "pass");
    row("exists %{p} unknown", com("v=spf1 exists:%{p}.ok.example.net -all") + "unknown.ok.example.net A 127.0.0.2",
        "10.0.0.4", "pass");
    row("exists %{l}", com("v=spf1 exists:%{l}.users.example.com -all") + "user.users.example.com A 127.0.0.2",
        "192.0.2.3", "pass");
    row("exists bad name", com("v=spf1 exists:%{l}.users.example.com -all"), "192.0.2.3", "fail", 1,
        "we ird@example.com");
    row("long expansion truncated", com("v=spf1 exists:%{s}%{s}%{s}%{s}%{s}%{s}.%{s}.%{s}.%{s}.x.example.net -all"),
        "192.0.2.3", "fail");

    // §4.3: the domain
    row("single label", com("v=spf1 +all"), "192.0.2.3", "none", 0, "user@localhost");
    row("address literal", com("v=spf1 +all"), "192.0.2.3", "none", 0, "user@[192.0.2.1]");
    row("empty label", com("v=spf1 +all"), "192.0.2.3", "none", 0, "user@example..com");
    row("trailing dot", com("v=spf1 +all"), "192.0.2.3", "pass", 0, "user@example.com.");
    row("no local part", com("v=spf1 exists:%{l}.x.example.net -all") + "postmaster.x.example.net A 127.0.0.2",
        "192.0.2.3", "pass", 1, "example.com");
    row("idn", lines({ "xn--bcher-kva.example TXT v=spf1 +all" }), "192.0.2.3", "pass", 0, "user@bücher.example");
    row("upper case domain", com("v=spf1 +all"), "192.0.2.3", "pass", 0, "User@EXAMPLE.COM");
}

void TestSpf::results()
{
    QFETCH(QStringList, zone);
    QFETCH(QString, client);
    QFETCH(QString, sender);
    QFETCH(QString, expected);
    QFETCH(int, lookups);

    FakeLookup dns(zone);
    const auto w = run(dns, request(client, sender));
    QVERIFY2(w->outcome.has_value(), "no answer");
    QCOMPARE(w->calls, 1);
    QCOMPARE(spfResultName(w->outcome->result), expected);
    if (lookups >= 0)
        QCOMPARE(w->outcome->dnsLookups, lookups);
    QCOMPARE(w->outcome->identity, QStringLiteral("mailfrom"));
}

// RFC 7208 §7.4, and the escapes of §7.1.
void TestSpf::macros_data()
{
    QTest::addColumn<QString>("macro");
    QTest::addColumn<QString>("ip");
    QTest::addColumn<QString>("expansion");

    const auto row = [](const char *macro, const char *expansion, const char *ip = "192.0.2.3") {
        QTest::newRow(macro) << QString::fromLatin1(macro) << QString::fromLatin1(ip) << QString::fromLatin1(expansion);
    };
    row("%{s}", "strong-bad@email.example.com");
    row("%{o}", "email.example.com");
    row("%{d}", "email.example.com");
    row("%{d4}", "email.example.com");
    row("%{d3}", "email.example.com");
    row("%{d2}", "example.com");
    row("%{d1}", "com");
    row("%{dr}", "com.example.email");
    row("%{d2r}", "example.email");
    row("%{l}", "strong-bad");
    row("%{l-}", "strong.bad");
    row("%{lr}", "strong-bad");
    row("%{lr-}", "bad.strong");
    row("%{l1r-}", "strong");
    row("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com");
    row("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com");
    row("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
    row("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com");
    row("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net");
    QTest::newRow("%{ir}.%{v}._spf.%{d2} ipv6")
        << QStringLiteral("%{ir}.%{v}._spf.%{d2}") << QStringLiteral("2001:db8::cb01")
        << QStringLiteral("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
    row("%{i}", "192.0.2.3");
    QTest::newRow("%{i} ipv6") << QStringLiteral("%{i}") << QStringLiteral("2001:db8::cb01")
                               << QStringLiteral("2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1");
    QTest::newRow("%{c} ipv6") << QStringLiteral("%{c}") << QStringLiteral("2001:db8::cb01")
                               << QStringLiteral("2001:db8::cb01");
    QTest::newRow("%{v} ipv6") << QStringLiteral("%{v}") << QStringLiteral("2001:db8::cb01") << QStringLiteral("ip6");
    row("%{c}", "192.0.2.3");
    row("%{h}", "mx.example.org");
    row("%{p}", "mx.example.org");
    row("%{r}", "unknown");
    row("%{t}", "1400000000");
    row("%{S}", "strong-bad%40email.example.com");
    row("%{L}", "strong-bad");
    row("%{D2R}", "example.email");
    row("%%%_%-", "% %20");
    row("a%%b", "a%b");
    row("%{d100}", "email.example.com");
    row("%{d99999999999999999999}", "email.example.com");
    row("%{dr.-+,/_=}", "com.example.email");
    row("%{l+}", "strong-bad");
    row("%{i1r}", "192"); // reversed first, then the rightmost part
    row("%{ir} is %{c} from %{s}", "3.2.0.192 is 192.0.2.3 from strong-bad@email.example.com");
}

void TestSpf::macros()
{
    QFETCH(QString, macro);
    QFETCH(QString, ip);
    QFETCH(QString, expansion);

    SpfMacroValues v;
    v.sender = QStringLiteral("strong-bad@email.example.com");
    v.local = QStringLiteral("strong-bad");
    v.senderDomain = QStringLiteral("email.example.com");
    v.domain = QStringLiteral("email.example.com");
    v.ip = QHostAddress(ip);
    v.validatedName = QStringLiteral("mx.example.org");
    v.helo = QStringLiteral("mx.example.org");
    v.timestamp = 1400000000;
    const std::optional<QString> out = expandSpfMacros(macro, v, SpfMacroUse::Explanation);
    QVERIFY(out.has_value());
    QCOMPARE(*out, expansion);
}

void TestSpf::macroSyntax_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("use");
    QTest::addColumn<bool>("valid");

    const int dom = int(SpfMacroUse::DomainSpec);
    const int exp = int(SpfMacroUse::Explanation);
    const int mod = int(SpfMacroUse::ModifierValue);
    const auto row = [](const char *text, int use, bool valid) {
        QTest::newRow(qPrintable(QStringLiteral("%1 /%2").arg(QString::fromLatin1(text)).arg(use)))
            << QString::fromLatin1(text) << use << valid;
    };
    row("example.com", dom, true);
    row("example.com.", dom, true);
    row("%{d}", dom, true);
    row("_spf.%{d}", dom, true);
    row("%{d}.", dom, false);
    row("%%", dom, true); // "%%" is a macro-expand, so it is a domain-end
    row("foo-bar", dom, false);
    row("abc.123", dom, false);
    row("abc.1-2", dom, true);
    row("abc.-ab", dom, false);
    row("abc.ab-", dom, false);
    row("foo.example.xn--zckzah", dom, true);
    row("", dom, false);
    row(".", dom, false);
    row("%{c}.example.com", dom, false);
    row("%{r}.example.com", dom, false);
    row("%{t}.example.com", dom, false);
    row("%{c}", exp, true);
    row("%{c}", mod, true);
    row("%{x}.example.com", dom, false);
    row("%{d0}.example.com", dom, false);
    row("%{d2", dom, false);
    row("%{", dom, false);
    row("%", dom, false);
    row("%a.example.com", dom, false);
    row("%(ir).example.com", dom, false);
    row("%{d2r+-}.example.com", dom, true);
    row("%{d2x}.example.com", dom, false);
    row("%{d}}.example.com", dom, true); // "}" is a macro-literal
    row("a b.example.com", dom, false);
    row("a b", exp, true);
    row("a\tb", exp, false);
    row("caf\xc3\xa9.example.com", dom, false);
}

void TestSpf::macroSyntax()
{
    QFETCH(QString, text);
    QFETCH(int, use);
    QFETCH(bool, valid);
    QCOMPARE(isValidSpfMacroString(text, SpfMacroUse(use)), valid);
}

// The grammar of §12; every error is a permerror.
void TestSpf::records_data()
{
    QTest::addColumn<QByteArray>("record");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("directives");

    const auto ok = [](const char *r, int n) { QTest::newRow(r) << QByteArray(r) << true << n; };
    const auto bad = [](const char *r) { QTest::newRow(r) << QByteArray(r) << false << 0; };
    ok("v=spf1", 0);
    ok("v=spf1 -all", 1);
    ok("V=SPF1 +MX A:example.com/24 ~ALL", 3);
    ok("v=spf1 a/24//64 mx:example.org/30//126 ip4:192.0.2.0/24 ip6:2001:db8::/32 ptr exists:%{i}.bl.example.org "
       "include:_spf.example.net ?all exp=explain.%{d} redirect=_spf.%{d} foo=bar x-y.z_1=%{h}",
        8);
    ok("v=spf1 ip4:192.0.2.0/0 ip4:192.0.2.0/32 ip4:192.0.2.0 ip6:2001:db8::/0 ip6:2001:db8::/128 ip6:::ffff:1.2.3.4",
        6);
    ok("v=spf1 a/32//128 mx/0//0 a//64 a:example.com//64", 4);
    ok("v=spf1 a:example.com. -all", 2);
    ok("v=spf1 a:foo:bar/baz.example.com", 1);
    ok("v=spf1 a=b", 0); // an unknown modifier named "a"
    ok("v=spf1 exists:%{ir}.sbl.example.org", 1);
    ok("v=spf1 ptr:example.com ?include:example.net", 2);
    bad("v=spf1 -all.");
    bad("v=spf1 ptr/24");
    bad("v=spf1 include:");
    bad("v=spf1 include");
    bad("v=spf1 exists");
    bad("v=spf1 a:");
    bad("v=spf1 a:foo-bar");
    bad("v=spf1 a:abc.123");
    bad("v=spf1 a/33");
    bad("v=spf1 a//129");
    bad("v=spf1 a/033");
    bad("v=spf1 a/24/64");
    bad("v=spf1 a//24//64");
    bad("v=spf1 mx:example.org/32//129");
    bad("v=spf1 ip4");
    bad("v=spf1 ip4:");
    bad("v=spf1 ip4:192.0.2.0/33");
    bad("v=spf1 ip4:192.0.2.0/");
    bad("v=spf1 ip4:192.0.2.0//32");
    bad("v=spf1 ip4:192.0.2.0/032");
    bad("v=spf1 ip4:01.1.1.1");
    bad("v=spf1 ip4:1.2.3.256");
    bad("v=spf1 ip4:1.2.3");
    bad("v=spf1 ip4:1.2.3.4.5");
    bad("v=spf1 ip4:1.2.3.4:8080");
    bad("v=spf1 ip4:2001:db8::1");
    bad("v=spf1 ip6:2001:db8::/129");
    bad("v=spf1 ip6:::1%eth0");
    bad("v=spf1 ip6:2001:db8::1::2");
    bad("v=spf1 ip6:1.2.3.4");
    bad("v=spf1 ip6:2001:db8::1//33");
    bad("v=spf1 redirect=a.example redirect=b.example");
    bad("v=spf1 exp=a.example -all exp=b.example");
    bad("v=spf1 redirect=");
    bad("v=spf1 exp=foo");
    bad("v=spf1 -foo=bar");
    bad("v=spf1 1up=foo");
    bad("v=spf1 =all");
    bad("v=spf1 a\tmx");
    bad("v=spf1 -exists:%(ir).sbl.example.org");
    bad("v=spf1 exists:%{a}.example.org");
    bad("v=spf1 exists:%{d0}.example.org");
    bad("v=spf1 exists:%{d2");
    bad("v=spf1 a:%{c}.example.com");
    bad("v=spf1 all:foo");
    bad("v=spf1 all/24");
    bad("v=spf1 foo");
    bad("v=spf1 +");
    bad("v=spf1 mx2");
    bad("v=spf1 ip4:1.2.3.4 \xc3\xa9");
    bad("v=spf1 unknown=%");
    bad("v=spf1 a\r-all");
    bad("v=spf10 -all");
    bad("");
}

void TestSpf::records()
{
    QFETCH(QByteArray, record);
    QFETCH(bool, valid);
    QFETCH(int, directives);
    const Result<SpfRecord> r = parseSpfRecord(record);
    QCOMPARE(r.ok(), valid);
    if (valid)
        QCOMPARE(r->directives.size(), directives);
    else
        QVERIFY(!r.error().message.isEmpty());
}

void TestSpf::selection_data()
{
    QTest::addColumn<QByteArray>("txt");
    QTest::addColumn<bool>("spf");
    QTest::newRow("plain") << QByteArray("v=spf1 -all") << true;
    QTest::newRow("alone") << QByteArray("v=spf1") << true;
    QTest::newRow("case") << QByteArray("V=SpF1 a") << true;
    QTest::newRow("spf10") << QByteArray("v=spf10 -all") << false;
    QTest::newRow("no space") << QByteArray("v=spf1-all") << false;
    QTest::newRow("leading space") << QByteArray(" v=spf1 -all") << false;
    QTest::newRow("tab") << QByteArray("v=spf1\t-all") << false;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("spf2") << QByteArray("spf2.0/pra -all") << false;
}

void TestSpf::selection()
{
    QFETCH(QByteArray, txt);
    QFETCH(bool, spf);
    QCOMPARE(isSpfRecord(txt), spf);
}

// §2.4: MAIL FROM:<> checks postmaster@<helo> with identity "helo".
void TestSpf::nullSenderUsesHelo()
{
    FakeLookup dns(lines({ "mail.example.net TXT v=spf1 exists:%{l}.%{o}.ok.example.net a -all",
        "mail.example.net A 192.0.2.50", "postmaster.mail.example.net.ok.example.net A 127.0.0.2" }));
    auto w = run(dns, request(QStringLiteral("203.0.113.1"), QString(), QStringLiteral("mail.example.net")));
    QVERIFY(w->outcome);
    QCOMPARE(w->outcome->result, SpfResult::Pass);
    QCOMPARE(w->outcome->identity, QStringLiteral("helo"));
    QCOMPARE(w->outcome->domain, QStringLiteral("mail.example.net"));

    // A HELO that is an address literal has no SPF identity.
    w = run(dns, request(QStringLiteral("203.0.113.1"), QString(), QStringLiteral("[203.0.113.1]")));
    QVERIFY(w->outcome);
    QCOMPARE(w->outcome->result, SpfResult::None);
    QCOMPARE(w->outcome->identity, QStringLiteral("helo"));
}

void TestSpf::heloIdentity()
{
    FakeLookup dns(lines(
        { "mail.example.net TXT v=spf1 a -all", "mail.example.net A 192.0.2.50", "example.com TXT v=spf1 -all" }));
    auto w = std::make_shared<Waited>();
    checkSpfHelo(dns,
        request(QStringLiteral("192.0.2.50"), QStringLiteral("user@example.com"), QStringLiteral("mail.example.net")),
        SpfOptions(), [w](const SpfOutcome &o) {
            w->outcome = o;
            ++w->calls;
        });
    QVERIFY(QTest::qWaitFor([w] { return w->outcome.has_value(); }, 5000));
    QCOMPARE(w->outcome->result, SpfResult::Pass);
    QCOMPARE(w->outcome->identity, QStringLiteral("helo"));
    QVERIFY(!dns.asked.contains(QStringLiteral("example.com")));
}

void TestSpf::outcomeFields()
{
    FakeLookup dns(rfcZone + "example.com TXT v=spf1 include:inc.example.net -all"
        + "inc.example.net TXT v=spf1 ip4:192.0.2.0/24 -all");
    auto w = run(dns, request(QStringLiteral("192.0.2.3"), QStringLiteral("user@Example.COM")));
    QVERIFY(w->outcome);
    QCOMPARE(w->outcome->result, SpfResult::Pass);
    QCOMPARE(w->outcome->domain, QStringLiteral("example.com"));
    QCOMPARE(w->outcome->mechanism, QStringLiteral("include:inc.example.net"));
    QVERIFY2(w->outcome->explanation.contains(QStringLiteral("ip4:192.0.2.0/24")), qPrintable(w->outcome->explanation));
    QCOMPARE(w->outcome->dnsLookups, 1);

    // No client address at all.
    w = run(
        dns, SpfRequest { QHostAddress(), QStringLiteral("h.example"), QStringLiteral("u@example.com"), QString() });
    QVERIFY(w->outcome);
    QCOMPARE(w->outcome->result, SpfResult::None);
}

// §6.2 and its example text; exp= of an included record is not used.
void TestSpf::explanation()
{
    FakeLookup dns(rfcZone + "example.com TXT v=spf1 mx -all exp=explain._spf.%{d}"
        + "explain._spf.example.com TXT %{i} is not one of %{d}'s designated mail servers. See %{c} %{r} %{p}"
        + "example.net TXT v=spf1 -include:inc.example.net ?all exp=nothing.example.net"
        + "inc.example.net TXT v=spf1 +all exp=explain._spf.example.com"
        + "example.org TXT v=spf1 -all exp=two.example.org" + "two.example.org TXT one" + "two.example.org TXT two");
    auto w = run(dns, request(QStringLiteral("192.0.2.65"), QStringLiteral("user@example.com")));
    QVERIFY(w->outcome);
    QCOMPARE(w->outcome->result, SpfResult::Fail);
    QCOMPARE(w->outcome->senderExplanation,
        QStringLiteral("192.0.2.65 is not one of example.com's designated mail servers. See 192.0.2.65 "
                       "mx.receiver.example amy.example.com"));
    QCOMPARE(w->outcome->dnsLookups, 1); // the exp lookups do not count

    w = run(dns, request(QStringLiteral("192.0.2.65"), QStringLiteral("user@example.net")));
    QVERIFY(w->outcome);
    QCOMPARE(w->outcome->result, SpfResult::Fail);
    QCOMPARE(w->outcome->senderExplanation, QString()); // nothing.example.net has no TXT

    w = run(dns, request(QStringLiteral("192.0.2.65"), QStringLiteral("user@example.org")));
    QVERIFY(w->outcome);
    QCOMPARE(w->outcome->result, SpfResult::Fail);
    QCOMPARE(w->outcome->senderExplanation, QString()); // two records: ignored
}

void TestSpf::deadline()
{
    FakeLookup dns(lines({ "example.com TXT v=spf1 a:slow.example.net -all", "slow.example.net HANG" }));
    SpfOptions opts;
    opts.deadlineMs = 50;
    const auto w = run(dns, request(QStringLiteral("192.0.2.3"), QStringLiteral("user@example.com")), opts);
    QVERIFY(w->outcome);
    QCOMPARE(w->outcome->result, SpfResult::TempError);
    QCOMPARE(w->calls, 1);
    QCOMPARE(dns.hung.size(), 1);
}

void TestSpf::resultNames()
{
    QCOMPARE(spfResultName(SpfResult::None), QStringLiteral("none"));
    QCOMPARE(spfResultName(SpfResult::Neutral), QStringLiteral("neutral"));
    QCOMPARE(spfResultName(SpfResult::Pass), QStringLiteral("pass"));
    QCOMPARE(spfResultName(SpfResult::Fail), QStringLiteral("fail"));
    QCOMPARE(spfResultName(SpfResult::SoftFail), QStringLiteral("softfail"));
    QCOMPARE(spfResultName(SpfResult::TempError), QStringLiteral("temperror"));
    QCOMPARE(spfResultName(SpfResult::PermError), QStringLiteral("permerror"));
}

// Every prefix of a long record, copied so that ASan sees a read past its end.
void TestSpf::everyPrefix()
{
    const QByteArray whole("v=spf1 a/24//64 mx:example.org/30//126 ip4:192.0.2.0/24 ip6:2001:db8::/32 ptr "
                           "exists:%{ir}.%{l1r+-}._spf.%{d2} include:_spf.example.net ?all exp=explain.%{d} "
                           "redirect=_spf.%{d} foo=%{h}%%%_%-");
    for (qsizetype n = 0; n <= whole.size(); ++n) {
        const std::vector<char> part(whole.begin(), whole.begin() + n);
        const QByteArrayView view(part.data(), n);
        if (isSpfRecord(view))
            (void)parseSpfRecord(view);
        (void)isValidSpfMacroString(QString::fromLatin1(view), SpfMacroUse::DomainSpec);
    }
}

// Random records built from SPF fragments and junk, evaluated end to end:
// every check must answer exactly once with some result, and ASan/UBSan stay
// quiet.
void TestSpf::randomRecords()
{
    static const char *const pieces[] = { "v=spf1", " ", "a", "mx", "ptr",
        "include:", "exists:", "ip4:", "ip6:", "redirect=", "exp=", "all", "-", "+", "~", "?", "/", "//", "24", "0",
        "129", ":", "%{", "}", "%{d}", "%{ir}", "%{l1r+}", "%{p}", "%{S}", "%%", "%", "example.com", "r.example.net",
        ".", "192.0.2.3", "2001:db8::1", "=", "\xff", "\t", "zz", "%{d99}" };
    QRandomGenerator rng(7208);
    QStringList zone = rfcZone;
    QList<QByteArray> records;
    for (int i = 0; i < 300; ++i) {
        QByteArray r = "v=spf1 ";
        const int n = int(rng.bounded(12));
        for (int j = 0; j < n; ++j)
            r += pieces[rng.bounded(int(std::size(pieces)))];
        records.append(r);
    }
    for (qsizetype i = 0; i < records.size(); ++i) {
        FakeLookup dns(QStringList(zone) << QStringLiteral("example.com TXT ") + QString::fromLatin1(records[i])
                                         << QStringLiteral("r.example.net TXT ")
                + QString::fromLatin1(records[(i + 1) % records.size()]));
        const auto w = run(dns,
            request(
                i % 2 ? QStringLiteral("192.0.2.3") : QStringLiteral("2001:db8::1"), QStringLiteral("u@example.com")));
        QVERIFY2(w->outcome.has_value(), records[i].constData());
        QCOMPARE(w->calls, 1);
        QVERIFY(w->outcome->dnsLookups <= 10);
    }
}

QTEST_GUILESS_MAIN(TestSpf)
#include "tst_spf.moc"
