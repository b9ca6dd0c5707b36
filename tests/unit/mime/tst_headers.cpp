// Header block parsing: folding, CRLF and bare LF, the end of the block, lines
// that are not fields, the field bound, and headers-only messages.
#include <QTest>

#include "mime/headers.h"
#include "mime/limits.h"

using namespace mailroom::mime;

class TestHeaders : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void lookupIsCaseInsensitive();
    void fieldBound();
    void rawOffsets();
    void byteByByte();
};

void TestHeaders::parse_data()
{
    QTest::addColumn<QByteArray>("msg");
    QTest::addColumn<QByteArrayList>("expected"); // name=value pairs
    QTest::addColumn<qsizetype>("bodyOffset");

    QTest::newRow("crlf") << QByteArray("From: a@b\r\nSubject: hi\r\n\r\nbody")
                          << QByteArrayList { "From=a@b", "Subject=hi" } << qsizetype(26);
    QTest::newRow("lf") << QByteArray("From: a@b\nSubject: hi\n\nbody") << QByteArrayList { "From=a@b", "Subject=hi" }
                        << qsizetype(23);
    QTest::newRow("folded") << QByteArray("Subject: This\r\n is a\r\n\tfolded one\r\n\r\n")
                            << QByteArrayList { "Subject=This is a\tfolded one" } << qsizetype(37);
    QTest::newRow("empty first line") << QByteArray("Subject:\r\n  on next\r\n\r\n")
                                      << QByteArrayList { "Subject=on next" } << qsizetype(23);
    QTest::newRow("no space after colon") << QByteArray("X-A:b\r\n\r\n") << QByteArrayList { "X-A=b" } << qsizetype(9);
    QTest::newRow("wsp before colon") << QByteArray("Subject  : x\r\n\r\n") << QByteArrayList { "Subject=x" }
                                      << qsizetype(16);
    QTest::newRow("headers only") << QByteArray("From: a@b\r\nTo: c@d\r\n") << QByteArrayList { "From=a@b", "To=c@d" }
                                  << qsizetype(20);
    QTest::newRow("headers only, no final line end")
        << QByteArray("From: a@b\r\nTo: c@d") << QByteArrayList { "From=a@b", "To=c@d" } << qsizetype(18);
    QTest::newRow("non-field line ends block")
        << QByteArray("From: a@b\r\nthis is body\r\nmore\r\n") << QByteArrayList { "From=a@b" } << qsizetype(11);
    QTest::newRow("name with space ends block")
        << QByteArray("From: a@b\r\nFrom x: y\r\n") << QByteArrayList { "From=a@b" } << qsizetype(11);
    QTest::newRow("empty message") << QByteArray() << QByteArrayList {} << qsizetype(0);
    QTest::newRow("body only") << QByteArray("\r\nbody") << QByteArrayList {} << qsizetype(2);
    QTest::newRow("leading continuation ignored")
        << QByteArray(" junk\r\nA: b\r\n\r\n") << QByteArrayList { "A=b" } << qsizetype(15);
    QTest::newRow("8bit value kept") << QByteArray("Subject: caf\xc3\xa9\r\n\r\n")
                                     << QByteArrayList { "Subject=caf\xc3\xa9" } << qsizetype(18);
}

void TestHeaders::parse()
{
    QFETCH(QByteArray, msg);
    QFETCH(QByteArrayList, expected);
    QFETCH(qsizetype, bodyOffset);
    qsizetype body = -1;
    const HeaderBlock h = HeaderBlock::parse(msg, &body);
    QByteArrayList got;
    for (const HeaderField &f : h.fields)
        got << f.name + '=' + f.value;
    QCOMPARE(got, expected);
    QCOMPARE(body, bodyOffset);
}

void TestHeaders::lookupIsCaseInsensitive()
{
    const HeaderBlock h = HeaderBlock::parse("Received: 1\r\nSUBJECT: s\r\nreceived: 2\r\n\r\n", nullptr);
    QCOMPARE(h.value("subject"), QByteArray("s"));
    QCOMPARE(h.values("Received"), (QByteArrayList { "1", "2" }));
    QVERIFY(h.value("Cc").isNull());
    QVERIFY(h.contains("RECEIVED"));
    QVERIFY(!h.contains("To"));
}

void TestHeaders::fieldBound()
{
    QByteArray msg;
    for (int i = 0; i < kMaxHeaderFields + 500; ++i)
        msg += "X-" + QByteArray::number(i) + ": v\r\n folded\r\n";
    msg += "\r\nbody";
    qsizetype body = 0;
    const HeaderBlock h = HeaderBlock::parse(msg, &body);
    QCOMPARE(h.fields.size(), kMaxHeaderFields);
    QCOMPARE(h.droppedFields, 500);
    QCOMPARE(h.fields.last().value, QByteArray("v folded"));
    QCOMPARE(msg.mid(body), QByteArray("body"));
}

void TestHeaders::rawOffsets()
{
    const QByteArray msg = "A: 1\r\nB: 2\r\n 3\r\n\r\n";
    const HeaderBlock h = HeaderBlock::parse(msg, nullptr);
    QCOMPARE(h.fields.size(), 2);
    QCOMPARE(msg.mid(h.fields[1].rawStart, h.fields[1].rawEnd - h.fields[1].rawStart), QByteArray("B: 2\r\n 3\r\n"));
}

// The parser works on whole buffers, but any prefix must parse without harm
// and give a consistent result (SMTP may look at a partial DATA buffer).
void TestHeaders::byteByByte()
{
    const QByteArray msg = "From: a@b\r\nSubject: x\r\n y\r\n\r\nbody\r\n";
    for (qsizetype n = 0; n <= msg.size(); ++n) {
        qsizetype body = -1;
        const HeaderBlock h = HeaderBlock::parse(msg, 0, n, &body);
        QVERIFY(body >= 0 && body <= n);
        QVERIFY(h.fields.size() <= 2);
    }
}

QTEST_GUILESS_MAIN(TestHeaders)
#include "tst_headers.moc"
