// RFC 2047 decoding (the §8 examples verbatim), RFC 2231 parameter values and
// continuations, raw UTF-8 / Latin-1 header text, and malformed words.
#include <QTest>

#include "mime/encodedword.h"

using namespace mailroom::mime;

class TestEncodedWord : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void unstructured_data();
    void unstructured();
    void parameters_data();
    void parameters();
};

void TestEncodedWord::unstructured_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QString>("out");

    // RFC 2047 §8, the header examples.
    QTest::newRow("8 keith") << QByteArray("=?US-ASCII?Q?Keith_Moore?=") << QStringLiteral("Keith Moore");
    QTest::newRow("8 keld") << QByteArray("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=")
                            << QStringLiteral("Keld J\u00f8rn Simonsen");
    QTest::newRow("8 andre") << QByteArray("=?ISO-8859-1?Q?Andr=E9?= Pirard") << QStringLiteral("Andr\u00e9 Pirard");
    QTest::newRow("8 subject b") << QByteArray("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= "
                                               "=?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=")
                                 << QStringLiteral("If you can read this you understand the example.");
    QTest::newRow("8 olle") << QByteArray("=?ISO-8859-1?Q?Olle_J=E4rnefors?=") << QStringLiteral("Olle J\u00e4rnefors");
    QTest::newRow("8 hebrew") << QByteArray("=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=")
                              << QStringLiteral("\u05dd\u05d5\u05dc\u05e9 \u05df\u05d1 \u05d9\u05dc\u05d8\u05e4\u05e0");
    QTest::newRow("8 patrik") << QByteArray("=?ISO-8859-1?Q?Patrik_F=E4ltstr=F6m?=")
                              << QStringLiteral("Patrik F\u00e4ltstr\u00f6m");
    // RFC 2047 §8, the display table (the parentheses are literal text here).
    QTest::newRow("8 (a)") << QByteArray("(=?ISO-8859-1?Q?a?=)") << QStringLiteral("(a)");
    QTest::newRow("8 (a b)") << QByteArray("(=?ISO-8859-1?Q?a?= b)") << QStringLiteral("(a b)");
    QTest::newRow("8 (ab)") << QByteArray("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)") << QStringLiteral("(ab)");
    QTest::newRow("8 (ab) two spaces") << QByteArray("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)")
                                       << QStringLiteral("(ab)");
    QTest::newRow("8 (ab) folded") << QByteArray("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)")
                                   << QStringLiteral("(ab)");
    QTest::newRow("8 (a b) underscore") << QByteArray("(=?ISO-8859-1?Q?a_b?=)") << QStringLiteral("(a b)");
    QTest::newRow("8 (a b) two charsets")
        << QByteArray("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)") << QStringLiteral("(a b)");
    // RFC 2231 §5 language in an encoded word.
    QTest::newRow("2231 language") << QByteArray("=?US-ASCII*EN?Q?Keith_Moore?=") << QStringLiteral("Keith Moore");
    // Practice.
    QTest::newRow("utf-8 split across words")
        << QByteArray("=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=") << QStringLiteral("\u00e9\u00e9");
    QTest::newRow("utf-8 char split in bytes")
        << QByteArray("=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?=") << QStringLiteral("caf\u00e9");
    QTest::newRow("windows-1252") << QByteArray("=?windows-1252?Q?=80_5?=") << QStringLiteral("\u20ac 5");
    QTest::newRow("text around") << QByteArray("Re: =?utf-8?q?caf=C3=A9?= ok") << QStringLiteral("Re: caf\u00e9 ok");
    QTest::newRow("unknown charset kept") << QByteArray("=?x-bogus?Q?abc?= d") << QStringLiteral("=?x-bogus?Q?abc?= d");
    QTest::newRow("bad encoding kept") << QByteArray("=?utf-8?X?abc?=") << QStringLiteral("=?utf-8?X?abc?=");
    QTest::newRow("unterminated kept") << QByteArray("=?utf-8?Q?abc") << QStringLiteral("=?utf-8?Q?abc");
    QTest::newRow("raw utf-8") << QByteArray("caf\xc3\xa9") << QStringLiteral("caf\u00e9");
    QTest::newRow("raw latin-1") << QByteArray("caf\xe9") << QStringLiteral("caf\u00e9");
    QTest::newRow("empty") << QByteArray() << QString();
}

void TestEncodedWord::unstructured()
{
    QFETCH(QByteArray, in);
    QFETCH(QString, out);
    QCOMPARE(decodeUnstructured(in), out);
}

void TestEncodedWord::parameters_data()
{
    using Raw = QList<std::pair<QByteArray, QByteArray>>;
    QTest::addColumn<Raw>("raw");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");

    // RFC 2231 §3, §4, §4.1 examples.
    QTest::newRow("2231 §3 continuation")
        << Raw { { "url*0", "ftp://" }, { "url*1", "cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar" } }
        << QByteArray("url") << QByteArray("ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar");
    QTest::newRow("2231 §4 charset") << Raw { { "title*", "us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A" } }
                                     << QByteArray("title") << QByteArray("This is ***fun***");
    QTest::newRow("2231 §4.1 mixed") << Raw { { "title*0*", "us-ascii'en'This%20is%20even%20more%20" },
        { "title*1*", "%2A%2A%2Afun%2A%2A%2A%20" }, { "title*2", "isn't it!" } }
                                     << QByteArray("title") << QByteArray("This is even more ***fun*** isn't it!");
    QTest::newRow("utf-8 filename") << Raw { { "filename*", "utf-8''%E2%82%AC%20rates.pdf" } } << QByteArray("filename")
                                    << QByteArray("\xe2\x82\xac rates.pdf");
    QTest::newRow("latin-1 to utf-8") << Raw { { "filename*", "iso-8859-1''caf%E9" } } << QByteArray("filename")
                                      << QByteArray("caf\xc3\xa9");
    QTest::newRow("out of order") << Raw { { "n*1", "b" }, { "n*0", "a" }, { "n*2", "c" } } << QByteArray("n")
                                  << QByteArray("abc");
    QTest::newRow("gap stops") << Raw { { "n*0", "a" }, { "n*2", "c" } } << QByteArray("n") << QByteArray("a");
    QTest::newRow("extended wins") << Raw { { "name", "plain" }, { "name*", "utf-8''ext" } } << QByteArray("name")
                                   << QByteArray("ext");
    QTest::newRow("first plain wins") << Raw { { "a", "1" }, { "a", "2" } } << QByteArray("a") << QByteArray("1");
    QTest::newRow("bad escape literal") << Raw { { "n*", "utf-8''100%" } } << QByteArray("n") << QByteArray("100%");
    QTest::newRow("huge index ignored") << Raw { { "n*0", "a" }, { "n*99999999999", "b" } } << QByteArray("n")
                                        << QByteArray("a");
    QTest::newRow("unknown charset raw") << Raw { { "n*", "x-bogus''%41" } } << QByteArray("n") << QByteArray("A");
}

void TestEncodedWord::parameters()
{
    using Raw = QList<std::pair<QByteArray, QByteArray>>;
    QFETCH(Raw, raw);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QCOMPARE(combineParameters(raw).value(name), value);
}

QTEST_GUILESS_MAIN(TestEncodedWord)
#include "tst_encodedword.moc"
