// The rule file: its grammar and errors, later files overriding scores, and
// the shipped rules run on the cases of tests/data/spam/rules.test (Stalwart's
// format: "expect TAG..." then a message, cases separated by
// "<!-- NEXT TEST -->"), comparing the tags found with the tags expected.
// Also the filter's own-header removal and the offline verdict.
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "spam/bayesfilter.h"
#include "spam/filter.h"
#include "spam/rules.h"
#include "store/store.h"

using namespace mailroom;
using namespace mailroom::spam;

class TestRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void grammar_data();
    void grammar();
    void laterFilesOverride();
    void shippedRules_data();
    void shippedRules();
    void ownHeadersRemoved();
    void offlineVerdictFollowsScores();
};

void TestRules::grammar_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<bool>("ok");
    QTest::newRow("score") << QStringLiteral("score SPF_FAIL 2.5") << true;
    QTest::newRow("negative score") << QStringLiteral("score BAYES_00 -3") << true;
    QTest::newRow("lower-case tag") << QStringLiteral("score spf_fail 1") << false;
    QTest::newRow("score without points") << QStringLiteral("score SPF_FAIL") << false;
    QTest::newRow("huge score") << QStringLiteral("score SPF_FAIL 1e9") << false;
    QTest::newRow("rule with spaces in regex") << QStringLiteral("rule X_A body /hello world/i 1.0 Greeting") << true;
    QTest::newRow("rule on a header") << QStringLiteral("rule X_B header:X-Mailer /^Bulk/ 0.5 Bulk mailer") << true;
    QTest::newRow("missing header rule") << QStringLiteral("rule X_C missing:Date // 1 No date") << true;
    QTest::newRow("unknown target") << QStringLiteral("rule X_D nose /x/ 1 Smell") << false;
    QTest::newRow("broken regex") << QStringLiteral("rule X_E body /(unclosed/ 1 Bad") << false;
    QTest::newRow("no slashes") << QStringLiteral("rule X_F body hello 1 Bad") << false;
    QTest::newRow("no points") << QStringLiteral("rule X_G body /x/ Bad") << false;
    QTest::newRow("unknown keyword") << QStringLiteral("describe X_H text") << false;
}

void TestRules::grammar()
{
    QFETCH(QString, line);
    QFETCH(bool, ok);
    RuleSet set;
    QStringList errors;
    set.parse(QStringLiteral("# comment\n\n") + line + u'\n', QStringLiteral("t.cf"), &errors);
    QCOMPARE(errors.isEmpty(), ok);
    if (!ok)
        QVERIFY2(errors.first().startsWith(u"t.cf:3: "), qPrintable(errors.first()));
}

void TestRules::laterFilesOverride()
{
    RuleSet set;
    QStringList errors;
    set.parse(defaultRulesText(), QStringLiteral("rules.cf"), &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    QCOMPARE(set.score(QStringLiteral("SPF_FAIL")), 1.0);
    const qsizetype rules = set.rules().size();
    set.parse(QStringLiteral("score SPF_FAIL 4\nrule MISSING_DATE missing:Date // 0.1 No date, tolerated\n"),
        QStringLiteral("local.cf"), &errors);
    QCOMPARE(set.score(QStringLiteral("SPF_FAIL")), 4.0);
    QCOMPARE(set.score(QStringLiteral("MISSING_DATE")), 0.1);
    QCOMPARE(set.rules().size(), rules); // replaced, not added
}

void TestRules::shippedRules_data()
{
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QByteArray>("message");
    QFile f(QStringLiteral(MAILROOM_SOURCE_DIR "/tests/data/spam/rules.test"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> cases = f.readAll().split('\n');
    QByteArray current;
    QList<QByteArray> all;
    for (const QByteArray &line : cases) {
        if (line.trimmed() == "<!-- NEXT TEST -->") {
            all << current;
            current.clear();
        } else {
            current += line + '\n';
        }
    }
    all << current;
    int n = 0;
    for (const QByteArray &c : std::as_const(all)) {
        const qsizetype nl = c.indexOf('\n');
        const QByteArray head = c.left(nl).trimmed();
        QVERIFY(head.startsWith("expect"));
        QStringList expected = QString::fromLatin1(head.mid(6)).split(u' ', Qt::SkipEmptyParts);
        expected.sort();
        // The message follows the empty line after "expect"; lines end in CRLF.
        QByteArray msg = c.mid(nl + 1);
        if (msg.startsWith('\n'))
            msg = msg.mid(1);
        msg.replace("\n", "\r\n");
        QTest::newRow(qPrintable(QStringLiteral("case %1").arg(++n))) << expected << msg;
    }
}

void TestRules::shippedRules()
{
    QFETCH(QStringList, expected);
    QFETCH(QByteArray, message);
    RuleSet set;
    set.parse(defaultRulesText(), QStringLiteral("rules.cf"), nullptr);
    TagList tags;
    set.evaluate(ruleInput(message), tags);
    QStringList got;
    for (const TagHit &t : tags.hits())
        got << t.name;
    got.sort();
    QCOMPARE(got, expected);
}

void TestRules::ownHeadersRemoved()
{
    const QByteArray in = "X-Spam-Status: No\r\nAuthentication-Results: MX.example.com; spf=pass\r\n"
                          "Authentication-Results: other.example; dkim=pass\r\nX-Spam-Flag: NO\r\n"
                          "Subject: hi\r\n\r\nX-Spam-Status: in the body stays\r\n";
    const QByteArray out = withoutOwnHeaders(in, QStringLiteral("mx.example.com"));
    QCOMPARE(out,
        QByteArray("Authentication-Results: other.example; dkim=pass\r\nSubject: hi\r\n\r\n"
                   "X-Spam-Status: in the body stays\r\n"));
    QCOMPARE(withoutOwnHeaders("Subject: x\r\n\r\nbody", QStringLiteral("mx")), QByteArray("Subject: x\r\n\r\nbody"));
}

void TestRules::offlineVerdictFollowsScores()
{
    QTemporaryDir dir;
    auto store = store::Store::open(dir.path(), nullptr);
    BayesFilter bayes(store.value()->spam());
    QVERIFY(bayes.load().ok());
    RuleSet rules;
    rules.parse(defaultRulesText(), QStringLiteral("rules.cf"), nullptr);
    FilterSettings settings;
    settings.junkScore = 2.0;
    Filter filter(bayes, rules, settings, nullptr);
    const QByteArray shouting = "Subject: WINNER TODAY!!!\r\n\r\nhello\r\n";
    const FilterResult r = filter.checkOffline(shouting);
    // MISSING_FROM 1.5 + MISSING_DATE 1.0 + MISSING_MID 0.5 + two subject rules 0.5 each.
    QCOMPARE(r.score, 4.0);
    QCOMPARE(r.action, Action::Junk);
    QCOMPARE(r.tags.first().name, QStringLiteral("MISSING_FROM")); // highest first
    settings.junkScore = 5.0;
    settings.rejectScore = 3.0;
    filter.setSettings(settings);
    QCOMPARE(filter.checkOffline(shouting).action, Action::Reject);
}

QTEST_GUILESS_MAIN(TestRules)
#include "tst_rules.moc"
