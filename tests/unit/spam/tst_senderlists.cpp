// SenderLists: which allow or block entry decides for a recipient, and that
// an allow entry for a name needs SPF or DKIM behind it.
#include <QTest>

#include "spam/senderlists.h"

using namespace mailroom;
using namespace mailroom::spam;

namespace
{
store::SpamListEntry entry(qint64 id, const char *scope, const char *kind, const char *pattern)
{
    store::SpamListEntry e;
    e.id = id;
    e.scope = QString::fromLatin1(scope);
    e.kind = QString::fromLatin1(kind);
    e.pattern = QString::fromLatin1(pattern);
    return e;
}

SenderFacts facts(const char *sender, const char *from, const char *client, QStringList verified = {})
{
    SenderFacts f;
    f.envelopeSender = QString::fromLatin1(sender);
    f.fromAddress = QString::fromLatin1(from);
    f.client = QHostAddress(QString::fromLatin1(client));
    for (const QString &d : verified)
        f.verifiedDomains.insert(d);
    return f;
}

qint64 decided(const SenderLists &l, const char *rcpt, const SenderFacts &f)
{
    const auto d = l.decide(QString::fromLatin1(rcpt), f);
    return d ? d->id : 0;
}
} // namespace

class TestSenderLists : public QObject
{
    Q_OBJECT
private slots:
    void normalizesPatterns_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("stored"); // empty: refused
        QTest::newRow("address") << "Ann@Example.COM"
                                 << "ann@example.com";
        QTest::newRow("domain") << "Example.com"
                                << "example.com";
        QTest::newRow("at domain") << "@example.com"
                                   << "example.com";
        QTest::newRow("wildcard") << "*.example.com"
                                  << "example.com";
        QTest::newRow("ipv4") << "192.0.2.7"
                              << "192.0.2.7";
        QTest::newRow("ipv4 net") << "192.0.2.9/24"
                                  << "192.0.2.0/24";
        QTest::newRow("ipv6 net") << "2001:DB8::/32"
                                  << "2001:db8::/32";
        QTest::newRow("idn") << QStringLiteral("bücher.example") << "xn--bcher-kva.example";
        QTest::newRow("word") << "localhost"
                              << "";
        QTest::newRow("space") << "not a domain"
                               << "";
        QTest::newRow("empty local") << "@"
                                     << "";
        QTest::newRow("dots") << "a..b"
                              << "";
        QTest::newRow("trailing dot") << "example.com."
                                      << "";
        QTest::newRow("empty") << ""
                               << "";
    }
    void normalizesPatterns()
    {
        QFETCH(QString, input);
        QFETCH(QString, stored);
        const Result<QString> r = normalizeListPattern(input);
        if (stored.isEmpty()) {
            QVERIFY(!r);
            QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        } else {
            QVERIFY(r);
            QCOMPARE(*r, stored);
        }
    }

    void blockMatchesAddressDomainAndNetwork()
    {
        const SenderLists l({ entry(1, "global", "block", "spam.test"), entry(2, "global", "block", "eve@bad.test"),
            entry(3, "global", "block", "198.51.100.0/24") });
        QCOMPARE(decided(l, "a@x.test", facts("x@mail.spam.test", "", "192.0.2.1")), 1);
        QCOMPARE(decided(l, "a@x.test", facts("", "eve@bad.test", "192.0.2.1")), 2);
        QCOMPARE(decided(l, "a@x.test", facts("ok@fine.test", "ok@fine.test", "198.51.100.77")), 3);
        QCOMPARE(decided(l, "a@x.test", facts("ok@fine.test", "ok@fine.test", "192.0.2.1")), 0);
        // "notspam.test" is not under "spam.test".
        QCOMPARE(decided(l, "a@x.test", facts("x@notspam.test", "", "192.0.2.1")), 0);
    }

    void allowNeedsVerification()
    {
        const SenderLists l({ entry(1, "global", "allow", "good.test"), entry(2, "global", "allow", "10.0.0.0/8") });
        QList<ListDecision> unverified;
        QVERIFY(!l.decide(QStringLiteral("a@x.test"), facts("bob@good.test", "", "192.0.2.1"), &unverified));
        QCOMPARE(unverified.size(), 1);
        QCOMPARE(decided(l, "a@x.test", facts("bob@good.test", "", "192.0.2.1", { QStringLiteral("good.test") })), 1);
        // A subdomain's signature proves the organizational domain.
        QCOMPARE(
            decided(l, "a@x.test", facts("", "bob@mail.good.test", "192.0.2.1", { QStringLiteral("good.test") })), 1);
        QCOMPARE(decided(l, "a@x.test", facts("x@any.test", "", "10.1.2.3")), 2);
    }

    void specificScopeAndPatternWin()
    {
        const SenderLists l({ entry(1, "global", "block", "good.test"), entry(2, "domain:x.test", "allow", "good.test"),
            entry(3, "user:ann@x.test", "block", "bob@good.test"), entry(4, "global", "allow", "bob@good.test") });
        const SenderFacts f = facts("bob@good.test", "bob@good.test", "192.0.2.1", { QStringLiteral("good.test") });
        QCOMPARE(decided(l, "ann@x.test", f), 3); // her own entry
        QCOMPARE(decided(l, "bea@x.test", f), 2); // her domain's
        QCOMPARE(decided(l, "carl@y.test", f), 4); // global, the address beats the domain
        QCOMPARE(
            decided(l, "carl@y.test", facts("eve@good.test", "", "192.0.2.1", { QStringLiteral("good.test") })), 1);
    }

    void blockWinsATie()
    {
        const SenderLists l({ entry(1, "global", "allow", "good.test"), entry(2, "global", "block", "good.test") });
        QCOMPARE(decided(l, "a@x.test", facts("bob@good.test", "", "192.0.2.1", { QStringLiteral("good.test") })), 2);
    }
};

QTEST_APPLESS_MAIN(TestSenderLists)
#include "tst_senderlists.moc"
