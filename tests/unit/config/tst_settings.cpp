// The settings registry and layering: every setting documented, values
// parsed and range-checked, precedence default < file < admin < command line.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "config/settings.h"

using namespace mailroom::config;

class TestSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everySettingIsDocumented();
    void listenerNamesExist();
    void parse_data();
    void parse();
    void layering();
    void configFile();
    void configFileErrors_data();
    void configFileErrors();
    void unknownName();
};

void TestSettings::everySettingIsDocumented()
{
    QSet<QString> names;
    for (const SettingDef &d : allSettings()) {
        QVERIFY2(!d.doc.trimmed().isEmpty(), qPrintable(d.name + QStringLiteral(" has no doc")));
        QVERIFY2(d.name.contains(QLatin1Char('.')), qPrintable(d.name));
        QVERIFY2(!names.contains(d.name), qPrintable(d.name + QStringLiteral(" declared twice")));
        names.insert(d.name);
        QString why;
        QVERIFY2(parseSettingValue(d, d.defaultValue.toString(), &why).isValid(),
            qPrintable(d.name + QStringLiteral(": default is not valid: ") + why));
        QVERIFY(settingsMarkdown().contains(QStringLiteral("`%1`").arg(d.name)));
    }
}

void TestSettings::listenerNamesExist()
{
    for (const char *n : { "smtp.port", "submission.port", "smtps.port", "imap.port", "imaps.port", "pop3.port",
             "pop3s.port", "listen.address", "dns.nameserver" })
        QVERIFY2(findSetting(QLatin1String(n)), n);
}

void TestSettings::parse_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QVariant>("expected"); // invalid = refused
    QTest::newRow("port") << QStringLiteral("smtp.port") << QStringLiteral("2525") << QVariant(qint64(2525));
    QTest::newRow("port spaces") << QStringLiteral("smtp.port") << QStringLiteral(" 25 ") << QVariant(qint64(25));
    QTest::newRow("port too big") << QStringLiteral("smtp.port") << QStringLiteral("70000") << QVariant();
    QTest::newRow("port negative") << QStringLiteral("smtp.port") << QStringLiteral("-1") << QVariant();
    QTest::newRow("port text") << QStringLiteral("smtp.port") << QStringLiteral("twenty") << QVariant();
    QTest::newRow("bool yes") << QStringLiteral("log.stderr") << QStringLiteral("yes") << QVariant(true);
    QTest::newRow("bool off") << QStringLiteral("log.stderr") << QStringLiteral("off") << QVariant(false);
    QTest::newRow("bool junk") << QStringLiteral("log.stderr") << QStringLiteral("maybe") << QVariant();
    QTest::newRow("choice") << QStringLiteral("log.level") << QStringLiteral("warning")
                            << QVariant(QStringLiteral("warning"));
    QTest::newRow("choice bad") << QStringLiteral("log.level") << QStringLiteral("loud") << QVariant();
    QTest::newRow("string newline") << QStringLiteral("server.hostname") << QStringLiteral("a\nb") << QVariant();
}

void TestSettings::parse()
{
    QFETCH(QString, name);
    QFETCH(QString, text);
    QFETCH(QVariant, expected);
    const SettingDef *d = findSetting(name);
    QVERIFY(d);
    QString why;
    const QVariant v = parseSettingValue(*d, text, &why);
    QCOMPARE(v.isValid(), expected.isValid());
    if (expected.isValid())
        QCOMPARE(v, expected);
    else
        QVERIFY2(why.contains(name), qPrintable(why)); // the sentence names the setting
}

void TestSettings::layering()
{
    Settings s;
    const QString port = QStringLiteral("imap.port");
    QCOMPARE(s.intValue(port), 143);
    QCOMPARE(s.source(port), SettingSource::Default);
    QSignalSpy changed(&s, &Settings::changed);
    QVERIFY(s.setAdminValue(port, QStringLiteral("1143")).ok());
    QCOMPARE(s.intValue(port), 1143);
    QCOMPARE(s.source(port), SettingSource::Admin);
    QVERIFY(s.applyOverride(QStringLiteral("imap.port=2143")).ok());
    QCOMPARE(s.intValue(port), 2143);
    QCOMPARE(s.source(port), SettingSource::CommandLine);
    QVERIFY(s.resetAdminValue(port).ok());
    QCOMPARE(s.intValue(port), 2143); // the command line still wins
    QCOMPARE(changed.count(), 3);
    QVERIFY(!s.setAdminValue(port, QStringLiteral("99999")).ok());
    QCOMPARE(s.intValue(port), 2143);
}

void TestSettings::configFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mailroomd.conf"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("# comment\n\nsmtp.port = 2525   # inline comment\nlog.level=debug\n");
    f.close();
    Settings s;
    QVERIFY(s.loadFile(path).ok());
    QCOMPARE(s.intValue(QStringLiteral("smtp.port")), 2525);
    QCOMPARE(s.stringValue(QStringLiteral("log.level")), QStringLiteral("debug"));
    QCOMPARE(s.source(QStringLiteral("smtp.port")), SettingSource::File);
    QVERIFY(s.setAdminValue(QStringLiteral("smtp.port"), QStringLiteral("2626")).ok());
    QCOMPARE(s.intValue(QStringLiteral("smtp.port")), 2626); // admin beats file
}

void TestSettings::configFileErrors_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown") << QByteArray("no.such = 1\n") << QStringLiteral("line 1");
    QTest::newRow("no equals") << QByteArray("\nsmtp.port 25\n") << QStringLiteral("line 2");
    QTest::newRow("bad value") << QByteArray("smtp.port = x\n") << QStringLiteral("smtp.port");
}

void TestSettings::configFileErrors()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, mentions);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.conf"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
    f.close();
    Settings s;
    const auto status = s.loadFile(path);
    QVERIFY(!status.ok());
    QVERIFY2(status.error().message.contains(mentions), qPrintable(status.error().message));
    Settings t;
    QVERIFY(!t.loadFile(dir.filePath(QStringLiteral("missing.conf"))).ok());
}

void TestSettings::unknownName()
{
    Settings s;
    const auto st = s.applyOverride(QStringLiteral("smtp.prot=25"));
    QVERIFY(!st.ok());
    QCOMPARE(st.error().code, mailroom::ErrorCode::NotFound);
    QVERIFY(!s.applyOverride(QStringLiteral("novalue")).ok());
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
