// Content-Type and Content-Disposition parsing: RFC 2045 §5.1 syntax, the
// §5.2 default, quoted strings, comments, RFC 2231 and RFC 2047 in names.
#include <QTest>

#include "mime/contenttype.h"

using namespace mailroom::mime;

namespace
{

QString dumpParams(const Params &p)
{
    QStringList out;
    for (auto it = p.cbegin(); it != p.cend(); ++it)
        out << QString::fromUtf8(it.key() + '=' + it.value());
    return out.join(QLatin1Char(';'));
}

} // namespace

class TestContentType : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contentType_data();
    void contentType();
    void disposition_data();
    void disposition();
};

void TestContentType::contentType_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QString>("params");

    QTest::newRow("simple") << QByteArray("text/plain; charset=utf-8") << QByteArray("text/plain")
                            << QStringLiteral("charset=utf-8");
    QTest::newRow("case") << QByteArray("TEXT/HTML; CHARSET=\"UTF-8\"") << QByteArray("text/html")
                          << QStringLiteral("charset=UTF-8");
    QTest::newRow("rfc 2045 comment") << QByteArray("text/plain; charset=us-ascii (Plain text)")
                                      << QByteArray("text/plain") << QStringLiteral("charset=us-ascii");
    QTest::newRow("quoted boundary") << QByteArray("multipart/mixed;\r\n boundary=\"simple boundary\"")
                                     << QByteArray("multipart/mixed") << QStringLiteral("boundary=simple boundary");
    QTest::newRow("escaped quote") << QByteArray("a/b; x=\"1\\\"2\"") << QByteArray("a/b") << QStringLiteral("x=1\"2");
    QTest::newRow("spaces around") << QByteArray(" image / png ; name = a.png ") << QByteArray("image/png")
                                   << QStringLiteral("name=a.png");
    QTest::newRow("missing semicolon") << QByteArray("text/plain charset=utf-8") << QByteArray("text/plain")
                                       << QStringLiteral("charset=utf-8");
    QTest::newRow("empty default") << QByteArray() << QByteArray("text/plain") << QStringLiteral("charset=us-ascii");
    QTest::newRow("garbage default") << QByteArray("/;;=") << QByteArray("text/plain")
                                     << QStringLiteral("charset=us-ascii");
    QTest::newRow("lone text") << QByteArray("text; charset=koi8-r") << QByteArray("text/plain")
                               << QStringLiteral("charset=koi8-r");
    QTest::newRow("2231") << QByteArray("application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20more%20; "
                                        "title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2=\"isn't it!\"")
                          << QByteArray("application/x-stuff")
                          << QStringLiteral("title=This is even more ***fun*** isn't it!");
    QTest::newRow("2047 name") << QByteArray("application/pdf; name=\"=?UTF-8?B?4oKsLnBkZg==?=\"")
                               << QByteArray("application/pdf") << QStringLiteral("name=\u20ac.pdf");
    QTest::newRow("junk param skipped") << QByteArray("text/plain; ===; charset=utf-8") << QByteArray("text/plain")
                                        << QStringLiteral("charset=utf-8");
    QTest::newRow("unterminated quote") << QByteArray("text/plain; charset=\"utf-8") << QByteArray("text/plain")
                                        << QStringLiteral("charset=utf-8");
    QTest::newRow("trailing backslash in comment")
        << QByteArray("text/plain (\\") << QByteArray("text/plain") << QString();
}

void TestContentType::contentType()
{
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, type);
    QFETCH(QString, params);
    const ContentType ct = parseContentType(in);
    QCOMPARE(ct.type + '/' + ct.subtype, type);
    QCOMPARE(dumpParams(ct.params), params);
}

void TestContentType::disposition_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QString>("params");

    QTest::newRow("rfc 2183") << QByteArray(
        "attachment; filename=genome.jpeg;\r\n modification-date=\"Wed, 12 Feb 1997 16:29:51 -0500\";")
                              << QByteArray("attachment")
                              << QStringLiteral(
                                     "filename=genome.jpeg;modification-date=Wed, 12 Feb 1997 16:29:51 -0500");
    QTest::newRow("inline") << QByteArray("INLINE") << QByteArray("inline") << QString();
    QTest::newRow("utf-8 filename") << QByteArray("attachment; filename*=UTF-8''%E2%82%AC.txt")
                                    << QByteArray("attachment") << QStringLiteral("filename=\u20ac.txt");
    QTest::newRow("absent") << QByteArray() << QByteArray() << QString();
}

void TestContentType::disposition()
{
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, type);
    QFETCH(QString, params);
    const ContentDisposition cd = parseContentDisposition(in);
    QCOMPARE(cd.type, type);
    QCOMPARE(dumpParams(cd.params), params);
}

QTEST_GUILESS_MAIN(TestContentType)
#include "tst_contenttype.moc"
