// Unit tests of the IMAP command reader, fed whole and one byte at a time
// (STYLE rule 14, Dovecot test-imap-parser.c), plus sequence sets, dates and
// modified UTF-7 mailbox names.
#include <QTest>

#include "imap/parser/mutf7.h"
#include "imap/parser/parser.h"
#include "imap/parser/sequenceset.h"

using namespace mailroom::imap;

namespace
{
// Renders an argument tree compactly for comparisons: atoms bare, strings
// in quotes, literals as {bytes}, lists in parentheses.
QByteArray render(const Args &args)
{
    QByteArray out;
    for (const Arg &a : args) {
        if (!out.isEmpty())
            out += ' ';
        switch (a.kind) {
        case Arg::Kind::Atom:
            out += a.text;
            break;
        case Arg::Kind::Quoted:
            out += '"' + a.text + '"';
            break;
        case Arg::Kind::Literal:
            out += (a.binaryLiteral ? "~{" : "{") + a.text + '}';
            break;
        case Arg::Kind::List:
            out += '(' + render(a.children) + ')';
            break;
        }
    }
    return out;
}

struct Outcome {
    QList<QByteArray> events; // "C tag NAME args", "+", "E tag reason"
};

Outcome run(const QByteArray &input, bool byteByByte, ReaderLimits limits = {})
{
    CommandReader r(limits);
    Outcome o;
    auto drain = [&] {
        for (;;) {
            const auto e = r.next();
            if (e == CommandReader::Event::None)
                return;
            if (e == CommandReader::Event::Continue)
                o.events << "+";
            else if (e == CommandReader::Event::Command)
                o.events << "C " + r.command().tag + ' ' + r.command().name + ' ' + render(r.command().args);
            else
                o.events << "E " + r.tag() + ' ' + r.error();
        }
    };
    if (byteByByte) {
        for (char c : input) {
            r.feed(QByteArray(1, c));
            drain();
        }
    } else {
        r.feed(input);
        drain();
    }
    return o;
}
} // namespace

class TestImapParser : public QObject
{
    Q_OBJECT
private slots:
    void commands_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<QByteArray>>("events");
        using L = QList<QByteArray>;
        QTest::newRow("noop") << QByteArray("a1 NOOP\r\n") << L { "C a1 NOOP " };
        QTest::newRow("lower-case name") << QByteArray("a1 noop\r\n") << L { "C a1 NOOP " };
        QTest::newRow("bare LF") << QByteArray("a1 NOOP\n") << L { "C a1 NOOP " };
        QTest::newRow("login quoted") << QByteArray("a2 LOGIN \"joe\" \"p\\\"a\\\\ss\"\r\n")
                                      << L { "C a2 LOGIN \"joe\" \"p\"a\\ss\"" };
        QTest::newRow("uid fetch") << QByteArray("a3 uid fetch 1:* (FLAGS UID)\r\n")
                                   << L { "C a3 UID FETCH 1:* (FLAGS UID)" };
        QTest::newRow("section kept whole")
            << QByteArray("a4 FETCH 1 (BODY.PEEK[HEADER.FIELDS (From \"X-A\")]<0.100> FLAGS)\r\n")
            << L { "C a4 FETCH 1 (BODY.PEEK[HEADER.FIELDS (From \"X-A\")]<0.100> FLAGS)" };
        QTest::newRow("sync literal") << QByteArray("a5 LOGIN {3}\r\njoe {4}\r\npass\r\n")
                                      << L { "+", "+", "C a5 LOGIN {joe} {pass}" };
        QTest::newRow("non-sync literal")
            << QByteArray("a6 APPEND INBOX (\\Seen) {5+}\r\nhello\r\n") << L { "C a6 APPEND INBOX (\\Seen) {hello}" };
        QTest::newRow("literal with CRLF inside")
            << QByteArray("a7 APPEND INBOX {7}\r\nab\r\n.\r\n\r\n") << L { "+", "C a7 APPEND INBOX {ab\r\n.\r\n}" };
        QTest::newRow("literal8") << QByteArray("a8 APPEND INBOX ~{3+}\r\na\0b\r\n", 29)
                                  << L { QByteArray("C a8 APPEND INBOX ~{a\0b}", 24) };
        QTest::newRow("nested lists") << QByteArray("a9 X (a (b (c)) ())\r\n") << L { "C a9 X (a (b (c)) ())" };
        QTest::newRow("nil and flags") << QByteArray("b1 STORE 1 +FLAGS.SILENT (\\Deleted $Junk)\r\n")
                                       << L { "C b1 STORE 1 +FLAGS.SILENT (\\Deleted $Junk)" };
        QTest::newRow("list wildcards") << QByteArray("b2 LIST \"\" %/*\r\n") << L { "C b2 LIST \"\" %/*" };
        QTest::newRow("utf8 quoted") << QByteArray("b3 SELECT \"Entw\xc3\xbcrfe\"\r\n")
                                     << L { "C b3 SELECT \"Entw\xc3\xbcrfe\"" };
        QTest::newRow("two pipelined") << QByteArray("c1 NOOP\r\nc2 CAPABILITY\r\n")
                                       << L { "C c1 NOOP ", "C c2 CAPABILITY " };
        QTest::newRow("empty line ignored") << QByteArray("\r\nc3 NOOP\r\n") << L { "C c3 NOOP " };
        // Errors
        QTest::newRow("no command") << QByteArray("d1\r\n") << L { "E d1 Missing command" };
        QTest::newRow("unclosed quote") << QByteArray("d2 LOGIN \"joe\r\n") << L { "E d2 Missing closing quote" };
        QTest::newRow("unclosed list") << QByteArray("d3 FETCH 1 (FLAGS\r\n") << L { "E d3 Missing )" };
        QTest::newRow("bad escape") << QByteArray("d4 LOGIN \"a\\b\" x\r\n")
                                    << L { "E d4 Invalid escape in a quoted string" };
        QTest::newRow("bad tag") << QByteArray("+ NOOP\r\n") << L { "E * Missing tag" };
        QTest::newRow("NUL in literal") << QByteArray("d5 X {3+}\r\na\0b\r\n", 17)
                                        << L { "E d5 NUL in a literal (use literal8)" };
        QTest::newRow("section unclosed")
            << QByteArray("d6 FETCH 1 BODY[HEADER\r\n") << L { "E d6 Missing ] in a section" };
    }
    void commands()
    {
        QFETCH(QByteArray, input);
        QFETCH(QList<QByteArray>, events);
        QCOMPARE(run(input, false).events, events);
        // One byte at a time gives the same events: nothing is complete
        // before its last byte.
        QCOMPARE(run(input, true).events, events);
    }

    void limits()
    {
        ReaderLimits l;
        l.lineBytes = 100;
        l.literalBytes = 1000;
        l.commandBytes = 2000;
        l.maxDepth = 3;
        // A line that never ends is refused once and dropped as it comes.
        CommandReader r(l);
        r.feed("e1 NOOP " + QByteArray(150, 'x'));
        QCOMPARE(r.next(), CommandReader::Event::Error);
        QCOMPARE(r.tag(), QByteArray("e1"));
        for (int i = 0; i < 100; ++i) {
            r.feed(QByteArray(1000, 'x'));
            QCOMPARE(r.next(), CommandReader::Event::None);
            QVERIFY(r.bufferedBytes() <= 1000);
        }
        r.feed("yyy\r\ne2 NOOP\r\n");
        QCOMPARE(r.next(), CommandReader::Event::Command);
        QCOMPARE(r.command().tag, QByteArray("e2"));

        // A synchronizing literal over the bound is refused before any byte.
        QCOMPARE(run("e3 APPEND INBOX {5000}\r\ne4 NOOP\r\n", false, l).events,
            (QList<QByteArray> { "E e3 [TOOBIG] Literal too large", "C e4 NOOP " }));
        // A non-synchronizing one is read and dropped, with the rest of its command.
        QByteArray bomb = "e5 APPEND INBOX {5000+}\r\n" + QByteArray(5000, 'z') + " {10+}\r\n0123456789\r\ne6 NOOP\r\n";
        QCOMPARE(run(bomb, false, l).events, (QList<QByteArray> { "E e5 [TOOBIG] Literal too large", "C e6 NOOP " }));
        QCOMPARE(run(bomb, true, l).events, (QList<QByteArray> { "E e5 [TOOBIG] Literal too large", "C e6 NOOP " }));
        // Literals adding up past the command bound.
        QByteArray many = "e7 X";
        for (int i = 0; i < 3; ++i)
            many += " {900+}\r\n" + QByteArray(900, 'q');
        many += "\r\ne8 NOOP\r\n";
        QCOMPARE(run(many, false, l).events, (QList<QByteArray> { "E e7 [TOOBIG] Literal too large", "C e8 NOOP " }));
        // Nesting.
        QCOMPARE(run("e9 X ((((a))))\r\n", false, l).events, (QList<QByteArray> { "E e9 Lists nested too deeply" }));
    }

    void rawLines()
    {
        CommandReader r;
        r.feed("a1 IDLE\r\nDO");
        QCOMPARE(r.next(), CommandReader::Event::Command);
        QByteArray line;
        bool tooLong = false;
        QVERIFY(!r.readRawLine(&line, &tooLong));
        r.feed("NE\r\na2 NOOP\r\n");
        QVERIFY(r.readRawLine(&line, &tooLong));
        QCOMPARE(line, QByteArray("DONE"));
        QCOMPARE(r.next(), CommandReader::Event::Command);
        QCOMPARE(r.command().tag, QByteArray("a2"));
    }

    void sequenceSets_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("largest");
        QTest::addColumn<QList<qint64>>("expanded");
        using L = QList<qint64>;
        QTest::newRow("single") << QByteArray("3") << true << qint64(5) << L { 3 };
        QTest::newRow("range") << QByteArray("2:4") << true << qint64(5) << L { 2, 3, 4 };
        QTest::newRow("reversed") << QByteArray("4:2") << true << qint64(5) << L { 2, 3, 4 };
        QTest::newRow("star") << QByteArray("4:*") << true << qint64(5) << L { 4, 5 };
        QTest::newRow("star beyond") << QByteArray("7:*") << true << qint64(5) << L { 5 };
        QTest::newRow("list merged") << QByteArray("1,3:4,2,5") << true << qint64(9) << L { 1, 2, 3, 4, 5 };
        QTest::newRow("beyond end") << QByteArray("8:9") << true << qint64(5) << L {};
        QTest::newRow("empty mailbox star") << QByteArray("*") << true << qint64(0) << L {};
        QTest::newRow("zero") << QByteArray("0") << false << qint64(5) << L {};
        QTest::newRow("leading zero") << QByteArray("01") << false << qint64(5) << L {};
        QTest::newRow("too big") << QByteArray("4294967296") << false << qint64(5) << L {};
        QTest::newRow("empty part") << QByteArray("1,,2") << false << qint64(5) << L {};
        QTest::newRow("letters") << QByteArray("1:x") << false << qint64(5) << L {};
    }
    void sequenceSets()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, valid);
        QFETCH(qint64, largest);
        QFETCH(QList<qint64>, expanded);
        SequenceSet s;
        QCOMPARE(SequenceSet::parse(text, &s), valid);
        if (valid)
            QCOMPARE(s.expand(largest), expanded);
    }

    void sequenceFilterIsCheap()
    {
        SequenceSet s;
        QVERIFY(SequenceSet::parse("1:4294967295", &s));
        QCOMPARE(s.filter({ 5, 10, 4000000000LL }, 4000000000LL), (QList<qint64> { 5, 10, 4000000000LL }));
        QCOMPARE(SequenceSet::toText({ 1, 2, 3, 7, 9, 10 }), QByteArray("1:3,7,9:10"));
    }

    void dates()
    {
        Arg a;
        a.text = "1-Feb-1994";
        QDate d;
        QVERIFY(toDate(a, &d));
        QCOMPARE(d, QDate(1994, 2, 1));
        a.text = "31-Feb-1994";
        QVERIFY(!toDate(a, &d));
        Arg q;
        q.kind = Arg::Kind::Quoted;
        q.text = "17-Jul-1996 02:44:25 -0700";
        QDateTime dt;
        QVERIFY(toDateTime(q, &dt));
        QCOMPARE(dt, QDateTime(QDate(1996, 7, 17), QTime(9, 44, 25), Qt::UTC));
        QCOMPARE(formatDateTime(dt), QByteArray("17-Jul-1996 09:44:25 +0000"));
        q.text = " 7-Jul-1996 02:44:25 +0000";
        QVERIFY(toDateTime(q, &dt));
        q.text = "17-Jul-1996 25:44:25 -0700";
        QVERIFY(!toDateTime(q, &dt));
    }

    void mutf7_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("ascii") << QStringLiteral("Sent Items") << QByteArray("Sent Items");
        QTest::newRow("ampersand") << QStringLiteral("A&B") << QByteArray("A&-B");
        QTest::newRow("rfc example") << QString::fromUtf8(
            "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e")
                                     << QByteArray("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        QTest::newRow("umlaut") << QString::fromUtf8("Entw\xc3\xbcrfe") << QByteArray("Entw&APw-rfe");
        QTest::newRow("emoji") << QString::fromUtf8("\xf0\x9f\x93\xa7") << QByteArray("&2D3c5w-");
    }
    void mutf7()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, wire);
        QCOMPARE(encodeMutf7(name), wire);
        QString back;
        QVERIFY(decodeMutf7(wire, &back));
        QCOMPARE(back, name);
    }
    void mutf7Invalid()
    {
        QString out;
        QVERIFY(!decodeMutf7("&U,BTFw", &out)); // unterminated
        QVERIFY(!decodeMutf7("&AGE-", &out)); // "a" must not be encoded
        QVERIFY(!decodeMutf7("&2D0-", &out)); // lone surrogate
        QVERIFY(!decodeMutf7("&*-", &out)); // bad base64
    }
};

QTEST_APPLESS_MAIN(TestImapParser)
#include "tst_imapparser.moc"
