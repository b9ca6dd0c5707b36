// The spam widgets that need no engine: the allow/block pattern check of
// SpamListDialog (address, domain with IDN, IP address, network, and what
// is none of them) and the score table model's edits (range, rounding,
// marking, TAG=POINTS in C notation whatever the locale, editing back).
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

#include "dialogs/spamlistdialog.h"
#include "models/scoretablemodel.h"

using namespace mailroom::widgets;

Q_DECLARE_METATYPE(mailroom::widgets::ListPattern)

class TestSpamWidgets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void patterns_data();
    void patterns();
    void scoreEdits();
    void scoreEditsInAnotherLocale();
};

void TestSpamWidgets::patterns_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<ListPattern>("kind");
    QTest::newRow("address") << QStringLiteral("user@example.com") << ListPattern::Address;
    QTest::newRow("address, spaces around") << QStringLiteral("  user@example.com ") << ListPattern::Address;
    QTest::newRow("address, plus") << QStringLiteral("a.b+news@mail.example.org") << ListPattern::Address;
    QTest::newRow("domain") << QStringLiteral("example.com") << ListPattern::Domain;
    QTest::newRow("subdomain") << QStringLiteral("mail.bulk-sender.example") << ListPattern::Domain;
    QTest::newRow("IDN domain") << QStringLiteral("bücher.example") << ListPattern::Domain;
    QTest::newRow("IPv4") << QStringLiteral("192.0.2.7") << ListPattern::IpAddress;
    QTest::newRow("IPv6") << QStringLiteral("2001:db8::1") << ListPattern::IpAddress;
    QTest::newRow("IPv4 network") << QStringLiteral("192.0.2.0/24") << ListPattern::Network;
    QTest::newRow("IPv6 network") << QStringLiteral("2001:db8::/32") << ListPattern::Network;
    QTest::newRow("empty") << QString() << ListPattern::Invalid;
    QTest::newRow("words") << QStringLiteral("bulk mailer") << ListPattern::Invalid;
    QTest::newRow("no dot") << QStringLiteral("localhost") << ListPattern::Invalid;
    QTest::newRow("short IPv4") << QStringLiteral("10.1") << ListPattern::Invalid;
    QTest::newRow("numeric last label") << QStringLiteral("192.0.2") << ListPattern::Invalid;
    QTest::newRow("prefix too long") << QStringLiteral("192.0.2.0/33") << ListPattern::Invalid;
    QTest::newRow("network of a name") << QStringLiteral("example.com/24") << ListPattern::Invalid;
    QTest::newRow("no local part") << QStringLiteral("@example.com") << ListPattern::Invalid;
    QTest::newRow("two ats") << QStringLiteral("a@b@example.com") << ListPattern::Invalid;
    QTest::newRow("label with dash at end") << QStringLiteral("bad-.example") << ListPattern::Invalid;
    QTest::newRow("empty label") << QStringLiteral("a..example") << ListPattern::Invalid;
}

void TestSpamWidgets::patterns()
{
    QFETCH(QString, pattern);
    QFETCH(ListPattern, kind);
    QCOMPARE(classifyListPattern(pattern), kind);
}

namespace
{
QJsonArray table()
{
    auto row = [](const char *tag, double score, double file, const char *kind) {
        return QJsonObject { { QStringLiteral("tag"), QLatin1String(tag) }, { QStringLiteral("score"), score },
            { QStringLiteral("fileScore"), file }, { QStringLiteral("overridden"), score != file },
            { QStringLiteral("description"), QStringLiteral("about %1").arg(QLatin1String(tag)) },
            { QStringLiteral("kind"), QLatin1String(kind) } };
    };
    return { row("SUBJ_MONEY", 0.3, 0.3, "rule"), row("BAYES_99", 5.0, 5.0, "analyzer"),
        row("DMARC_REJECT", 4.0, 3.0, "analyzer") };
}
} // namespace

void TestSpamWidgets::scoreEdits()
{
    ScoreTableModel model;
    QSignalSpy changes(&model, &ScoreTableModel::changesChanged);
    model.setItems(table());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.tagAt(0), QStringLiteral("BAYES_99")); // sorted by tag
    QVERIFY(!model.hasChanges());
    const int money = 2;
    QCOMPARE(model.tagAt(money), QStringLiteral("SUBJ_MONEY"));
    QVERIFY(model.flags(model.index(money, ScoreTableModel::Points)) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(money, ScoreTableModel::Tag)) & Qt::ItemIsEditable));

    // Out of range or not a number: refused.
    QVERIFY(!model.setData(model.index(money, ScoreTableModel::Points), 100.5, Qt::EditRole));
    QVERIFY(!model.setData(model.index(money, ScoreTableModel::Points), QStringLiteral("lots"), Qt::EditRole));
    QVERIFY(!model.setData(model.index(money, ScoreTableModel::Tag), 1.0, Qt::EditRole));
    QVERIFY(!model.hasChanges());

    QVERIFY(model.setData(model.index(money, ScoreTableModel::Points), 2.4999999, Qt::EditRole));
    QVERIFY(model.isChanged(money));
    QCOMPARE(model.changes(), QStringList { QStringLiteral("SUBJ_MONEY=2.5") });
    QCOMPARE(model.index(money, ScoreTableModel::Tag).data().toString(), QStringLiteral("SUBJ_MONEY *"));
    QVERIFY(model.index(money, 0).data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(model.index(money, ScoreTableModel::Points)
                .data(Qt::ToolTipRole)
                .toString()
                .startsWith(QStringLiteral("Changed from")));
    QVERIFY(changes.count() >= 2); // setItems, then the edit
    QCOMPARE(changes.last().first().toInt(), 1);

    QVERIFY(model.setPoints(0, -100));
    QCOMPARE(model.changes(), (QStringList { QStringLiteral("BAYES_99=-100"), QStringLiteral("SUBJ_MONEY=2.5") }));
    // Editing back to what the engine has is no change.
    QVERIFY(model.setPoints(0, 5.0));
    QCOMPARE(model.changeCount(), 1);
    // An admin's earlier change shows in italics with the default beside it.
    QVERIFY(model.index(1, ScoreTableModel::Points).data(Qt::FontRole).value<QFont>().italic());
    QVERIFY(model.index(1, ScoreTableModel::Points).data(Qt::ToolTipRole).toString().contains(QStringLiteral("3.0")));

    model.discardChanges();
    QVERIFY(!model.hasChanges());
    QCOMPARE(model.pointsAt(money), 0.3);
    QCOMPARE(changes.last().first().toInt(), 0);
}

void TestSpamWidgets::scoreEditsInAnotherLocale()
{
    const QLocale before;
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    ScoreTableModel model;
    model.setItems(table());
    QVERIFY(model.setPoints(2, 1.25));
    QCOMPARE(model.index(2, ScoreTableModel::Points).data().toString(), QStringLiteral("1,25")); // shown the German way
    QCOMPARE(model.changes(), QStringList { QStringLiteral("SUBJ_MONEY=1.25") }); // sent the C way
    QLocale::setDefault(before);
}

QTEST_MAIN(TestSpamWidgets)
#include "tst_spamwidgets.moc"
