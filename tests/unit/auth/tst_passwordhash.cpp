// scrypt password hashes: round trip, wrong password, salts differ, malformed
// and over-expensive stored strings are refused, and the password policy.
#include <QTest>

#include "auth/passwordhash.h"

using namespace mailroom;
using namespace mailroom::auth;

class TestPasswordHash : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip();
    void saltsDiffer();
    void malformed_data();
    void malformed();
    void policy_data();
    void policy();
};

void TestPasswordHash::roundTrip()
{
    const auto h = hashPassword(QStringLiteral("correct horse battery staple ✓"), 10);
    QVERIFY(h.ok());
    QVERIFY(h->startsWith(QStringLiteral("$scrypt$ln=10,r=8,p=1$")));
    QVERIFY(verifyPassword(QStringLiteral("correct horse battery staple ✓"), *h));
    QVERIFY(!verifyPassword(QStringLiteral("correct horse battery staple"), *h));
    QVERIFY(!verifyPassword(QString(), *h));
}

void TestPasswordHash::saltsDiffer()
{
    const auto a = hashPassword(QStringLiteral("same password"), 10);
    const auto b = hashPassword(QStringLiteral("same password"), 10);
    QVERIFY(a.ok() && b.ok());
    QVERIFY(*a != *b);
    QVERIFY(verifyPassword(QStringLiteral("same password"), *a));
    QVERIFY(verifyPassword(QStringLiteral("same password"), *b));
    QVERIFY(!hashPassword(QStringLiteral("x"), 9).ok()); // below the floor
}

void TestPasswordHash::malformed_data()
{
    QTest::addColumn<QString>("phc");
    const QString good = *hashPassword(QStringLiteral("pw"), 10);
    QTest::newRow("empty") << QString();
    QTest::newRow("plain text") << QStringLiteral("pw");
    QTest::newRow("other scheme") << QString(good).replace(QStringLiteral("scrypt"), QStringLiteral("argon2id"));
    QTest::newRow("truncated") << good.left(good.size() - 5);
    QTest::newRow("too costly") << QString(good).replace(QStringLiteral("ln=10"), QStringLiteral("ln=40"));
    QTest::newRow("bad base64") << QString(good).replace(good.size() - 3, 1, QLatin1Char('!'));
    QTest::newRow("r zero") << QString(good).replace(QStringLiteral("r=8"), QStringLiteral("r=0"));
}

void TestPasswordHash::malformed()
{
    QFETCH(QString, phc);
    QVERIFY(!verifyPassword(QStringLiteral("pw"), phc));
}

void TestPasswordHash::policy_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("ok");
    QTest::newRow("long enough") << QStringLiteral("ten chars!") << true;
    QTest::newRow("short") << QStringLiteral("short") << false;
    QTest::newRow("spaces only") << QStringLiteral("            ") << false;
    QTest::newRow("newline") << QStringLiteral("long enough\npassword") << false;
    QTest::newRow("too long") << QString(2000, QLatin1Char('x')) << false;
}

void TestPasswordHash::policy()
{
    QFETCH(QString, password);
    QFETCH(bool, ok);
    const Status s = checkPasswordPolicy(password, 10);
    QCOMPARE(s.ok(), ok);
    if (!ok)
        QVERIFY(!s.error().message.isEmpty());
}

QTEST_GUILESS_MAIN(TestPasswordHash)
#include "tst_passwordhash.moc"
