// Transfer decoding: lenient base64, quoted-printable (RFC 2045 §6.7 rules,
// soft breaks, bad escapes, transport padding) and charset conversion.
#include <QTest>

#include "mime/decode.h"

using namespace mailroom::mime;

class TestDecode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void base64_data();
    void base64();
    void quotedPrintable_data();
    void quotedPrintable();
    void transfer();
    void text();
};

void TestDecode::base64_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("out");
    QTest::newRow("plain") << QByteArray("aGVsbG8=") << QByteArray("hello");
    QTest::newRow("lines") << QByteArray("aGVs\r\nbG8g\r\nd29y\r\nbGQ=\r\n") << QByteArray("hello world");
    QTest::newRow("junk ignored") << QByteArray("aG!V*s bG\t8=") << QByteArray("hello");
    QTest::newRow("stops at =") << QByteArray("aGk=aGVsbG8=") << QByteArray("hi");
    QTest::newRow("no padding") << QByteArray("aGk") << QByteArray("hi");
    QTest::newRow("dangling bits") << QByteArray("aGkx"
                                                 "Y")
                                   << QByteArray("hi1");
    QTest::newRow("empty") << QByteArray() << QByteArray();
}

void TestDecode::base64()
{
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, out);
    QCOMPARE(decodeBase64(in), out);
}

void TestDecode::quotedPrintable_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("out");
    QTest::newRow("escapes") << QByteArray("caf=C3=A9") << QByteArray("caf\xc3\xa9");
    QTest::newRow("lowercase hex") << QByteArray("=c3=a9") << QByteArray("\xc3\xa9");
    QTest::newRow("soft break crlf") << QByteArray("long=\r\nline") << QByteArray("longline");
    QTest::newRow("soft break lf") << QByteArray("long=\nline") << QByteArray("longline");
    QTest::newRow("soft break padded") << QByteArray("long= \t\r\nline") << QByteArray("longline");
    QTest::newRow("hard break kept") << QByteArray("a\r\nb") << QByteArray("a\r\nb");
    QTest::newRow("trailing ws removed") << QByteArray("a  \r\nb \t") << QByteArray("a\r\nb");
    QTest::newRow("inner ws kept") << QByteArray("a  b") << QByteArray("a  b");
    QTest::newRow("bad escape") << QByteArray("100=% =ZZ") << QByteArray("100=% =ZZ");
    QTest::newRow("equals at end") << QByteArray("end=") << QByteArray("end");
    QTest::newRow("half escape at end") << QByteArray("x=4") << QByteArray("x=4");
}

void TestDecode::quotedPrintable()
{
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, out);
    QCOMPARE(decodeQuotedPrintable(in), out);
}

void TestDecode::transfer()
{
    QCOMPARE(decodeTransfer("aGk=", " BASE64 "), QByteArray("hi"));
    QCOMPARE(decodeTransfer("a=3Db", "Quoted-Printable"), QByteArray("a=b"));
    QCOMPARE(decodeTransfer("a=3Db", "8bit"), QByteArray("a=3Db"));
    QCOMPARE(decodeTransfer("x", "x-uuencode"), QByteArray("x"));
    QCOMPARE(decodeQuotedPrintable("a_b=5F", true), QByteArray("a b_"));
}

void TestDecode::text()
{
    QCOMPARE(toText("caf\xe9", "iso-8859-1"), QStringLiteral("caf\u00e9"));
    QCOMPARE(toText("\xc1\xc2", "koi8-r"), QStringLiteral("\u0430\u0431"));
    QCOMPARE(toText("caf\xc3\xa9", "x-unknown"), QStringLiteral("caf\u00e9"));
    QCOMPARE(toText("caf\xe9", QByteArray()), QStringLiteral("caf\u00e9"));
    QCOMPARE(toText("caf\xc3\xa9", "us-ascii"), QStringLiteral("caf\u00e9"));
    QCOMPARE(toText("x", "bad name with spaces"), QStringLiteral("x"));
}

QTEST_GUILESS_MAIN(TestDecode)
#include "tst_decode.moc"
