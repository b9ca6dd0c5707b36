// IMAP envelope (RFC 3501 §7.4.2: Sender and Reply-To default to From) and
// the display helpers.
#include <QTest>

#include "mime/envelope.h"

using namespace mailroom::mime;

class TestEnvelope : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fields();
    void defaults_data();
    void defaults();
    void display_data();
    void display();
};

void TestEnvelope::fields()
{
    // RFC 5322 A.1.3 with identification fields.
    const HeaderBlock h = HeaderBlock::parse("From: Pete <pete@silly.example>\r\n"
                                             "To: A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;\r\n"
                                             "Cc: Undisclosed recipients:;\r\n"
                                             "Bcc: hidden@x.test\r\n"
                                             "Date: Thu, 13 Feb 1969 23:32:54 -0330 \r\n"
                                             "Message-ID: <testabcd.1234@silly.example>\r\n"
                                             "In-Reply-To: <1234@local.machine.example>\r\n"
                                             "Subject: =?utf-8?q?hello?=\r\n\r\n",
        nullptr);
    const Envelope e = Envelope::fromHeaders(h);
    QCOMPARE(e.date, QByteArray("Thu, 13 Feb 1969 23:32:54 -0330"));
    QCOMPARE(e.subject, QByteArray("=?utf-8?q?hello?="));
    QCOMPARE(e.messageId, QByteArray("<testabcd.1234@silly.example>"));
    QCOMPARE(e.inReplyTo, QByteArray("<1234@local.machine.example>"));
    QCOMPARE(e.from.size(), 1);
    QCOMPARE(e.to.size(), 1);
    QVERIFY(e.to[0].isGroup);
    QCOMPARE(e.to[0].members.size(), 3);
    QCOMPARE(e.cc.size(), 1);
    QVERIFY(e.cc[0].members.isEmpty());
    QCOMPARE(e.bcc[0].members[0].local, QByteArray("hidden"));
    QCOMPARE(e.sender[0].members[0].local, QByteArray("pete"));
    QCOMPARE(e.replyTo[0].members[0].local, QByteArray("pete"));
    QVERIFY(Envelope::fromHeaders(HeaderBlock()).subject.isNull());
}

void TestEnvelope::defaults_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QByteArray>("sender");
    QTest::addColumn<QByteArray>("replyTo");
    QTest::newRow("absent") << QByteArray("From: a@x\r\n") << QByteArray("a") << QByteArray("a");
    QTest::newRow("empty") << QByteArray("From: a@x\r\nSender:\r\nReply-To:  \r\n") << QByteArray("a")
                           << QByteArray("a");
    QTest::newRow("present") << QByteArray("From: a@x\r\nSender: s@x\r\nReply-To: r@x\r\n") << QByteArray("s")
                             << QByteArray("r");
}

void TestEnvelope::defaults()
{
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, sender);
    QFETCH(QByteArray, replyTo);
    const Envelope e = Envelope::fromHeaders(HeaderBlock::parse(headers, nullptr));
    QCOMPARE(e.sender.value(0).members.value(0).local, sender);
    QCOMPARE(e.replyTo.value(0).members.value(0).local, replyTo);
}

void TestEnvelope::display_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("from");
    QTest::newRow("plain") << QByteArray("From: John Doe <jdoe@machine.example>\r\nSubject: Saying Hello\r\n")
                           << QStringLiteral("Saying Hello") << QStringLiteral("John Doe <jdoe@machine.example>");
    QTest::newRow("encoded") << QByteArray("From: =?ISO-8859-1?Q?Olle_J=E4rnefors?= <ojarnef@admin.kth.se>\r\n"
                                           "Subject: =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
                                           "  =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=\r\n")
                             << QStringLiteral("If you can read this you understand the example.")
                             << QStringLiteral("Olle J\u00e4rnefors <ojarnef@admin.kth.se>");
    QTest::newRow("bare") << QByteArray("From: a@b.test\r\n") << QString() << QStringLiteral("a@b.test");
    QTest::newRow("group only") << QByteArray("From: Nobody:;\r\n") << QString() << QStringLiteral("Nobody:;");
}

void TestEnvelope::display()
{
    QFETCH(QByteArray, headers);
    QFETCH(QString, subject);
    QFETCH(QString, from);
    const HeaderBlock h = HeaderBlock::parse(headers, nullptr);
    QCOMPARE(decodedSubject(h), subject);
    QCOMPARE(fromDisplay(h), from);
}

QTEST_GUILESS_MAIN(TestEnvelope)
#include "tst_envelope.moc"
