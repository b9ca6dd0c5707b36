// The MIME tree: nested multiparts with message/rfc822, boundary rules
// (RFC 2046 §5.1.1), missing close boundary, LF-only messages, digests,
// headers-only messages, and the depth and part bounds.
#include <QTest>

#include "mime/part.h"

using namespace mailroom::mime;

namespace
{

QByteArray crlf(QByteArray lfText)
{
    return lfText.replace("\n", "\r\n");
}

// "type/subtype" for each part in tree order, children in brackets.
QByteArray shape(const Part &p)
{
    QByteArray out = p.contentType.type + '/' + p.contentType.subtype;
    if (!p.children.isEmpty()) {
        QByteArrayList kids;
        for (const Part &c : p.children)
            kids << shape(c);
        out += '[' + kids.join(',') + ']';
    }
    return out;
}

const char kNested[] = "From: Ann <ann@example.org>\n"
                       "To: bob@example.net\n"
                       "Subject: nested\n"
                       "MIME-Version: 1.0\n"
                       "Content-Type: multipart/mixed; boundary=\"outer\"\n"
                       "\n"
                       "This is the preamble.\n"
                       "--outer\n"
                       "Content-Type: multipart/alternative; boundary=inner\n"
                       "\n"
                       "--inner\n"
                       "Content-Type: text/plain; charset=utf-8\n"
                       "Content-Transfer-Encoding: Quoted-Printable\n"
                       "\n"
                       "Hello =\n"
                       "world\n"
                       "--inner\n"
                       "Content-Type: text/html\n"
                       "\n"
                       "<p>Hello world</p>\n"
                       "--inner--\n"
                       "--outer\n"
                       "Content-Type: message/rfc822\n"
                       "Content-Description: forwarded\n"
                       "\n"
                       "From: Carl <carl@example.com>\n"
                       "Subject: =?utf-8?q?inner_caf=C3=A9?=\n"
                       "Content-Type: multipart/mixed; boundary=deep\n"
                       "\n"
                       "--deep\n"
                       "\n"
                       "deep text\n"
                       "--deep--\n"
                       "--outer\n"
                       "Content-Type: application/pdf; name=a.pdf\n"
                       "Content-Disposition: attachment; filename=\"a.pdf\"\n"
                       "Content-Transfer-Encoding: base64\n"
                       "Content-ID: <id1@example.org>\n"
                       "\n"
                       "JVBERi0=\n"
                       "--outer--\n"
                       "This is the epilogue.\n";

} // namespace

class TestPart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nested_data();
    void nested();
    void simpleMessage();
    void headersOnly();
    void missingCloseBoundary();
    void boundaryRules();
    void noBoundaryFound();
    void digest();
    void encodedRfc822IsLeaf();
    void deepNesting();
    void deepRfc822Nesting();
    void manyParts();
};

void TestPart::nested_data()
{
    QTest::addColumn<QByteArray>("msg");
    QTest::newRow("lf") << QByteArray(kNested);
    QTest::newRow("crlf") << crlf(kNested);
}

void TestPart::nested()
{
    QFETCH(QByteArray, msg);
    const bool isCrlf = msg.contains("\r\n");
    const QByteArray nl = isCrlf ? "\r\n" : "\n";
    const Part root = parseMessage(msg);
    QCOMPARE(shape(root),
        QByteArray("multipart/mixed[multipart/alternative[text/plain,text/html],message/rfc822[multipart/mixed[text/"
                   "plain]],application/pdf]"));
    QCOMPARE(root.headerStart, 0);
    QCOMPARE(root.end, msg.size());
    QVERIFY(!root.truncated);

    const Part &alt = root.children[0];
    const Part &plain = alt.children[0];
    QCOMPARE(plain.body(msg), "Hello =" + nl + "world");
    QCOMPARE(plain.transferEncoding, QByteArray("quoted-printable"));
    QCOMPARE(plain.contentType.param("charset"), QByteArray("utf-8"));
    QCOMPARE(plain.bodyLines, 2);
    QCOMPARE(alt.children[1].body(msg), QByteArray("<p>Hello world</p>"));
    QCOMPARE(alt.children[1].bodyLines, 1);
    QCOMPARE(alt.children[1].transferEncoding, QByteArray("7bit"));

    const Part &fwd = root.children[1];
    QCOMPARE(fwd.description, QByteArray("forwarded"));
    QVERIFY(fwd.embeddedEnvelope.has_value());
    QCOMPARE(fwd.embeddedEnvelope->subject, QByteArray("=?utf-8?q?inner_caf=C3=A9?="));
    QCOMPARE(fwd.embeddedEnvelope->from.value(0).members.value(0).local, QByteArray("carl"));
    QCOMPARE(fwd.bodyLines, 8);
    QCOMPARE(fwd.children.size(), 1);
    const Part &inner = fwd.children[0];
    QCOMPARE(inner.headerStart, fwd.bodyStart);
    QCOMPARE(inner.end, fwd.end);
    QCOMPARE(inner.headers.value("From"), QByteArray("Carl <carl@example.com>"));
    QCOMPARE(inner.children[0].body(msg), QByteArray("deep text"));
    QCOMPARE(inner.children[0].contentType.param("charset"), QByteArray("us-ascii"));

    const Part &pdf = root.children[2];
    QCOMPARE(pdf.disposition, QByteArray("attachment"));
    QCOMPARE(pdf.dispositionParams.value("filename"), QByteArray("a.pdf"));
    QCOMPARE(pdf.contentType.param("name"), QByteArray("a.pdf"));
    QCOMPARE(pdf.contentId, QByteArray("<id1@example.org>"));
    QCOMPARE(pdf.transferEncoding, QByteArray("base64"));
    QCOMPARE(pdf.body(msg), QByteArray("JVBERi0="));
    QCOMPARE(pdf.bodyLines, 1);
}

void TestPart::simpleMessage()
{
    const QByteArray msg = "Subject: x\r\n\r\nline 1\r\nline 2\r\n";
    const Part p = parseMessage(msg);
    QCOMPARE(shape(p), QByteArray("text/plain"));
    QCOMPARE(p.bodyStart, 14);
    QCOMPARE(p.bodySize(), 16);
    QCOMPARE(p.bodyLines, 2);
    QCOMPARE(p.contentType.param("charset"), QByteArray("us-ascii"));
    QCOMPARE(p.transferEncoding, QByteArray("7bit"));
}

void TestPart::headersOnly()
{
    const QByteArray msg = "From: a@b\r\nSubject: no body\r\n";
    const Part p = parseMessage(msg);
    QCOMPARE(p.headers.fields.size(), 2);
    QCOMPARE(p.bodyStart, msg.size());
    QCOMPARE(p.bodySize(), 0);
    QCOMPARE(p.bodyLines, 0);

    const Part empty = parseMessage(QByteArray());
    QCOMPARE(empty.bodySize(), 0);
    QVERIFY(empty.children.isEmpty());
}

void TestPart::missingCloseBoundary()
{
    const QByteArray msg = crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\nmore\n");
    const Part p = parseMessage(msg);
    QCOMPARE(p.children.size(), 2);
    QCOMPARE(p.children[0].body(msg), QByteArray("one"));
    QCOMPARE(p.children[1].body(msg), QByteArray("two\r\nmore\r\n"));
    QCOMPARE(p.children[1].end, msg.size());
}

void TestPart::boundaryRules()
{
    // "--bb" is not a boundary line of "b"; padding after a boundary is allowed;
    // a close boundary may be followed by junk; text after it is epilogue.
    const QByteArray msg
        = crlf("Content-Type: multipart/mixed; boundary=b\n\n"
               "preamble\n--b \t\n\nx\n--bb\ny\n--b\nContent-Type: text/html\n\n\n--b--junk\nepilogue\n--b\n\nz\n");
    const Part p = parseMessage(msg);
    QCOMPARE(shape(p), QByteArray("multipart/mixed[text/plain,text/html]"));
    QCOMPARE(p.children[0].body(msg), QByteArray("x\r\n--bb\r\ny"));
    QCOMPARE(p.children[1].bodySize(), 0); // an empty body: its only line break belongs to the boundary
    QCOMPARE(p.children[1].bodyLines, 0);
}

void TestPart::noBoundaryFound()
{
    const QByteArray msg = "Content-Type: multipart/mixed; boundary=zz\r\n\r\nno parts here\r\n";
    const Part p = parseMessage(msg);
    QVERIFY(p.children.isEmpty());
    const Part q = parseMessage("Content-Type: multipart/mixed\r\n\r\n--\r\n");
    QVERIFY(q.children.isEmpty());
}

void TestPart::digest()
{
    const QByteArray msg = crlf("Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nbody\n"
                                "--d\nContent-Type: text/plain\n\nplain\n--d--\n");
    const Part p = parseMessage(msg);
    QCOMPARE(shape(p), QByteArray("multipart/digest[message/rfc822[text/plain],text/plain]"));
    QCOMPARE(p.children[0].embeddedEnvelope->subject, QByteArray("one"));
}

void TestPart::encodedRfc822IsLeaf()
{
    const QByteArray msg
        = "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\nU3ViamVjdDogeA==\r\n";
    const Part p = parseMessage(msg);
    QVERIFY(p.children.isEmpty());
    QVERIFY(!p.embeddedEnvelope.has_value());
}

void TestPart::deepNesting()
{
    // 5000 nested multiparts: far beyond maxDepth. Must stop, not crash.
    const int levels = 5000;
    QByteArray msg;
    for (int i = 0; i < levels; ++i)
        msg += "Content-Type: multipart/mixed; boundary=b" + QByteArray::number(i) + "\r\n\r\n--b"
            + QByteArray::number(i) + "\r\n";
    msg += "\r\nleaf\r\n";
    const Part p = parseMessage(msg, 20);
    int depth = 0;
    const Part *cur = &p;
    while (!cur->children.isEmpty()) {
        cur = &cur->children.first();
        ++depth;
    }
    QCOMPARE(depth, 20);
    QVERIFY(cur->truncated);
    QCOMPARE(cur->contentType.type, QByteArray("multipart"));

    const Part clamped = parseMessage(msg, 1000000);
    depth = 0;
    cur = &clamped;
    while (!cur->children.isEmpty()) {
        cur = &cur->children.first();
        ++depth;
    }
    QCOMPARE(depth, kHardMaxDepth);
}

void TestPart::deepRfc822Nesting()
{
    QByteArray msg;
    for (int i = 0; i < 1000; ++i)
        msg += "Content-Type: message/rfc822\r\n\r\n";
    msg += "Subject: bottom\r\n\r\nx\r\n";
    const Part p = parseMessage(msg);
    int depth = 0;
    const Part *cur = &p;
    while (!cur->children.isEmpty()) {
        QVERIFY(cur->embeddedEnvelope.has_value());
        cur = &cur->children.first();
        ++depth;
    }
    QCOMPARE(depth, kDefaultMaxDepth);
}

void TestPart::manyParts()
{
    QByteArray msg = "Content-Type: multipart/mixed; boundary=m\r\n\r\n";
    for (int i = 0; i < 2000; ++i)
        msg += "--m\r\n\r\npart " + QByteArray::number(i) + "\r\n";
    msg += "--m--\r\n";
    const Part p = parseMessage(msg);
    QCOMPARE(p.children.size(), kDefaultMaxParts - 1); // the root counts
    QVERIFY(p.truncated);
    QCOMPARE(p.children.last().body(msg), QByteArray("part 998"));

    const Part small = parseMessage(msg, 20, 10);
    QCOMPARE(small.children.size(), 9);
    const Part none = parseMessage(msg, 20, 0); // clamped to 1: the root only
    QVERIFY(none.children.isEmpty());
}

QTEST_GUILESS_MAIN(TestPart)
#include "tst_part.moc"
