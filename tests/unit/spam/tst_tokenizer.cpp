// The Bayes tokenizer: which tokens a message gives (words, subject, headers,
// URL hosts, HTML tags, attachment types), that our own headers are left
// out, that decoding happens first, and that hostile input stays bounded.
#include <algorithm>

#include <QTest>

#include "spam/tokenizer.h"

using namespace mailroom::spam;

class TestTokenizer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tokens_data();
    void tokens();
    void ownHeadersLeftOut();
    void hashesMatchTexts();
    void boundedOnHostileInput();
    void byteByByteNeverCrashes();
};

namespace
{
QStringList texts(const QByteArray &msg)
{
    QStringList out;
    for (const Token &t : tokenTexts(msg))
        out << t.text;
    return out;
}
} // namespace

void TestTokenizer::tokens_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QStringList>("present");
    QTest::addColumn<QStringList>("absent");

    QTest::newRow("plain words and pairs")
        << QByteArray("Subject: Cheap Meds\r\nFrom: Bob <bob@pharma.example>\r\n\r\nBuy cheap pills now!!! ok\r\n")
        << QStringList { QStringLiteral("subject:cheap"), QStringLiteral("subject:meds"), QStringLiteral("from:bob"),
               QStringLiteral("from:pharma.example"), QStringLiteral("buy"), QStringLiteral("cheap pills"),
               QStringLiteral("now!") }
        << QStringList { QStringLiteral("ok"), QStringLiteral("now!!!") };
    QTest::newRow("encoded subject decoded first")
        << QByteArray("Subject: =?utf-8?B?R3LDvMOfZSBhdXMgV2llbg==?=\r\n\r\nx\r\n")
        << QStringList { QStringLiteral("subject:grüße"), QStringLiteral("subject:wien") } << QStringList {};
    QTest::newRow("base64 html: text, tags, link hosts")
        << QByteArray("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
               + QByteArray("<html><body><font color=red>Winner</font> <a href=\"http://click.deals.example.net/x\">"
                            "claim</a><img src=\"https://203.0.113.9/p.gif\"></body></html>")
                     .toBase64()
               + "\r\n")
        << QStringList { QStringLiteral("winner"), QStringLiteral("claim"), QStringLiteral("html:font"),
               QStringLiteral("html:img"), QStringLiteral("url:click.deals.example.net"),
               QStringLiteral("url:example.net"), QStringLiteral("url:203.0.113.9"),
               QStringLiteral("url:numeric-host") }
        << QStringList { QStringLiteral("color"), QStringLiteral("href") };
    QTest::newRow("attachment type and extension, body of alternative parts")
        << QByteArray("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                      "see invoice attached\r\n--b\r\nContent-Type: application/octet-stream; name=\"inv.EXE\"\r\n"
                      "Content-Disposition: attachment; filename=\"inv.EXE\"\r\nContent-Transfer-Encoding: base64\r\n"
                      "\r\nTVqQAAMAAAAEAAAA\r\n--b--\r\n")
        << QStringList { QStringLiteral("invoice"), QStringLiteral("part:application/octet-stream"),
               QStringLiteral("att-ext:exe"), QStringLiteral("part-cte:base64") }
        << QStringList { QStringLiteral("tvqqaamaaaaeaaaa") };
    QTest::newRow("odd header names count, values of unknown headers do not")
        << QByteArray("X-Bulk-Id: zq12345\r\nList-Id: <dev.lists.example.org>\r\n\r\nhello there\r\n")
        << QStringList { QStringLiteral("hname:x-bulk-id"), QStringLiteral("list:dev.lists.example.org") }
        << QStringList { QStringLiteral("zq12345") };
    QTest::newRow("link schemes in any case; a scheme at the very end")
        << QByteArray("\r\nGo to HTTP://Shop.Example.ORG/a or Www.Deals.example, not hTtPs:/x.example. see http://")
        << QStringList { QStringLiteral("url:shop.example.org"), QStringLiteral("url:www.deals.example"),
               QStringLiteral("url:deals.example") }
        << QStringList { QStringLiteral("url:x.example") };
    QTest::newRow("a link is counted from its scheme, not again from a www inside its host")
        << QByteArray("\r\nsee http://ccrma-www.stanford.edu/planet and https://www.example.com/x\r\n")
        << QStringList { QStringLiteral("url:ccrma-www.stanford.edu"), QStringLiteral("url:stanford.edu"),
               QStringLiteral("url:www.example.com"), QStringLiteral("url:example.com") }
        << QStringList { QStringLiteral("url:www.stanford.edu") };
    QTest::newRow("long runs become a length token")
        << QByteArray("\r\n" + QByteArray(95, 'a') + " end\r\n") << QStringList { QStringLiteral("skip:9") }
        << QStringList { QString(95, u'a') };
}

void TestTokenizer::tokens()
{
    QFETCH(QByteArray, message);
    QFETCH(QStringList, present);
    QFETCH(QStringList, absent);
    const QStringList got = texts(message);
    for (const QString &t : present)
        QVERIFY2(got.contains(t), qPrintable(t + QStringLiteral(" missing from ") + got.join(u' ')));
    for (const QString &t : absent)
        QVERIFY2(!got.contains(t), qPrintable(t + QStringLiteral(" should not be in ") + got.join(u' ')));
}

void TestTokenizer::ownHeadersLeftOut()
{
    // Training on a filtered message must not learn the filter's verdict.
    const QByteArray msg
        = "X-Spam-Status: Yes, score=9.1\r\nX-Spam-Tags: BAYES_99\r\n"
          "Authentication-Results: mx.example.com; spf=fail\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
          "Subject: hi\r\n\r\nbody text\r\n";
    const QStringList got = texts(msg);
    for (const QString &t : got)
        QVERIFY2(!t.contains(u"bayes_99") && !t.contains(u"x-spam") && !t.contains(u"spf") && !t.contains(u"2024"),
            qPrintable(t));
    QVERIFY(got.contains(QStringLiteral("subject:hi")) == false); // two letters: too short
    QVERIFY(got.contains(QStringLiteral("body")));
}

void TestTokenizer::hashesMatchTexts()
{
    const QByteArray msg = "Subject: Lunch on Friday\r\n\r\nShall we meet at noon? http://maps.example.com/x\r\n";
    std::vector<quint64> fromTexts;
    for (const Token &t : tokenTexts(msg))
        fromTexts.push_back(t.hash);
    std::sort(fromTexts.begin(), fromTexts.end());
    QCOMPARE(tokenize(msg), fromTexts);
    QCOMPARE(tokenHash(u"subject:", u"Lunch"), tokenHash(u"subject:", u"lunch"));
    QVERIFY(tokenHash(u"subject:", u"lunch") != tokenHash(u"", u"lunch"));
}

void TestTokenizer::boundedOnHostileInput()
{
    // Ten thousand distinct words, a deep multipart nest and a megabyte of
    // header: the token count and the work stay within the limits.
    QByteArray words;
    for (int i = 0; i < 10000; ++i)
        words += "word" + QByteArray::number(i) + ' ';
    TokenizerLimits limits;
    limits.maxTokens = 500;
    const std::vector<quint64> kept = tokenize("Subject: x\r\n\r\n" + words, limits);
    QCOMPARE(int(kept.size()), 500);
    // The first 500 distinct tokens of the message, not an arbitrary 500.
    QVERIFY(std::binary_search(kept.begin(), kept.end(), tokenHash(u"", u"word1")));
    QVERIFY(!std::binary_search(kept.begin(), kept.end(), tokenHash(u"", u"word9000")));

    QByteArray nest;
    for (int i = 0; i < 200; ++i)
        nest += "Content-Type: multipart/mixed; boundary=b" + QByteArray::number(i) + "\r\n\r\n--b"
            + QByteArray::number(i) + "\r\n";
    QVERIFY(tokenize(nest).size() < 1000);

    const QByteArray bigHeader = "X-Junk: " + QByteArray(1024 * 1024, 'x') + "\r\nSubject: fine words\r\n\r\nok\r\n";
    QVERIFY(!tokenize(bigHeader).empty());
}

void TestTokenizer::byteByByteNeverCrashes()
{
    const QByteArray msg = "Content-Type: multipart/alternative; boundary=\"z\"\r\nSubject: =?iso-8859-1?q?caf=E9?=\r\n"
                           "\r\n--z\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                           "<a href=3D\"http://x.example/\">caf=E9 &amp; cr=C3=A8me</a>\r\n--z--\r\n";
    for (qsizetype n = 0; n <= msg.size(); ++n)
        (void)tokenize(msg.left(n));
    QVERIFY(texts(msg).contains(QStringLiteral("url:x.example")));
}

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
