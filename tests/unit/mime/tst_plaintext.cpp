// Text extraction for spam and search: plain preferred in alternatives,
// HTML stripped with entities decoded, attachments skipped, output bounded.
#include <QTest>

#include "mime/plaintext.h"

using namespace mailroom::mime;

class TestPlainText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void html_data();
    void html();
    void message();
    void bounded();
};

void TestPlainText::html_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("tags") << QStringLiteral("<b>bold</b> text") << QStringLiteral("bold text");
    QTest::newRow("entities") << QStringLiteral("&amp;&lt;&gt;&quot;&nbsp;&#65;&#x42;&apos;")
                              << QStringLiteral("&<>\" AB'");
    QTest::newRow("unknown entity kept") << QStringLiteral("&bogus; & x") << QStringLiteral("&bogus; & x");
    QTest::newRow("bad numeric kept") << QStringLiteral("&#xD800;&#99999999;") << QStringLiteral("&#xD800;&#99999999;");
    QTest::newRow("script and style") << QStringLiteral("a<script>var x='<b>';</script>b<STYLE>p{}</style>c")
                                      << QStringLiteral("abc");
    QTest::newRow("comment") << QStringLiteral("a<!-- <b>hidden</b> -->b") << QStringLiteral("ab");
    QTest::newRow("breaks") << QStringLiteral("one<br>two<p>three</p>") << QStringLiteral("one\ntwo\nthree\n");
    QTest::newRow("unclosed tag") << QStringLiteral("x<a href=") << QStringLiteral("x");
}

void TestPlainText::html()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(htmlToText(in), out);
}

void TestPlainText::message()
{
    const QByteArray msg
        = "Content-Type: multipart/mixed; boundary=o\r\n\r\n"
          "--o\r\nContent-Type: multipart/alternative; boundary=a\r\n\r\n"
          "--a\r\nContent-Type: text/html\r\n\r\n<p>html version</p>\r\n"
          "--a\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
          "caf=E9 plain\r\n--a--\r\n"
          "--o\r\nContent-Type: text/plain\r\nContent-Disposition: attachment\r\n\r\nattached\r\n"
          "--o\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
          "PGI+aGk8L2I+ICZhbXA7IGJ5ZQ==\r\n--o--\r\n";
    QCOMPARE(plainText(msg, 1000), QStringLiteral("caf\u00e9 plain\nhi & bye"));
}

void TestPlainText::bounded()
{
    const QByteArray msg = "Subject: x\r\n\r\n" + QByteArray(100000, 'a');
    QCOMPARE(plainText(msg, 100).size(), 100);
    QCOMPARE(plainText(msg, 0), QString());
}

QTEST_GUILESS_MAIN(TestPlainText)
#include "tst_plaintext.moc"
