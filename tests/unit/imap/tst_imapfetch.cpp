// FETCH rendering with real messages: wire strings, ENVELOPE (groups,
// RFC 2047 names, missing headers), BODY/BODYSTRUCTURE (hand-derived from
// RFC 9051 §7.5.2 and Dovecot's output), section extraction (RFC 9051
// §6.4.5), partials, BINARY (RFC 3516) and malformed fetch-att rejection.
#include <QTest>

#include "imap/fetch/bodystructure.h"
#include "imap/fetch/envelope.h"
#include "imap/fetch/fetchspec.h"
#include "imap/fetch/format.h"
#include "imap/fetch/section.h"
#include "imap/parser/parser.h"
#include "mime/part.h"

using namespace mailroom;
using namespace mailroom::imap;

namespace
{

QByteArray crlf(QByteArray lfText)
{
    return lfText.replace("\n", "\r\n");
}

// RFC 9051 §7.5.2's example message.
const QByteArray kSimple = crlf("Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\n"
                                "From: Fred Foobar <foobar@Blurdybloop.example>\n"
                                "Subject: afternoon meeting\n"
                                "To: mooch@owatagu.siam.edu.example\n"
                                "Message-Id: <B27397-0100000@Blurdybloop.example>\n"
                                "MIME-Version: 1.0\n"
                                "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\n"
                                "\n"
                                "Hello Joe, do you think we can meet at 3:30 tomorrow?\n");

// Parts: 1 multipart/alternative (1.1 text/plain quoted-printable, 1.2
// text/html), 2 a base64 attachment with NUL bytes, 3 message/rfc822 (a
// single-part message), 4 text/plain in an encoding nobody decodes.
const QByteArray kMixed = crlf("From: \"Doe, Jane\" <jane@example.com>\n"
                               "To: Team: ann@example.org, \"Bob B.\" <bob@example.net>;, carl@example.com\n"
                               "Cc: undisclosed-recipients:;\n"
                               "Subject: =?utf-8?q?Caf=C3=A9?= report\n"
                               "Date: Tue, 1 Mar 2022 10:00:00 +0000\n"
                               "X-Folded: first\n"
                               " second\n"
                               "Message-ID: <m2@example.com>\n"
                               "In-Reply-To: <m1@example.com>\n"
                               "MIME-Version: 1.0\n"
                               "Content-Type: multipart/mixed; boundary=\"outer\"\n"
                               "Content-Language: en, de\n"
                               "\n"
                               "This is the preamble.\n"
                               "--outer\n"
                               "Content-Type: multipart/alternative; boundary=inner\n"
                               "\n"
                               "--inner\n"
                               "Content-Type: text/plain; charset=utf-8\n"
                               "Content-Transfer-Encoding: quoted-printable\n"
                               "\n"
                               "Caf=C3=A9 =\n"
                               "report\n"
                               "--inner\n"
                               "Content-Type: text/html; charset=utf-8\n"
                               "\n"
                               "<p>Caf&eacute; report</p>\n"
                               "--inner--\n"
                               "--outer\n"
                               "Content-Type: application/octet-stream; name=\"data.bin\"\n"
                               "Content-Disposition: attachment; filename=\"data.bin\"\n"
                               "Content-Transfer-Encoding: base64\n"
                               "Content-ID: <att1@example.com>\n"
                               "Content-Description: some bytes\n"
                               "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\n"
                               "\n"
                               "AAECA2hlbGxv\n"
                               "--outer\n"
                               "Content-Type: message/rfc822\n"
                               "Content-Disposition: inline\n"
                               "\n"
                               "From: =?iso-8859-1?q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>\n"
                               "To: moore@cs.utk.edu\n"
                               "Subject: inner\n"
                               "Content-Type: text/plain\n"
                               "\n"
                               "Inner body line 1\n"
                               "Inner body line 2\n"
                               "--outer\n"
                               "Content-Type: text/plain; charset=us-ascii\n"
                               "Content-Transfer-Encoding: x-uuencode\n"
                               "\n"
                               "begin 644 x\n"
                               "end\n"
                               "--outer--\n"
                               "epilogue\n");

const QByteArray kKeld = "\"=?UTF-8?B?S2VsZCBKw7hybiBTaW1vbnNlbg==?=\"";

QByteArray message(const QByteArray &name)
{
    return name == "simple" ? kSimple : kMixed;
}

mime::Envelope envelopeOf(const QByteArray &headers)
{
    return mime::Envelope::fromHeaders(mime::HeaderBlock::parse(crlf(headers), nullptr));
}

// "FLAGS" -> one atom; "(A B[C D])" -> a list of atoms split at top-level
// spaces, as the command reader hands them over.
Args makeArgs(const QByteArray &text)
{
    Arg arg;
    if (!text.startsWith('(') || !text.endsWith(')')) {
        arg.text = text;
        return { arg };
    }
    arg.kind = Arg::Kind::List;
    const QByteArray inner = text.mid(1, text.size() - 2);
    int depth = 0;
    QByteArray cur;
    for (char c : inner) {
        if (c == '[' || c == '(')
            ++depth;
        else if (c == ']' || c == ')')
            --depth;
        if (c == ' ' && depth == 0) {
            arg.children.append(Arg { Arg::Kind::Atom, cur, {}, false });
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.isEmpty())
        arg.children.append(Arg { Arg::Kind::Atom, cur, {}, false });
    return { arg };
}

// "flags envelope ... | BODY[]<0>/10 RFC822.HEADER" with "seen" when a
// body item sets \Seen.
QByteArray describe(const FetchSpec &s)
{
    QByteArrayList words;
    if (s.uid)
        words << "uid";
    if (s.flags)
        words << "flags";
    if (s.internalDate)
        words << "internaldate";
    if (s.rfc822Size)
        words << "rfc822.size";
    if (s.envelope)
        words << "envelope";
    if (s.body)
        words << "body";
    if (s.bodyStructure)
        words << "bodystructure";
    if (s.modseq)
        words << "modseq";
    words << "|";
    for (const BodyItem &item : s.items)
        words << item.responseName()
                + (item.partialLength >= 0 ? QByteArray('/' + QByteArray::number(item.partialLength)) : QByteArray());
    if (s.setsSeen())
        words << "seen";
    return words.join(' ');
}

} // namespace

class TestImapFetch : public QObject
{
    Q_OBJECT

private slots:
    void format_data();
    void format();
    void envelope_data();
    void envelope();
    void bodyStructure_data();
    void bodyStructure();
    void bodyStructureEdges();
    void section_data();
    void section();
    void sectionEcho_data();
    void sectionEcho();
    void partial_data();
    void partial();
    void binary_data();
    void binary();
    void nul();
    void fetchAtts_data();
    void fetchAtts();
    void fetchAttsMalformed_data();
    void fetchAttsMalformed();
    void fetchAttsFromReader();
    void needs();
};

void TestImapFetch::format_data()
{
    QTest::addColumn<QByteArray>("kind");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("utf8Ok");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("quoted escapes") << QByteArray("quoted") << QByteArray("a\"b\\c") << false
                                    << QByteArray("\"a\\\"b\\\\c\"");
    QTest::newRow("string plain") << QByteArray("string") << QByteArray("hello world") << false
                                  << QByteArray("\"hello world\"");
    QTest::newRow("string empty") << QByteArray("string") << QByteArray("") << false << QByteArray("\"\"");
    QTest::newRow("string CRLF") << QByteArray("string") << QByteArray("a\r\nb") << false
                                 << QByteArray("{4}\r\na\r\nb");
    QTest::newRow("string NUL") << QByteArray("string") << QByteArray("a\0b", 3) << false
                                << QByteArray("{3}\r\na\x80"
                                              "b");
    QTest::newRow("string 8-bit") << QByteArray("string") << QByteArray("caf\xc3\xa9") << false
                                  << QByteArray("{5}\r\ncaf\xc3\xa9");
    QTest::newRow("string utf8Ok") << QByteArray("string") << QByteArray("caf\xc3\xa9") << true
                                   << QByteArray("\"caf\xc3\xa9\"");
    QTest::newRow("string utf8Ok bad UTF-8")
        << QByteArray("string") << QByteArray("caf\xe9") << true << QByteArray("{4}\r\ncaf\xe9");
    QTest::newRow("string 1023") << QByteArray("string") << QByteArray(1023, 'x') << false
                                 << QByteArray('"' + QByteArray(1023, 'x') + '"');
    QTest::newRow("string 1024") << QByteArray("string") << QByteArray(1024, 'x') << false
                                 << QByteArray("{1024}\r\n" + QByteArray(1024, 'x'));
    QTest::newRow("nstring null") << QByteArray("nstring") << QByteArray() << false << QByteArray("NIL");
    QTest::newRow("nstring empty") << QByteArray("nstring") << QByteArray("") << false << QByteArray("\"\"");
    QTest::newRow("astring atom") << QByteArray("astring") << QByteArray("X-Spam]Flag") << false
                                  << QByteArray("X-Spam]Flag");
    QTest::newRow("astring NIL") << QByteArray("astring") << QByteArray("nil") << false << QByteArray("\"nil\"");
    QTest::newRow("astring space") << QByteArray("astring") << QByteArray("a b") << false << QByteArray("\"a b\"");
    QTest::newRow("astring wildcard") << QByteArray("astring") << QByteArray("a%") << false << QByteArray("\"a%\"");
    QTest::newRow("astring brace") << QByteArray("astring") << QByteArray("a{") << false << QByteArray("\"a{\"");
    QTest::newRow("astring empty") << QByteArray("astring") << QByteArray("") << false << QByteArray("\"\"");
}

void TestImapFetch::format()
{
    QFETCH(QByteArray, kind);
    QFETCH(QByteArray, input);
    QFETCH(bool, utf8Ok);
    QFETCH(QByteArray, expected);
    QByteArray got;
    if (kind == "quoted")
        got = quoted(input);
    else if (kind == "string")
        got = string(input, utf8Ok);
    else if (kind == "nstring")
        got = nstring(input, utf8Ok);
    else
        got = astring(input, utf8Ok);
    QCOMPARE(got, expected);
}

void TestImapFetch::envelope_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<bool>("utf8Ok");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray fred = "((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\"))";
    QTest::newRow("RFC 9051 example") << kSimple.left(kSimple.indexOf("\r\n\r\n") + 4) << false
                                      << QByteArray("(\"Mon, 7 Feb 1994 21:52:25 -0800 (PST)\" \"afternoon meeting\" "
                                             + fred + ' ' + fred + ' ' + fred
                                             + " ((NIL NIL \"mooch\" \"owatagu.siam.edu.example\")) NIL NIL NIL "
                                               "\"<B27397-0100000@Blurdybloop.example>\")");

    const QByteArray jane = "((\"Doe, Jane\" NIL \"jane\" \"example.com\"))";
    QTest::newRow("groups, quoted names, encoded subject")
        << kMixed.left(kMixed.indexOf("\r\n\r\n") + 4) << false
        << QByteArray("(\"Tue, 1 Mar 2022 10:00:00 +0000\" \"=?utf-8?q?Caf=C3=A9?= report\" " + jane + ' ' + jane + ' '
               + jane
               + " ((NIL NIL \"Team\" NIL)(NIL NIL \"ann\" \"example.org\")(\"Bob B.\" NIL \"bob\" "
                 "\"example.net\")(NIL NIL NIL NIL)(NIL NIL \"carl\" \"example.com\")) "
                 "((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) NIL \"<m1@example.com>\" "
                 "\"<m2@example.com>\")");

    QTest::newRow("missing headers") << QByteArray("Subject: only this\n\n") << false
                                     << QByteArray("(NIL \"only this\" NIL NIL NIL NIL NIL NIL NIL NIL)");
    QTest::newRow("no headers at all") << QByteArray("\n") << false
                                       << QByteArray("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");

    const QByteArray keld = "((" + kKeld + " NIL \"keld\" \"dkuug.dk\"))";
    QTest::newRow("RFC 2047 name sent as an encoded word")
        << QByteArray("From: =?iso-8859-1?q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>\n\n") << false
        << QByteArray("(NIL NIL " + keld + ' ' + keld + ' ' + keld + " NIL NIL NIL NIL NIL)");
    const QByteArray keldUtf8 = "((\"Keld J\xc3\xb8rn Simonsen\" NIL \"keld\" \"dkuug.dk\"))";
    QTest::newRow("RFC 2047 name with UTF8=ACCEPT")
        << QByteArray("From: =?iso-8859-1?q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>\n\n") << true
        << QByteArray("(NIL NIL " + keldUtf8 + ' ' + keldUtf8 + ' ' + keldUtf8 + " NIL NIL NIL NIL NIL)");
    QTest::newRow("ASCII encoded word decodes to plain text")
        << QByteArray("From: =?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>\n\n") << false
        << QByteArray("(NIL NIL ((\"Keith Moore\" NIL \"moore\" \"cs.utk.edu\")) ((\"Keith Moore\" NIL \"moore\" "
                      "\"cs.utk.edu\")) ((\"Keith Moore\" NIL \"moore\" \"cs.utk.edu\")) NIL NIL NIL NIL NIL)");

    QTest::newRow("sender, reply-to, bcc, escapes, no domain")
        << QByteArray("From: \"A \\\"B\\\" C\" <a@x.example>\n"
                      "Sender: sec@x.example\n"
                      "Reply-To: list@x.example\n"
                      "To: postmaster\n"
                      "Bcc: hidden@x.example\n\n")
        << false
        << QByteArray("(NIL NIL ((\"A \\\"B\\\" C\" NIL \"a\" \"x.example\")) ((NIL NIL \"sec\" \"x.example\")) "
                      "((NIL NIL \"list\" \"x.example\")) ((NIL NIL \"postmaster\" \"MISSING_DOMAIN\")) NIL "
                      "((NIL NIL \"hidden\" \"x.example\")) NIL NIL)");
    QTest::newRow("8-bit subject as a literal") << QByteArray(
        "Subject: caf\xc3\xa9\n\n") << false << QByteArray("(NIL {5}\r\ncaf\xc3\xa9 NIL NIL NIL NIL NIL NIL NIL NIL)");
    QTest::newRow("8-bit subject with UTF8=ACCEPT") << QByteArray(
        "Subject: caf\xc3\xa9\n\n") << true << QByteArray("(NIL \"caf\xc3\xa9\" NIL NIL NIL NIL NIL NIL NIL NIL)");
}

void TestImapFetch::envelope()
{
    QFETCH(QByteArray, headers);
    QFETCH(bool, utf8Ok);
    QFETCH(QByteArray, expected);
    QCOMPARE(renderEnvelope(envelopeOf(headers.replace("\r\n", "\n")), utf8Ok), expected);
}

void TestImapFetch::bodyStructure_data()
{
    QTest::addColumn<QByteArray>("msg");
    QTest::addColumn<bool>("extensible");
    QTest::addColumn<QByteArray>("expected");

    // Body sizes and line counts, counted by hand: the body of a part in a
    // multipart ends before the CRLF that precedes the next boundary.
    QTest::newRow("simple BODYSTRUCTURE")
        << kSimple << true
        << QByteArray("(\"text\" \"plain\" (\"charset\" \"US-ASCII\") NIL NIL \"7bit\" 55 1 NIL NIL NIL NIL)");
    QTest::newRow("simple BODY") << kSimple << false
                                 << QByteArray("(\"text\" \"plain\" (\"charset\" \"US-ASCII\") NIL NIL \"7bit\" 55 1)");

    const QByteArray env3 = "(NIL \"inner\" ((" + kKeld + " NIL \"keld\" \"dkuug.dk\")) ((" + kKeld
        + " NIL \"keld\" \"dkuug.dk\")) ((" + kKeld
        + " NIL \"keld\" \"dkuug.dk\")) ((NIL NIL \"moore\" \"cs.utk.edu\")) NIL NIL NIL NIL)";
    QTest::newRow("mixed BODYSTRUCTURE")
        << kMixed << true
        << QByteArray("(((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 19 2 NIL NIL NIL NIL)"
                      "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 25 1 NIL NIL NIL NIL)"
                      " \"alternative\" (\"boundary\" \"inner\") NIL NIL NIL)"
                      "(\"application\" \"octet-stream\" (\"name\" \"data.bin\") \"<att1@example.com>\" \"some bytes\" "
                      "\"base64\" 12 \"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"attachment\" (\"filename\" \"data.bin\")) NIL NIL)"
                      "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 163 "
               + env3
               + " (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 36 2 NIL NIL NIL NIL) 7 NIL "
                 "(\"inline\" NIL) NIL NIL)"
                 "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"x-uuencode\" 16 2 NIL NIL NIL NIL)"
                 " \"mixed\" (\"boundary\" \"outer\") NIL (\"en\" \"de\") NIL)");
    QTest::newRow("mixed BODY")
        << kMixed << false
        << QByteArray("(((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 19 2)"
                      "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 25 1) \"alternative\")"
                      "(\"application\" \"octet-stream\" (\"name\" \"data.bin\") \"<att1@example.com>\" \"some bytes\" "
                      "\"base64\" 12)"
                      "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 163 "
               + env3
               + " (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 36 2) 7)"
                 "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"x-uuencode\" 16 2) \"mixed\")");

    QTest::newRow("default charset appended, language, location")
        << crlf("Subject: x\n"
                "Content-Type: text/plain; format=flowed\n"
                "Content-Language: fr\n"
                "Content-Location: http://example.com/a\n"
                "\n"
                "abc")
        << true
        << QByteArray("(\"text\" \"plain\" (\"format\" \"flowed\" \"charset\" \"us-ascii\") NIL NIL \"7bit\" 3 1 NIL "
                      "NIL (\"fr\") \"http://example.com/a\")");
    QTest::newRow("headers only") << crlf("Subject: x\n") << true
                                  << QByteArray("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 "
                                                "NIL NIL NIL NIL)");
    QTest::newRow("image without params")
        << crlf("Content-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n") << true
        << QByteArray("(\"image\" \"png\" NIL NIL NIL \"base64\" 14 NIL NIL NIL NIL)");
}

void TestImapFetch::bodyStructure()
{
    QFETCH(QByteArray, msg);
    QFETCH(bool, extensible);
    QFETCH(QByteArray, expected);
    QCOMPARE(renderBodyStructure(mime::parseMessage(msg), msg, extensible), expected);
}

void TestImapFetch::bodyStructureEdges()
{
    // A multipart without its boundary has no parts: one empty text/plain
    // stands in (body-type-mpart needs a body), as in Dovecot.
    const QByteArray noBoundary = crlf("Content-Type: multipart/mixed\n\nno parts here\n");
    QCOMPARE(renderBodyStructure(mime::parseMessage(noBoundary), noBoundary, false),
        QByteArray("((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0) \"mixed\")"));

    // A base64 message/rfc822 stays a leaf in mime; it still gets an
    // envelope and a body so that clients can parse it.
    const QByteArray encoded = crlf("Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
                                    "U3ViamVjdDogeA0KDQpib2R5DQo=\n");
    QCOMPARE(renderBodyStructure(mime::parseMessage(encoded), encoded, true),
        QByteArray("(\"message\" \"rfc822\" NIL NIL NIL \"base64\" 30 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) "
                   "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL) 1 "
                   "NIL NIL NIL NIL)"));

    // The depth bound cuts the tree: what is left still renders.
    const QByteArray deep = crlf("Content-Type: multipart/mixed; boundary=a\n\n--a\n"
                                 "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n--a--\n");
    const mime::Part cut = mime::parseMessage(deep, 1);
    QCOMPARE(renderBodyStructure(cut, deep, false),
        QByteArray("(((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0) \"mixed\") \"mixed\")"));
}

void TestImapFetch::section_data()
{
    QTest::addColumn<QByteArray>("msg");
    QTest::addColumn<QByteArray>("spec");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray mixedHeader = kMixed.left(kMixed.indexOf("\r\n\r\n") + 4);
    const QByteArray simpleHeader = kSimple.left(kSimple.indexOf("\r\n\r\n") + 4);
    const QByteArray simpleBody = crlf("Hello Joe, do you think we can meet at 3:30 tomorrow?\n");
    const QByteArray inner = crlf("From: =?iso-8859-1?q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>\n"
                                  "To: moore@cs.utk.edu\n"
                                  "Subject: inner\n"
                                  "Content-Type: text/plain\n"
                                  "\n"
                                  "Inner body line 1\n"
                                  "Inner body line 2");

    QTest::newRow("[] simple") << QByteArray("simple") << QByteArray("") << kSimple;
    QTest::newRow("HEADER") << QByteArray("simple") << QByteArray("HEADER") << simpleHeader;
    QTest::newRow("TEXT") << QByteArray("simple") << QByteArray("TEXT") << simpleBody;
    QTest::newRow("1 of a single part is its body") << QByteArray("simple") << QByteArray("1") << simpleBody;
    QTest::newRow("1.MIME of a single part") << QByteArray("simple") << QByteArray("1.MIME") << simpleHeader;
    QTest::newRow("2 of a single part") << QByteArray("simple") << QByteArray("2") << QByteArray();
    QTest::newRow("1.HEADER of a text part") << QByteArray("simple") << QByteArray("1.HEADER") << QByteArray();

    QTest::newRow("mixed HEADER") << QByteArray("mixed") << QByteArray("HEADER") << mixedHeader;
    QTest::newRow("mixed TEXT") << QByteArray("mixed") << QByteArray("TEXT")
                                << kMixed.mid(kMixed.indexOf("\r\n\r\n") + 4);
    QTest::newRow("HEADER.FIELDS keeps message order and folding")
        << QByteArray("mixed") << QByteArray("HEADER.FIELDS (x-folded SUBJECT)")
        << crlf("Subject: =?utf-8?q?Caf=C3=A9?= report\nX-Folded: first\n second\n\n");
    QTest::newRow("HEADER.FIELDS quoted name") << QByteArray("mixed") << QByteArray("header.fields (\"Message-ID\")")
                                               << crlf("Message-ID: <m2@example.com>\n\n");
    QTest::newRow("HEADER.FIELDS literal name")
        << QByteArray("mixed") << QByteArray("HEADER.FIELDS (Cc {11}\r\nIn-Reply-To)")
        << crlf("Cc: undisclosed-recipients:;\nIn-Reply-To: <m1@example.com>\n\n");
    QTest::newRow("HEADER.FIELDS none match")
        << QByteArray("mixed") << QByteArray("HEADER.FIELDS (X-Nothing)") << QByteArray("\r\n");
    QTest::newRow("HEADER.FIELDS.NOT")
        << QByteArray("mixed")
        << QByteArray("HEADER.FIELDS.NOT (From To Cc Subject Date X-Folded Message-ID In-Reply-To)")
        << crlf("MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"outer\"\nContent-Language: en, de\n\n");
    QTest::newRow("1 multipart/alternative")
        << QByteArray("mixed") << QByteArray("1")
        << crlf("--inner\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                "Caf=C3=A9 =\nreport\n--inner\nContent-Type: text/html; charset=utf-8\n\n"
                "<p>Caf&eacute; report</p>\n--inner--");
    QTest::newRow("1.1") << QByteArray("mixed") << QByteArray("1.1") << crlf("Caf=C3=A9 =\nreport");
    QTest::newRow("1.1.MIME") << QByteArray("mixed") << QByteArray("1.1.MIME")
                              << crlf("Content-Type: text/plain; charset=utf-8\n"
                                      "Content-Transfer-Encoding: quoted-printable\n\n");
    QTest::newRow("1.2") << QByteArray("mixed") << QByteArray("1.2") << QByteArray("<p>Caf&eacute; report</p>");
    QTest::newRow("1.MIME") << QByteArray("mixed") << QByteArray("1.MIME")
                            << crlf("Content-Type: multipart/alternative; boundary=inner\n\n");
    QTest::newRow("2 stays encoded") << QByteArray("mixed") << QByteArray("2") << QByteArray("AAECA2hlbGxv");
    QTest::newRow("3 is the whole embedded message") << QByteArray("mixed") << QByteArray("3") << inner;
    QTest::newRow("3.HEADER") << QByteArray("mixed") << QByteArray("3.HEADER")
                              << inner.left(inner.indexOf("\r\n\r\n") + 4);
    QTest::newRow("3.TEXT") << QByteArray("mixed") << QByteArray("3.TEXT")
                            << crlf("Inner body line 1\nInner body line 2");
    QTest::newRow("3.1 is the embedded body")
        << QByteArray("mixed") << QByteArray("3.1") << crlf("Inner body line 1\nInner body line 2");
    QTest::newRow("3.MIME") << QByteArray("mixed") << QByteArray("3.MIME")
                            << crlf("Content-Type: message/rfc822\nContent-Disposition: inline\n\n");
    QTest::newRow("3.HEADER.FIELDS") << QByteArray("mixed") << QByteArray("3.HEADER.FIELDS (subject)")
                                     << crlf("Subject: inner\n\n");
    QTest::newRow("3.1.MIME") << QByteArray("mixed") << QByteArray("3.1.MIME")
                              << inner.left(inner.indexOf("\r\n\r\n") + 4);
    QTest::newRow("4") << QByteArray("mixed") << QByteArray("4") << crlf("begin 644 x\nend");
    QTest::newRow("5 is missing") << QByteArray("mixed") << QByteArray("5") << QByteArray();
    QTest::newRow("1.3 is missing") << QByteArray("mixed") << QByteArray("1.3") << QByteArray();
    QTest::newRow("3.2 is missing") << QByteArray("mixed") << QByteArray("3.2") << QByteArray();
    QTest::newRow("2.HEADER of an attachment") << QByteArray("mixed") << QByteArray("2.HEADER") << QByteArray();
    QTest::newRow("2.1 of a leaf is the leaf")
        << QByteArray("mixed") << QByteArray("2.1") << QByteArray("AAECA2hlbGxv");
}

void TestImapFetch::section()
{
    QFETCH(QByteArray, msg);
    QFETCH(QByteArray, spec);
    QFETCH(QByteArray, expected);
    Section s;
    QByteArray error;
    QVERIFY2(parseSection(spec, &s, &error), error.constData());
    const QByteArray bytes = message(msg);
    QCOMPARE(extractSection(bytes, mime::parseMessage(bytes), s), expected);
}

void TestImapFetch::sectionEcho_data()
{
    QTest::addColumn<QByteArray>("spec");
    QTest::addColumn<QByteArray>("echo"); // empty: rejected

    QTest::newRow("empty") << QByteArray("") << QByteArray("");
    QTest::newRow("lower case") << QByteArray("1.2.mime") << QByteArray("1.2.MIME");
    QTest::newRow("fields") << QByteArray("header.fields (From \"X A\")") << QByteArray("HEADER.FIELDS (From \"X A\")");
    QTest::newRow("fields not") << QByteArray("2.HEADER.FIELDS.NOT (a)") << QByteArray("2.HEADER.FIELDS.NOT (a)");
    QTest::newRow("part 0") << QByteArray("1.0") << QByteArray();
    QTest::newRow("leading zero") << QByteArray("01") << QByteArray();
    QTest::newRow("trailing dot") << QByteArray("1.") << QByteArray();
    QTest::newRow("double dot") << QByteArray("1..2") << QByteArray();
    QTest::newRow("MIME alone") << QByteArray("MIME") << QByteArray();
    QTest::newRow("empty field list") << QByteArray("HEADER.FIELDS ()") << QByteArray();
    QTest::newRow("no field list") << QByteArray("HEADER.FIELDS") << QByteArray();
    QTest::newRow("unclosed field list") << QByteArray("HEADER.FIELDS (A") << QByteArray();
    QTest::newRow("junk after list") << QByteArray("HEADER.FIELDS (A) B") << QByteArray();
    QTest::newRow("unknown word") << QByteArray("BODY") << QByteArray();
    QTest::newRow("huge part") << QByteArray("99999999999") << QByteArray();
    QTest::newRow("bad literal") << QByteArray("HEADER.FIELDS ({5}\r\nab)") << QByteArray();
}

void TestImapFetch::sectionEcho()
{
    QFETCH(QByteArray, spec);
    QFETCH(QByteArray, echo);
    Section s;
    QByteArray error;
    const bool ok = parseSection(spec, &s, &error);
    const bool valid = !echo.isEmpty() || spec.isEmpty();
    QCOMPARE(ok, valid);
    if (ok)
        QCOMPARE(s.toText(), echo);
    else
        QVERIFY(!error.isEmpty());
}

void TestImapFetch::partial_data()
{
    QTest::addColumn<QByteArray>("att");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("BODY[]<0.10>") << QByteArray("BODY[]<0.10>") << QByteArray("BODY[]<0> {10}\r\nDate: Mon,");
    QTest::newRow("peek answers as BODY")
        << QByteArray("BODY.PEEK[TEXT]<6.3>") << QByteArray("BODY[TEXT]<6> {3}\r\nJoe");
    QTest::newRow("length past the end") << QByteArray("BODY[1]<50.100>") << QByteArray("BODY[1]<50> {5}\r\now?\r\n");
    QTest::newRow("start at the end") << QByteArray("BODY[1]<55.1>") << QByteArray("BODY[1]<55> \"\"");
    QTest::newRow("start beyond the end") << QByteArray("BODY[]<10000.5>") << QByteArray("BODY[]<10000> \"\"");
    QTest::newRow("missing part") << QByteArray("BODY[7]") << QByteArray("BODY[7] \"\"");
    QTest::newRow("RFC822.HEADER") << QByteArray("RFC822.HEADER")
                                   << QByteArray("RFC822.HEADER {" + QByteArray::number(kSimple.indexOf("\r\n\r\n") + 4)
                                          + "}\r\n" + kSimple.left(kSimple.indexOf("\r\n\r\n") + 4));
    QTest::newRow("RFC822.TEXT") << QByteArray("RFC822.TEXT")
                                 << crlf("RFC822.TEXT {55}\nHello Joe, do you think we can meet at 3:30 tomorrow?\n");
    QTest::newRow("RFC822") << QByteArray("RFC822") << QByteArray("RFC822 {326}\r\n" + kSimple);
    QTest::newRow("HEADER.FIELDS echo")
        << QByteArray("BODY.PEEK[HEADER.FIELDS (subject \"X-None\")]")
        << QByteArray("BODY[HEADER.FIELDS (subject X-None)] {30}\r\nSubject: afternoon meeting\r\n\r\n");
}

void TestImapFetch::partial()
{
    QFETCH(QByteArray, att);
    QFETCH(QByteArray, expected);
    FetchSpec spec;
    QByteArray error;
    QVERIFY2(parseFetchAtt(att, &spec, &error), error.constData());
    QCOMPARE(spec.items.size(), 1);
    bool unknownCte = true;
    QCOMPARE(renderBodyItem(spec.items.first(), kSimple, mime::parseMessage(kSimple), &unknownCte), expected);
    QVERIFY(!unknownCte);
}

void TestImapFetch::binary_data()
{
    QTest::addColumn<QByteArray>("att");
    QTest::addColumn<bool>("unknownCte");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray bytes("\0\1\2\3hello", 9);
    QTest::newRow("quoted-printable decoded")
        << QByteArray("BINARY[1.1]") << false << QByteArray("BINARY[1.1] {12}\r\nCaf\xc3\xa9 report");
    QTest::newRow("peek answers as BINARY")
        << QByteArray("BINARY.PEEK[1.1]<3.2>") << false << QByteArray("BINARY[1.1]<3> {2}\r\n\xc3\xa9");
    QTest::newRow("base64 with NUL is literal8")
        << QByteArray("BINARY[2]") << false << QByteArray("BINARY[2] ~{9}\r\n" + bytes);
    QTest::newRow("partial without NUL is a literal")
        << QByteArray("BINARY[2]<4.3>") << false << QByteArray("BINARY[2]<4> {3}\r\nhel");
    QTest::newRow("7bit as is") << QByteArray("BINARY[1.2]") << false
                                << QByteArray("BINARY[1.2] {25}\r\n<p>Caf&eacute; report</p>");
    QTest::newRow("message/rfc822 as is")
        << QByteArray("BINARY[3.1]") << false << crlf("BINARY[3.1] {36}\nInner body line 1\nInner body line 2");
    QTest::newRow("size base64") << QByteArray("BINARY.SIZE[2]") << false << QByteArray("BINARY.SIZE[2] 9");
    QTest::newRow("size quoted-printable")
        << QByteArray("BINARY.SIZE[1.1]") << false << QByteArray("BINARY.SIZE[1.1] 12");
    QTest::newRow("size whole message") << QByteArray("BINARY.SIZE[]") << false << QByteArray("BINARY.SIZE[] 1339");
    QTest::newRow("missing part") << QByteArray("BINARY[9]") << false << QByteArray("BINARY[9] \"\"");
    QTest::newRow("unknown CTE") << QByteArray("BINARY[4]") << true << QByteArray();
    QTest::newRow("unknown CTE size") << QByteArray("BINARY.SIZE[4]") << true << QByteArray();
}

void TestImapFetch::binary()
{
    QFETCH(QByteArray, att);
    QFETCH(bool, unknownCte);
    QFETCH(QByteArray, expected);
    FetchSpec spec;
    QByteArray error;
    QVERIFY2(parseFetchAtt(att, &spec, &error), error.constData());
    QCOMPARE(spec.items.size(), 1);
    bool unknown = !unknownCte;
    QCOMPARE(renderBodyItem(spec.items.first(), kMixed, mime::parseMessage(kMixed), &unknown), expected);
    QCOMPARE(unknown, unknownCte);

    QByteArray data;
    const BinaryResult r = extractBinary(kMixed, mime::parseMessage(kMixed), spec.items.first().section.part, &data);
    QCOMPARE(r == BinaryResult::UnknownCte, unknownCte);
}

void TestImapFetch::nul()
{
    // A literal cannot carry NUL: BODY sends 0x80 instead (as Dovecot does),
    // BINARY switches to literal8 (RFC 3516 §4.2).
    const QByteArray msg = crlf("Subject: x\n\na") + QByteArray("\0b", 2);
    const mime::Part root = mime::parseMessage(msg);
    FetchSpec spec;
    QVERIFY(parseFetchAtt("BODY.PEEK[TEXT]", &spec, nullptr));
    QVERIFY(parseFetchAtt("BINARY.PEEK[1]", &spec, nullptr));
    QVERIFY(parseFetchAtt("BINARY.PEEK[]<14.1>", &spec, nullptr));
    QCOMPARE(renderBodyItem(spec.items.at(0), msg, root, nullptr),
        QByteArray("BODY[TEXT] {3}\r\na\x80"
                   "b"));
    QCOMPARE(renderBodyItem(spec.items.at(1), msg, root, nullptr), QByteArray("BINARY[1] ~{3}\r\na\0b", 19));
    QCOMPARE(renderBodyItem(spec.items.at(2), msg, root, nullptr), QByteArray("BINARY[]<14> {1}\r\na"));
}

void TestImapFetch::fetchAtts_data()
{
    QTest::addColumn<QByteArray>("atts");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("ALL") << QByteArray("ALL") << QByteArray("flags internaldate rfc822.size envelope |");
    QTest::newRow("FAST") << QByteArray("fast") << QByteArray("flags internaldate rfc822.size |");
    QTest::newRow("FULL") << QByteArray("FULL") << QByteArray("flags internaldate rfc822.size envelope body |");
    QTest::newRow("single atom") << QByteArray("BODYSTRUCTURE") << QByteArray("bodystructure |");
    QTest::newRow("list") << QByteArray("(UID FLAGS MODSEQ RFC822.SIZE INTERNALDATE ENVELOPE BODY)")
                          << QByteArray("uid flags internaldate rfc822.size envelope body modseq |");
    QTest::newRow("peek does not set seen")
        << QByteArray("(UID BODY.PEEK[HEADER.FIELDS (From \"X A\")]<0.10> BINARY.PEEK[1] BINARY.SIZE[1.2])")
        << QByteArray("uid | BODY[HEADER.FIELDS (From \"X A\")]<0>/10 BINARY[1] BINARY.SIZE[1.2]");
    QTest::newRow("BODY[] sets seen") << QByteArray("(FLAGS BODY[])") << QByteArray("flags | BODY[] seen");
    QTest::newRow("BINARY sets seen") << QByteArray("BINARY[1]<0.5>") << QByteArray("| BINARY[1]<0>/5 seen");
    QTest::newRow("RFC822.HEADER does not") << QByteArray("RFC822.HEADER") << QByteArray("| RFC822.HEADER");
    QTest::newRow("RFC822.TEXT does") << QByteArray("rfc822.text") << QByteArray("| RFC822.TEXT seen");
    QTest::newRow("RFC822 does") << QByteArray("(RFC822 UID)") << QByteArray("uid | RFC822 seen");
    QTest::newRow("lower case") << QByteArray("body.peek[1.mime]") << QByteArray("| BODY[1.MIME]");
    QTest::newRow("big partial") << QByteArray("BODY[]<9223372036854775807.1>")
                                 << QByteArray("| BODY[]<9223372036854775807>/1 seen");
}

void TestImapFetch::fetchAtts()
{
    QFETCH(QByteArray, atts);
    QFETCH(QByteArray, expected);
    const Args args = makeArgs(atts);
    FetchSpec spec;
    QByteArray error;
    QVERIFY2(parseFetchAtts(args, 0, &spec, &error), error.constData());
    QCOMPARE(describe(spec), expected);
}

void TestImapFetch::fetchAttsMalformed_data()
{
    QTest::addColumn<QByteArray>("atts");

    QTest::newRow("unclosed section") << QByteArray("BODY[");
    QTest::newRow("part 0") << QByteArray("BODY[1.0]");
    QTest::newRow("empty field list") << QByteArray("BODY[HEADER.FIELDS ()]");
    QTest::newRow("bad partial length") << QByteArray("BODY[]<1.x>");
    QTest::newRow("partial without length") << QByteArray("BODY[]<1>");
    QTest::newRow("zero length") << QByteArray("BODY[]<0.0>");
    QTest::newRow("negative start") << QByteArray("BODY[]<-1.5>");
    QTest::newRow("partial overflow") << QByteArray("BODY[]<9223372036854775808.1>");
    QTest::newRow("junk after section") << QByteArray("BODY[TEXT]x");
    QTest::newRow("peek without section") << QByteArray("BODY.PEEK");
    QTest::newRow("binary with text") << QByteArray("BINARY[HEADER]");
    QTest::newRow("binary with mime") << QByteArray("BINARY[1.MIME]");
    QTest::newRow("binary size partial") << QByteArray("BINARY.SIZE[1]<0.5>");
    QTest::newRow("unknown") << QByteArray("FOO");
    QTest::newRow("unknown with section") << QByteArray("RFC822[1]");
    QTest::newRow("macro in a list") << QByteArray("(FLAGS ALL)");
    QTest::newRow("empty list") << QByteArray("()");
    QTest::newRow("unclosed field list") << QByteArray("BODY[HEADER.FIELDS (A]");
}

void TestImapFetch::fetchAttsMalformed()
{
    QFETCH(QByteArray, atts);
    FetchSpec spec;
    QByteArray error;
    QVERIFY(!parseFetchAtts(makeArgs(atts), 0, &spec, &error));
    QVERIFY(!error.isEmpty());
}

void TestImapFetch::fetchAttsFromReader()
{
    // The command reader keeps an item with its section and partial as one
    // atom; parseFetchAtts reads it from there.
    CommandReader reader;
    reader.feed("a1 FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (From \"X-A\")]<0.100> BINARY[2])\r\n");
    QCOMPARE(reader.next(), CommandReader::Event::Command);
    FetchSpec spec;
    QByteArray error;
    QVERIFY2(parseFetchAtts(reader.command().args, 1, &spec, &error), error.constData());
    QCOMPARE(describe(spec), QByteArray("flags | BODY[HEADER.FIELDS (From X-A)]<0>/100 BINARY[2] seen"));

    QVERIFY(!parseFetchAtts(reader.command().args, 2, &spec, &error));
    QVERIFY(!parseFetchAtts(Args(), 0, &spec, &error));
    Arg quotedArg;
    quotedArg.kind = Arg::Kind::Quoted;
    quotedArg.text = "FLAGS";
    QVERIFY(!parseFetchAtts(Args { quotedArg }, 0, &spec, &error));
}

void TestImapFetch::needs()
{
    const auto specOf = [](const char *atts) {
        FetchSpec spec;
        parseFetchAtts(makeArgs(atts), 0, &spec, nullptr);
        return spec;
    };
    QVERIFY(!specOf("(UID FLAGS RFC822.SIZE)").needsContent());
    QVERIFY(!specOf("(UID FLAGS)").needsParse());
    QVERIFY(specOf("BODY.PEEK[]").needsContent());
    QVERIFY(!specOf("BODY.PEEK[]").needsParse());
    QVERIFY(!specOf("RFC822").needsParse());
    QVERIFY(specOf("RFC822.HEADER").needsParse());
    QVERIFY(specOf("BODY.PEEK[1]").needsParse());
    QVERIFY(specOf("ENVELOPE").needsParse());
    QVERIFY(specOf("BODYSTRUCTURE").needsContent());
}

QTEST_GUILESS_MAIN(TestImapFetch)
#include "tst_imapfetch.moc"
