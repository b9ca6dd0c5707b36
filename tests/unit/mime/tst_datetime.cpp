// Date header parsing: RFC 5322 §3.3 and its appendix A examples, the
// obsolete forms of §4.3, common mistakes, and values that must be refused.
#include <QTest>

#include "mime/datetime.h"

using namespace mailroom::mime;

class TestDateTime : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void invalid_data();
    void invalid();
    void offset();
};

void TestDateTime::parse_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("utc"); // ISO 8601 in UTC

    QTest::newRow("rfc 5322 A.1.1") << QByteArray("Fri, 21 Nov 1997 09:55:06 -0600")
                                    << QStringLiteral("1997-11-21T15:55:06Z");
    QTest::newRow("A.1.3 newfoundland") << QByteArray("Thu, 13 Feb 1969 23:32:54 -0330")
                                        << QStringLiteral("1969-02-14T03:02:54Z");
    QTest::newRow("A.6.3 obsolete whitespace and comments") << QByteArray(
        "Thu,\r\n      13\r\n        Feb\r\n          1969\r\n      23:32\r\n               "
        "-0330 (Newfoundland Time)") << QStringLiteral("1969-02-14T03:02:00Z");
    QTest::newRow("A.6.2 two-digit year")
        << QByteArray("21 Nov 97 09:55:06 GMT") << QStringLiteral("1997-11-21T09:55:06Z");
    QTest::newRow("two-digit year 2000s")
        << QByteArray("1 Jan 05 00:00:00 +0000") << QStringLiteral("2005-01-01T00:00:00Z");
    QTest::newRow("three-digit year") << QByteArray("1 Jan 105 00:00:00 +0000")
                                      << QStringLiteral("2005-01-01T00:00:00Z");
    QTest::newRow("no day of week") << QByteArray("21 Nov 1997 09:55:06 +0000")
                                    << QStringLiteral("1997-11-21T09:55:06Z");
    QTest::newRow("no comma") << QByteArray("Fri 21 Nov 1997 09:55:06 +0100") << QStringLiteral("1997-11-21T08:55:06Z");
    QTest::newRow("full names") << QByteArray("Friday, 21 November 1997 09:55:06 +0000")
                                << QStringLiteral("1997-11-21T09:55:06Z");
    QTest::newRow("lower case") << QByteArray("fri, 21 nov 1997 09:55:06 gmt")
                                << QStringLiteral("1997-11-21T09:55:06Z");
    QTest::newRow("no seconds") << QByteArray("21 Nov 1997 09:55 +0000") << QStringLiteral("1997-11-21T09:55:00Z");
    QTest::newRow("no zone") << QByteArray("21 Nov 1997 09:55:06") << QStringLiteral("1997-11-21T09:55:06Z");
    QTest::newRow("single-digit hour") << QByteArray("21 Nov 1997 9:55:06 +0000")
                                       << QStringLiteral("1997-11-21T09:55:06Z");
    QTest::newRow("EDT") << QByteArray("Mon, 2 Jun 2003 12:00:00 EDT") << QStringLiteral("2003-06-02T16:00:00Z");
    QTest::newRow("PST") << QByteArray("Mon, 2 Jun 2003 12:00:00 PST") << QStringLiteral("2003-06-02T20:00:00Z");
    QTest::newRow("military zone is -0000")
        << QByteArray("Mon, 2 Jun 2003 12:00:00 A") << QStringLiteral("2003-06-02T12:00:00Z");
    QTest::newRow("unknown zone is -0000")
        << QByteArray("Mon, 2 Jun 2003 12:00:00 XYZT") << QStringLiteral("2003-06-02T12:00:00Z");
    QTest::newRow("numeric wins over name")
        << QByteArray("Mon, 2 Jun 2003 12:00:00 -0500 EST") << QStringLiteral("2003-06-02T17:00:00Z");
    QTest::newRow("name then offset") << QByteArray("Mon, 2 Jun 2003 12:00:00 GMT+0200")
                                      << QStringLiteral("2003-06-02T10:00:00Z");
    QTest::newRow("colon in zone") << QByteArray("Mon, 2 Jun 2003 12:00:00 +05:30")
                                   << QStringLiteral("2003-06-02T06:30:00Z");
    QTest::newRow("zone comment") << QByteArray("Mon, 2 Jun 2003 12:00:00 +0100 (CET)")
                                  << QStringLiteral("2003-06-02T11:00:00Z");
    QTest::newRow("dashes") << QByteArray("13-Feb-1969 23:32:54 +0000") << QStringLiteral("1969-02-13T23:32:54Z");
    QTest::newRow("asctime") << QByteArray("Thu Feb 13 23:32:54 1969") << QStringLiteral("1969-02-13T23:32:54Z");
    QTest::newRow("month first with zone")
        << QByteArray("Feb 13 1969 23:32:54 -0100") << QStringLiteral("1969-02-14T00:32:54Z");
    QTest::newRow("iso 8601") << QByteArray("1969-02-13T23:32:54Z") << QStringLiteral("1969-02-13T23:32:54Z");
    QTest::newRow("iso 8601 offset") << QByteArray("1969-02-13 23:32:54 -03:30")
                                     << QStringLiteral("1969-02-14T03:02:54Z");
    QTest::newRow("pm") << QByteArray("13 Feb 1969 11:32:54 PM +0000") << QStringLiteral("1969-02-13T23:32:54Z");
    QTest::newRow("12 am") << QByteArray("13 Feb 1969 12:05 am +0000") << QStringLiteral("1969-02-13T00:05:00Z");
    QTest::newRow("leap second") << QByteArray("31 Dec 1998 23:59:60 +0000") << QStringLiteral("1998-12-31T23:59:59Z");
    QTest::newRow("fractional seconds") << QByteArray("13 Feb 1969 23:32:54.123 +0000")
                                        << QStringLiteral("1969-02-13T23:32:54Z");
    QTest::newRow("crosses the year") << QByteArray("Wed, 31 Dec 2008 23:30:00 -0100")
                                      << QStringLiteral("2009-01-01T00:30:00Z");
    QTest::newRow("sept") << QByteArray("1 Sept 2010 10:00:00 +0000") << QStringLiteral("2010-09-01T10:00:00Z");
    QTest::newRow("trailing junk") << QByteArray("1 Sep 2010 10:00:00 +0000 (UTC) \"x\"")
                                   << QStringLiteral("2010-09-01T10:00:00Z");
}

void TestDateTime::parse()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, utc);
    const QDateTime dt = parseDateTime(value);
    QVERIFY2(dt.isValid(), value.constData());
    QCOMPARE(dt.timeSpec(), Qt::UTC);
    QCOMPARE(dt.toString(Qt::ISODate), utc);
}

void TestDateTime::invalid_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("garbage") << QByteArray("yesterday, around noon");
    QTest::newRow("no time") << QByteArray("21 Nov 1997");
    QTest::newRow("no month") << QByteArray("21 1997 09:55:06");
    QTest::newRow("no year") << QByteArray("Nov 09:55:06");
    QTest::newRow("feb 30") << QByteArray("30 Feb 2001 10:00:00 +0000");
    QTest::newRow("hour 24") << QByteArray("1 Feb 2001 24:00:00 +0000");
    QTest::newRow("minute 60") << QByteArray("1 Feb 2001 10:60:00 +0000");
    QTest::newRow("pm hour 13") << QByteArray("1 Feb 2001 13:00 pm");
    QTest::newRow("huge number") << QByteArray("1 Feb 99999999999 10:00:00");
    QTest::newRow("unclosed comment hides all") << QByteArray("(1 Feb 2001 10:00:00");
}

void TestDateTime::invalid()
{
    QFETCH(QByteArray, value);
    QVERIFY(!parseDateTime(value).isValid());
}

void TestDateTime::offset()
{
    int offset = 1;
    const QDateTime dt = parseDateTime("Thu, 13 Feb 1969 23:32:54 -0330", &offset);
    QCOMPARE(offset, -(3 * 3600 + 30 * 60));
    QCOMPARE(dt.addSecs(offset).date(), QDate(1969, 2, 13)); // the sender's date
    parseDateTime("1 Feb 2001 10:00 EST", &offset);
    QCOMPARE(offset, -5 * 3600);
    parseDateTime("junk", &offset);
    QCOMPARE(offset, 0);
    parseDateTime("1 Feb 2001 10:00 +2400", &offset); // out of range: ignored
    QCOMPARE(offset, 0);
}

QTEST_GUILESS_MAIN(TestDateTime)
#include "tst_datetime.moc"
