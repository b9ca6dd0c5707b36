// ReplyParser: single and multi-line replies, enhanced status codes, masked
// control bytes, malformed lines, oversize lines and replies; every row is
// fed whole and byte by byte (STYLE rule 14). RFC 5321 §4.2, RFC 3463.
// Trust level: test code.
#include <QTest>

#include "delivery/remote/replyparser.h"

using namespace mailroom::delivery;

namespace
{

struct Parsed {
    QList<SmtpReply> replies;
    QString error;
};

Parsed parse(const QByteArray &input, bool byteByByte)
{
    ReplyParser parser;
    Parsed out;
    if (byteByByte) {
        for (qsizetype i = 0; i < input.size(); ++i) {
            parser.feed(QByteArrayView(input).sliced(i, 1));
            while (parser.hasReply())
                out.replies.append(parser.takeReply());
        }
    } else {
        parser.feed(input);
    }
    while (parser.hasReply())
        out.replies.append(parser.takeReply());
    out.error = parser.error();
    return out;
}

} // namespace

class TestReplyParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void replies_data();
    void replies();
    void errors_data();
    void errors();
    void lineLimit();
    void lineCountLimit();
    void partialIsBuffered();
    void resetAfterError();
    void enhancedCode_data();
    void enhancedCode();
};

void TestReplyParser::replies_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("enhanced");
    QTest::addColumn<QStringList>("lines");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("diagnostic");

    QTest::newRow("single") << QByteArray("250 OK\r\n") << 250 << QString() << QStringList { QStringLiteral("OK") }
                            << QStringLiteral("2.0.0") << QStringLiteral("smtp; 250 OK");
    QTest::newRow("code only") << QByteArray("250\r\n") << 250 << QString() << QStringList { QString() }
                               << QStringLiteral("2.0.0") << QStringLiteral("smtp; 250");
    QTest::newRow("bare LF") << QByteArray("220 ready\n") << 220 << QString() << QStringList { QStringLiteral("ready") }
                             << QStringLiteral("2.0.0") << QStringLiteral("smtp; 220 ready");
    QTest::newRow("enhanced") << QByteArray("550 5.1.1 No such user\r\n") << 550 << QStringLiteral("5.1.1")
                              << QStringList { QStringLiteral("No such user") } << QStringLiteral("5.1.1")
                              << QStringLiteral("smtp; 550 5.1.1 No such user");
    QTest::newRow("ehlo multi-line") << QByteArray(
        "250-mx.example.com Hello\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 STARTTLS\r\n")
                                     << 250 << QString()
                                     << QStringList { QStringLiteral("mx.example.com Hello"),
                                            QStringLiteral("PIPELINING"), QStringLiteral("SIZE 1000"),
                                            QStringLiteral("STARTTLS") }
                                     << QStringLiteral("2.0.0")
                                     << QStringLiteral("smtp; 250 mx.example.com Hello PIPELINING SIZE 1000 STARTTLS");
    QTest::newRow("multi-line enhanced") << QByteArray("451-4.7.1 Greylisted,\r\n451 4.7.1 try again later\r\n") << 451
                                         << QStringLiteral("4.7.1")
                                         << QStringList { QStringLiteral("Greylisted,"),
                                                QStringLiteral("try again later") }
                                         << QStringLiteral("4.7.1")
                                         << QStringLiteral("smtp; 451 4.7.1 Greylisted, try again later");
    QTest::newRow("empty continuation") << QByteArray("250-\r\n250 done\r\n") << 250 << QString()
                                        << QStringList { QString(), QStringLiteral("done") } << QStringLiteral("2.0.0")
                                        << QStringLiteral("smtp; 250 done");
    QTest::newRow("enhanced of other class ignored")
        << QByteArray("250 5.1.1 odd\r\n") << 250 << QString() << QStringList { QStringLiteral("5.1.1 odd") }
        << QStringLiteral("2.0.0") << QStringLiteral("smtp; 250 5.1.1 odd");
    QTest::newRow("4xx without enhanced")
        << QByteArray("421 closing\r\n") << 421 << QString() << QStringList { QStringLiteral("closing") }
        << QStringLiteral("4.0.0") << QStringLiteral("smtp; 421 closing");
    QTest::newRow("5xx without enhanced")
        << QByteArray("554 no\r\n") << 554 << QString() << QStringList { QStringLiteral("no") }
        << QStringLiteral("5.0.0") << QStringLiteral("smtp; 554 no");
    QTest::newRow("control bytes masked")
        << QByteArray("250 a\x01z\x1b[31m\r\n") << 250 << QString() << QStringList { QStringLiteral("a?z?[31m") }
        << QStringLiteral("2.0.0") << QStringLiteral("smtp; 250 a?z?[31m");
    QTest::newRow("bare CR inside masked")
        << QByteArray("250 a\rb\r\n") << 250 << QString() << QStringList { QStringLiteral("a?b") }
        << QStringLiteral("2.0.0") << QStringLiteral("smtp; 250 a?b");
    QTest::newRow("utf-8 text") << QByteArray("250 gr\xc3\xbc\xc3\x9f\r\n") << 250 << QString()
                                << QStringList { QStringLiteral("grüß") } << QStringLiteral("2.0.0")
                                << QStringLiteral("smtp; 250 grüß");
}

void TestReplyParser::replies()
{
    QFETCH(QByteArray, input);
    QFETCH(int, code);
    QFETCH(QString, enhanced);
    QFETCH(QStringList, lines);
    QFETCH(QString, status);
    QFETCH(QString, diagnostic);
    for (const bool byteByByte : { false, true }) {
        const Parsed p = parse(input, byteByByte);
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QCOMPARE(p.replies.size(), 1);
        const SmtpReply &r = p.replies.first();
        QCOMPARE(r.code, code);
        QCOMPARE(r.enhanced, enhanced);
        QCOMPARE(r.lines, lines);
        QCOMPARE(r.status(), status);
        QCOMPARE(r.diagnostic(), diagnostic);
    }
}

void TestReplyParser::errors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("short") << QByteArray("25\r\n");
    QTest::newRow("letters") << QByteArray("abc def\r\n");
    QTest::newRow("bad separator") << QByteArray("250x\r\n");
    QTest::newRow("first digit 1") << QByteArray("150 x\r\n");
    QTest::newRow("first digit 6") << QByteArray("600 x\r\n");
    QTest::newRow("code changes") << QByteArray("250-a\r\n251 b\r\n");
    QTest::newRow("empty line") << QByteArray("\r\n");
    QTest::newRow("NUL in code") << QByteArray("2\x00"
                                               "0 x\r\n",
        7);
}

void TestReplyParser::errors()
{
    QFETCH(QByteArray, input);
    for (const bool byteByByte : { false, true }) {
        const Parsed p = parse(input, byteByByte);
        QVERIFY(!p.error.isEmpty());
        QVERIFY(p.replies.isEmpty());
    }
}

void TestReplyParser::lineLimit()
{
    const QByteArray atLimit = "250 " + QByteArray(ReplyParser::DefaultMaxLineBytes - 4, 'x') + "\r\n";
    for (const bool byteByByte : { false, true }) {
        const Parsed ok = parse(atLimit, byteByByte);
        QVERIFY2(ok.error.isEmpty(), qPrintable(ok.error));
        QCOMPARE(ok.replies.size(), 1);
    }
    const QByteArray over = "250 " + QByteArray(ReplyParser::DefaultMaxLineBytes - 3, 'x') + "\r\n";
    for (const bool byteByByte : { false, true })
        QVERIFY(!parse(over, byteByByte).error.isEmpty());
    // A line that never ends fails as soon as it is too long, not at the LF.
    ReplyParser parser;
    parser.feed(QByteArray(ReplyParser::DefaultMaxLineBytes + 2, '2'));
    QVERIFY(parser.failed());
}

void TestReplyParser::lineCountLimit()
{
    QByteArray hundred;
    for (int i = 0; i < ReplyParser::DefaultMaxLines - 1; ++i)
        hundred += "250-line\r\n";
    QByteArray over = hundred + "250-line\r\n250 last\r\n";
    hundred += "250 last\r\n";
    for (const bool byteByByte : { false, true }) {
        const Parsed ok = parse(hundred, byteByByte);
        QVERIFY2(ok.error.isEmpty(), qPrintable(ok.error));
        QCOMPARE(ok.replies.size(), 1);
        QCOMPARE(ok.replies.first().lines.size(), ReplyParser::DefaultMaxLines);
        QVERIFY(!parse(over, byteByByte).error.isEmpty());
    }
}

void TestReplyParser::partialIsBuffered()
{
    ReplyParser parser;
    QVERIFY(parser.isIdle());
    parser.feed("250-first\r\n250 sec");
    QVERIFY(!parser.hasReply());
    QVERIFY(!parser.isIdle());
    parser.feed("ond\r\n354 go ahead\r\n220");
    QVERIFY(parser.hasReply());
    QCOMPARE(parser.takeReply().text(), QStringLiteral("first second"));
    QCOMPARE(parser.takeReply().code, 354);
    QVERIFY(!parser.hasReply());
    QVERIFY(!parser.isIdle()); // "220" still waits for its line end
    parser.feed(" hi\r\n");
    QCOMPARE(parser.takeReply().code, 220);
    QVERIFY(parser.isIdle());
}

void TestReplyParser::resetAfterError()
{
    ReplyParser parser;
    parser.feed("garbage\r\n250 ignored\r\n");
    QVERIFY(parser.failed());
    QVERIFY(!parser.hasReply());
    parser.reset();
    parser.feed("250 fine\r\n");
    QVERIFY(!parser.failed());
    QCOMPARE(parser.takeReply().text(), QStringLiteral("fine"));
}

void TestReplyParser::enhancedCode_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("rest");
    QTest::newRow("plain") << QStringLiteral("2.1.5 Ok") << 2 << QStringLiteral("2.1.5") << QStringLiteral("Ok");
    QTest::newRow("three digits") << QStringLiteral("5.123.456 x") << 5 << QStringLiteral("5.123.456")
                                  << QStringLiteral("x");
    QTest::newRow("alone") << QStringLiteral("4.4.2") << 4 << QStringLiteral("4.4.2") << QString();
    QTest::newRow("four digits") << QStringLiteral("5.1234.1 x") << 5 << QString() << QStringLiteral("5.1234.1 x");
    QTest::newRow("no detail") << QStringLiteral("5.1. x") << 5 << QString() << QStringLiteral("5.1. x");
    QTest::newRow("glued") << QStringLiteral("5.1.1x") << 5 << QString() << QStringLiteral("5.1.1x");
    QTest::newRow("wrong class") << QStringLiteral("4.1.1 x") << 5 << QString() << QStringLiteral("4.1.1 x");
    QTest::newRow("version number") << QStringLiteral("2.0 ready") << 2 << QString() << QStringLiteral("2.0 ready");
}

void TestReplyParser::enhancedCode()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(QString, code);
    QFETCH(QString, rest);
    QCOMPARE(takeEnhancedCode(text, kind), code);
    QCOMPARE(text, rest);
}

QTEST_APPLESS_MAIN(TestReplyParser)
#include "tst_replyparser.moc"
