// The admin schema: every method is well formed, parameter validation refuses
// wrong types, unknown and missing parameters, and secrets are masked.
#include <QJsonArray>
#include <QTest>

#include "adminproto/schema.h"

using namespace mailroom::adminproto;

class TestSchema : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyMethodIsDocumented();
    void validation_data();
    void validation();
    void secretsAreMasked();
};

void TestSchema::everyMethodIsDocumented()
{
    const Schema &s = Schema::instance();
    QVERIFY(s.methods().size() >= 20);
    for (const MethodDef &m : s.methods()) {
        QVERIFY2(!m.doc.isEmpty(), qPrintable(m.name));
        QVERIFY2(!m.permission.isEmpty(), qPrintable(m.name));
        QVERIFY2(!m.result.isEmpty(), qPrintable(m.name));
        for (const ParamDef &p : m.params)
            QVERIFY2(!p.doc.isEmpty(), qPrintable(m.name + u'.' + p.name));
    }
}

void TestSchema::validation_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QJsonObject>("params");
    QTest::addColumn<bool>("valid");
    const QString add = QStringLiteral("users.add");
    const QJsonObject good { { QStringLiteral("address"), QStringLiteral("a@b.c") },
        { QStringLiteral("password"), QStringLiteral("secret-secret") } };
    QTest::newRow("good") << add << good << true;
    QJsonObject withQuota = good;
    withQuota.insert(QStringLiteral("quotaMb"), 100);
    QTest::newRow("int param") << add << withQuota << true;
    withQuota.insert(QStringLiteral("quotaMb"), QStringLiteral("100"));
    QTest::newRow("string for int") << add << withQuota << false;
    withQuota.insert(QStringLiteral("quotaMb"), 1.5);
    QTest::newRow("fraction for int") << add << withQuota << false;
    QJsonObject missing = good;
    missing.remove(QStringLiteral("password"));
    QTest::newRow("missing required") << add << missing << false;
    QJsonObject unknown = good;
    unknown.insert(QStringLiteral("admin"), true);
    QTest::newRow("unknown param") << add << unknown << false;
    QJsonObject numAddr = good;
    numAddr.insert(QStringLiteral("address"), 5);
    QTest::newRow("int for string") << add << numAddr << false;
    QTest::newRow("strings ok") << QStringLiteral("aliases.add")
                                << QJsonObject { { QStringLiteral("address"), QStringLiteral("x@y.z") },
                                       { QStringLiteral("targets"), QJsonArray { QStringLiteral("a@b.c") } } }
                                << true;
    QTest::newRow("strings with int") << QStringLiteral("aliases.add")
                                      << QJsonObject { { QStringLiteral("address"), QStringLiteral("x@y.z") },
                                             { QStringLiteral("targets"), QJsonArray { 1 } } }
                                      << false;
    QTest::newRow("bool") << QStringLiteral("domains.remove")
                          << QJsonObject { { QStringLiteral("name"), QStringLiteral("d.e") },
                                 { QStringLiteral("force"), QStringLiteral("yes") } }
                          << false;
}

void TestSchema::validation()
{
    QFETCH(QString, method);
    QFETCH(QJsonObject, params);
    QFETCH(bool, valid);
    const MethodDef *m = Schema::instance().method(method);
    QVERIFY(m);
    QString why;
    QCOMPARE(Schema::instance().validate(*m, params, &why), valid);
    QCOMPARE(why.isEmpty(), valid);
}

void TestSchema::secretsAreMasked()
{
    const MethodDef *m = Schema::instance().method(QStringLiteral("users.passwd"));
    QVERIFY(m);
    const QJsonObject masked = Schema::masked(*m,
        { { QStringLiteral("address"), QStringLiteral("a@b.c") },
            { QStringLiteral("password"), QStringLiteral("hunter2hunter2") } });
    QCOMPARE(masked.value(QStringLiteral("password")).toString(), QStringLiteral("********"));
    QCOMPARE(masked.value(QStringLiteral("address")).toString(), QStringLiteral("a@b.c"));
}

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
