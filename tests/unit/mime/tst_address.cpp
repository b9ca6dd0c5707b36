// Address-list parsing: the RFC 5322 Appendix A examples (A.1.1, A.1.2,
// A.1.3, A.5, A.6.1), RFC 2047 display names, routes, missing domains, junk
// and the bounds.
#include <QTest>

#include "mime/address.h"
#include "mime/limits.h"

using namespace mailroom::mime;

namespace
{

// name|local|domain for a mailbox; "G(name){...}" for a group; "; " between.
QString dump(const QList<AddressGroup> &list)
{
    auto one = [](const Mailbox &m) -> QString {
        return m.name + QLatin1Char('|') + QString::fromUtf8(m.local) + QLatin1Char('|') + QString::fromUtf8(m.domain);
    };
    QStringList out;
    for (const AddressGroup &g : list) {
        if (!g.isGroup) {
            out << one(g.members.value(0));
            continue;
        }
        QStringList members;
        for (const Mailbox &m : g.members)
            members << one(m);
        out << QStringLiteral("G(") + g.name + QStringLiteral("){") + members.join(QStringLiteral("; "))
                + QLatin1Char('}');
    }
    return out.join(QStringLiteral("; "));
}

} // namespace

class TestAddress : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void addrSpecQuoting();
    void bounded();
};

void TestAddress::parse_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QString>("out");

    // A.1.1 A message from one person to another with simple addressing
    QTest::newRow("A.1.1 from") << QByteArray("John Doe <jdoe@machine.example>")
                                << QStringLiteral("John Doe|jdoe|machine.example");
    QTest::newRow("A.1.1 to") << QByteArray("Mary Smith <mary@example.net>")
                              << QStringLiteral("Mary Smith|mary|example.net");
    // A.1.2 Different types of mailboxes
    QTest::newRow("A.1.2 from") << QByteArray("\"Joe Q. Public\" <john.q.public@example.com>")
                                << QStringLiteral("Joe Q. Public|john.q.public|example.com");
    QTest::newRow("A.1.2 to") << QByteArray("Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>")
                              << QStringLiteral("Mary Smith|mary|x.test; |jdoe|example.org; Who?|one|y.test");
    QTest::newRow("A.1.2 cc") << QByteArray("<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>")
                              << QStringLiteral("|boss|nil.test; Giant; \"Big\" Box|sysservices|example.net");
    // A.1.3 Group addresses
    QTest::newRow("A.1.3 to") << QByteArray("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;")
                              << QStringLiteral("G(A Group){Ed Jones|c|a.test; |joe|where.test; John|jdoe|one.test}");
    QTest::newRow("A.1.3 cc") << QByteArray("Undisclosed recipients:;")
                              << QStringLiteral("G(Undisclosed recipients){}");
    // A.5 White space, comments, and other oddities
    QTest::newRow("A.5 from") << QByteArray("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>")
                              << QStringLiteral("Pete|pete|silly.test");
    QTest::newRow("A.5 to") << QByteArray(
        "A Group(Some people)\r\n     :Chris Jones <c@(Chris's host.)public.example>,\r\n"
        "         joe@example.org,\r\n  John <jdoe@one.test> (my dear friend); (the end of the group)")
                            << QStringLiteral(
                                   "G(A Group){Chris Jones|c|public.example; |joe|example.org; John|jdoe|one.test}");
    QTest::newRow("A.5 cc") << QByteArray("(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;")
                            << QStringLiteral("G(Hidden recipients){}");
    // A.6.1 Obsolete addressing
    QTest::newRow("A.6.1 from") << QByteArray("Joe Q. Public <john.q.public@example.com>")
                                << QStringLiteral("Joe Q. Public|john.q.public|example.com");
    QTest::newRow("A.6.1 to") << QByteArray("Mary Smith <@node.test:mary@example.net>, , jdoe@test   . example")
                              << QStringLiteral("Mary Smith|mary|example.net; |jdoe|test.example");
    // Practice
    QTest::newRow("encoded name") << QByteArray("=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>")
                                  << QStringLiteral("Andr\u00e9 Pirard|PIRARD|vm1.ulg.ac.be");
    QTest::newRow("encoded in quotes") << QByteArray("\"=?utf-8?B?w6k=?=\" <e@x.test>")
                                       << QStringLiteral("\u00e9|e|x.test");
    QTest::newRow("utf-8 name") << QByteArray("J\xc3\xb6rg <j@x.test>") << QStringLiteral("J\u00f6rg|j|x.test");
    QTest::newRow("old style comment name")
        << QByteArray("jdoe@example.org (John Doe)") << QStringLiteral("John Doe|jdoe|example.org");
    QTest::newRow("multi-hop route") << QByteArray("<@a.test,@b.test:x@y.test>") << QStringLiteral("|x|y.test");
    QTest::newRow("missing domain") << QByteArray("postmaster, Name <local>")
                                    << QStringLiteral("|postmaster|; Name|local|");
    QTest::newRow("quoted local") << QByteArray("\"john q\"@example.com") << QStringLiteral("|john q|example.com");
    QTest::newRow("domain literal") << QByteArray("a@[192.0.2.1]") << QStringLiteral("|a|[192.0.2.1]");
    QTest::newRow("unclosed angle") << QByteArray("Bob <bob@x.test") << QStringLiteral("Bob|bob|x.test");
    QTest::newRow("unclosed group") << QByteArray("G: a@b.test") << QStringLiteral("G(G){|a|b.test}");
    QTest::newRow("unclosed quote") << QByteArray("\"Bob <bob@x.test>") << QStringLiteral("|Bob <bob@x.test>|");
    QTest::newRow("unclosed comment") << QByteArray("a@b.test (never") << QStringLiteral("never|a|b.test");
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("only commas") << QByteArray(" , ,, ") << QString();
    QTest::newRow("junk") << QByteArray(">>;;::<<") << QString();
    QTest::newRow("after group") << QByteArray("G:a@b;c@d") << QStringLiteral("G(G){|a|b}; |c|d");
    QTest::newRow("nested group colon") << QByteArray("G: H: a@b; c@d") << QStringLiteral("G(G){}; |c|d");
}

void TestAddress::parse()
{
    QFETCH(QByteArray, in);
    QFETCH(QString, out);
    QCOMPARE(dump(parseAddressList(in)), out);
}

void TestAddress::addrSpecQuoting()
{
    QCOMPARE((Mailbox { QString(), "a.b", "x" }).addrSpec(), QByteArray("a.b@x"));
    QCOMPARE((Mailbox { QString(), "john q", "x" }).addrSpec(), QByteArray("\"john q\"@x"));
    QCOMPARE((Mailbox { QString(), "a\"b", "x" }).addrSpec(), QByteArray("\"a\\\"b\"@x"));
    QCOMPARE((Mailbox { QString(), "postmaster", "" }).addrSpec(), QByteArray("postmaster"));
}

void TestAddress::bounded()
{
    QByteArray many;
    for (int i = 0; i < kMaxAddresses + 100; ++i)
        many += "u" + QByteArray::number(i) + "@x.test,";
    QCOMPARE(mailboxes(parseAddressList(many)).size(), kMaxAddresses);

    QByteArray groups;
    for (int i = 0; i < kMaxAddresses + 100; ++i)
        groups += "g:;";
    QCOMPARE(parseAddressList(groups).size(), kMaxAddresses);

    // Deeply nested comments: no recursion, no crash.
    const QByteArray deep = QByteArray(100000, '(') + "x" + QByteArray(100000, ')') + " a@b";
    QCOMPARE(mailboxes(parseAddressList(deep)).size(), 1);
}

QTEST_GUILESS_MAIN(TestAddress)
#include "tst_address.moc"
