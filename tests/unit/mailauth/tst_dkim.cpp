// DKIM verification and signing: RFC 6376 §3.4.5 canonicalization examples,
// the RFC 8463 Appendix A message (both signatures verified, and reproduced
// bit for bit by our signer), sign -> verify round trips, failure and error
// rows against a table-driven fake Lookup, hostile signature fields, and
// interop with dkimpy (Debian python3-dkim) in both directions.
// Trust level: test code.
#include <functional>

#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "dkimfixtures.h"
#include "mailauth/dkim.h"
#include "mailauth/dkimcanon.h"
#include "mailauth/dkimcrypto.h"
#include "mailauth/dkimtags.h"

using namespace mailroom;
using namespace mailroom::mailauth;

namespace
{

using namespace dkimtest;

// ---- our own keys and message ----------------------------------------------

const char kMessage[] = "Received: from mx.example.net by mx.example.org; Mon, 1 Jan 2024 12:00:01 +0000\n"
                        "From: Alice Example <alice@example.org>\n"
                        "To: Bob <bob@example.net>\n"
                        "Subject: Lunch on\n"
                        "  Monday\n"
                        "Date: Mon, 1 Jan 2024 12:00:00 +0000\n"
                        "Message-ID: <lunch-1@example.org>\n"
                        "X-Tag: first\n"
                        "X-Tag: second\n"
                        "MIME-Version: 1.0\n"
                        "Content-Type: text/plain; charset=utf-8\n"
                        "\n"
                        "Hello Bob,\n"
                        "\n"
                        "  see you at  noon.\t \n"
                        "Alice\n"
                        "\n"
                        "\n";

struct Keys {
    DkimKey rsa;
    DkimKey ed;
};

Keys &keys()
{
    static Keys k;
    return k;
}

const DkimKey &keyFor(const QString &kind)
{
    return kind == QLatin1String("rsa") ? keys().rsa : keys().ed;
}

QByteArray replaceOnce(QByteArray s, const QByteArray &from, const QByteArray &to)
{
    const qsizetype at = s.indexOf(from);
    if (at >= 0)
        s.replace(at, from.size(), to);
    return s;
}

// One verification scenario: how to sign, then what happens to the message
// and the DNS before it is checked.
struct Case {
    DkimSignOptions opts;
    QByteArray message;
    FakeLookup dns;
    QByteArray record; // the key's correct TXT record
    QString keyName;
    DkimVerifyOptions verifyOpts;
};
using Tweak = std::function<void(Case &)>;

} // namespace

Q_DECLARE_METATYPE(Tweak)
Q_DECLARE_METATYPE(mailroom::mailauth::DkimResult)

class TestDkim : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void canonicalization_data();
    void canonicalization();
    void bodyHash_data();
    void bodyHash();
    void tagList_data();
    void tagList();
    void keyRecord_data();
    void keyRecord();

    void rfc8463Verify_data();
    void rfc8463Verify();
    void rfc8463Sign_data();
    void rfc8463Sign();

    void roundTrip_data();
    void roundTrip();
    void cases_data();
    void cases();
    void garbageSignatures_data();
    void garbageSignatures();
    void mutatedSignatures();
    void garbageMessages_data();
    void garbageMessages();
    void signatureBound();
    void signErrors_data();
    void signErrors();
    void dnsRecord();

    void dkimpyVerifiesOurs_data();
    void dkimpyVerifiesOurs();
    void weVerifyDkimpy_data();
    void weVerifyDkimpy();

private:
    bool haveDkimpy();
    int m_dkimpy = -1; // -1 unknown, 0 missing, 1 present
};

void TestDkim::initTestCase()
{
    auto rsa = generateDkimKey(DkimKeyType::Rsa2048, QStringLiteral("example.org"), QStringLiteral("rsa"));
    QVERIFY2(rsa.ok(), qPrintable(rsa.error().message));
    auto ed = generateDkimKey(DkimKeyType::Ed25519, QStringLiteral("example.org"), QStringLiteral("ed"));
    QVERIFY2(ed.ok(), qPrintable(ed.error().message));
    keys().rsa = rsa.value();
    keys().ed = ed.value();
    QVERIFY(keys().rsa.privatePem.startsWith("-----BEGIN PRIVATE KEY-----"));
}

// ---- canonicalization (RFC 6376 §3.4) --------------------------------------

void TestDkim::canonicalization_data()
{
    QTest::addColumn<bool>("header"); // a header field, or a body
    QTest::addColumn<bool>("relaxed");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    // §3.4.5: the example, field by field and the body.
    QTest::newRow("3.4.5 A relaxed") << true << true << QByteArray("A: X\r\n") << QByteArray("a:X\r\n");
    QTest::newRow("3.4.5 B relaxed") << true << true << QByteArray("B : Y\t\r\n\tZ  \r\n") << QByteArray("b:Y Z\r\n");
    QTest::newRow("3.4.5 A simple") << true << false << QByteArray("A: X\r\n") << QByteArray("A: X\r\n");
    QTest::newRow("3.4.5 B simple") << true << false << QByteArray("B : Y\t\r\n\tZ  \r\n")
                                    << QByteArray("B : Y\t\r\n\tZ  \r\n");
    QTest::newRow("3.4.5 body relaxed") << false << true << QByteArray(" C \r\nD \t E\r\n\r\n\r\n")
                                        << QByteArray(" C\r\nD E\r\n");
    QTest::newRow("3.4.5 body simple") << false << false << QByteArray(" C \r\nD \t E\r\n\r\n\r\n")
                                       << QByteArray(" C \r\nD \t E\r\n");

    // §3.4.3 / §3.4.4 edges.
    QTest::newRow("empty body simple") << false << false << QByteArray() << QByteArray("\r\n");
    QTest::newRow("empty body relaxed") << false << true << QByteArray() << QByteArray();
    QTest::newRow("only empty lines simple") << false << false << QByteArray("\r\n\r\n\r\n") << QByteArray("\r\n");
    QTest::newRow("only empty lines relaxed") << false << true << QByteArray("\r\n\r\n") << QByteArray();
    QTest::newRow("whitespace lines relaxed")
        << false << true << QByteArray("a\r\n  \r\n\t\r\n") << QByteArray("a\r\n");
    QTest::newRow("whitespace lines simple")
        << false << false << QByteArray("a\r\n  \r\n\t\r\n") << QByteArray("a\r\n  \r\n\t\r\n");
    QTest::newRow("no final CRLF simple") << false << false << QByteArray("abc") << QByteArray("abc\r\n");
    QTest::newRow("no final CRLF relaxed") << false << true << QByteArray("abc \t") << QByteArray("abc\r\n");
    QTest::newRow("inner empty lines kept")
        << false << true << QByteArray("a\r\n\r\n\r\nb\r\n") << QByteArray("a\r\n\r\n\r\nb\r\n");
    QTest::newRow("bare LF body") << false << false << QByteArray("a\nb\n\n") << QByteArray("a\r\nb\r\n");
    QTest::newRow("bare CR is data") << false << true << QByteArray("a\rb\r\n") << QByteArray("a\rb\r\n");
    QTest::newRow("relaxed leading WSP") << false << true << QByteArray("\t\tx  y\r\n") << QByteArray(" x y\r\n");
    QTest::newRow("header empty value") << true << true << QByteArray("Subject:\r\n") << QByteArray("subject:\r\n");
    QTest::newRow("header folded only") << true << true << QByteArray("Subject: \r\n \r\n")
                                        << QByteArray("subject:\r\n");
    QTest::newRow("header name case") << true << true << QByteArray("SUBJect :  a  b \r\n")
                                      << QByteArray("subject:a b\r\n");
    QTest::newRow("header bare LF simple") << true << false << QByteArray("A: x\n y\n") << QByteArray("A: x\r\n y\r\n");
}

void TestDkim::canonicalization()
{
    QFETCH(bool, header);
    QFETCH(bool, relaxed);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const QByteArray got = header ? dkim::canonicalHeader(input, relaxed) : dkim::canonicalBody(input, relaxed);
    QCOMPARE(got, expected);
    if (!header) // the streaming hash sees the same bytes
        QCOMPARE(dkim::bodyHash(input, relaxed).sha256, dkim::sha256(expected));
}

void TestDkim::bodyHash_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("relaxed");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<QByteArray>("hash"); // base64
    QTest::addColumn<qint64>("canonicalLength");

    // SHA-256("\r\n") and SHA-256(""): the well-known empty-body hashes.
    QTest::newRow("empty simple") << QByteArray() << false << qint64(-1)
                                  << QByteArray("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=") << qint64(2);
    QTest::newRow("empty relaxed") << QByteArray() << true << qint64(-1)
                                   << QByteArray("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=") << qint64(0);
    QTest::newRow("rfc8463 body") << crlf("Hi.\n\nWe lost the game.  Are you hungry yet?\n\nJoe.\n") << true
                                  << qint64(-1) << QByteArray("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=")
                                  << qint64(54);
    QTest::newRow("rfc8463 body, trailing lines")
        << crlf("Hi.\n\nWe lost the game.  Are you hungry yet?\n\nJoe.\n\n\n") << true << qint64(-1)
        << QByteArray("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=") << qint64(54);
    QTest::newRow("l=0") << QByteArray("abc\r\n") << false << qint64(0)
                         << QByteArray("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=") << qint64(5);
    QTest::newRow("l=3") << QByteArray("a  b\r\n") << true << qint64(3) << dkim::sha256("a b").toBase64() << qint64(5);
    QTest::newRow("l over length") << QByteArray("ab\r\n") << true << qint64(100) << dkim::sha256("ab\r\n").toBase64()
                                   << qint64(4);
}

void TestDkim::bodyHash()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, relaxed);
    QFETCH(qint64, limit);
    QFETCH(QByteArray, hash);
    QFETCH(qint64, canonicalLength);
    const dkim::BodyHash h = dkim::bodyHash(body, relaxed, limit);
    QCOMPARE(h.sha256.toBase64(), hash);
    QCOMPARE(h.canonicalLength, canonicalLength);
}

// ---- tag lists and key records (RFC 6376 §3.2, §3.6.1) ---------------------

void TestDkim::tagList_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArrayList>("expected"); // name=value pairs

    QTest::newRow("simple") << QByteArray("v=1; a=rsa-sha256") << true << QByteArrayList { "v=1", "a=rsa-sha256" };
    QTest::newRow("trailing semicolon") << QByteArray("v=1;a=b; ") << true << QByteArrayList { "v=1", "a=b" };
    QTest::newRow("FWS everywhere") << QByteArray(" v \r\n = 1 ;\r\n\tbh= ab\r\n cd \r\n") << true
                                    << QByteArrayList { "v=1", "bh=ab\r\n cd" };
    QTest::newRow("empty value") << QByteArray("p=; k=rsa") << true << QByteArrayList { "p=", "k=rsa" };
    QTest::newRow("equals in value") << QByteArray("b=abc==") << true << QByteArrayList { "b=abc==" };
    QTest::newRow("underscore and digits") << QByteArray("x_1=2") << true << QByteArrayList { "x_1=2" };
    QTest::newRow("empty list") << QByteArray("  ") << true << QByteArrayList {};
    QTest::newRow("duplicate") << QByteArray("v=1; v=1") << false << QByteArrayList {};
    QTest::newRow("empty spec") << QByteArray("v=1;; a=b") << false << QByteArrayList {};
    QTest::newRow("no equals") << QByteArray("v=1; a") << false << QByteArrayList {};
    QTest::newRow("name starts with digit") << QByteArray("1v=1") << false << QByteArrayList {};
    QTest::newRow("name with dash") << QByteArray("a-b=1") << false << QByteArrayList {};
    QTest::newRow("control char") << QByteArray("v=1\x01") << false << QByteArrayList {};
    QTest::newRow("lone equals") << QByteArray("=") << false << QByteArrayList {};
}

void TestDkim::tagList()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, ok);
    QFETCH(QByteArrayList, expected);
    const auto tags = dkim::parseTagList(text);
    QCOMPARE(tags.ok(), ok);
    if (!ok)
        return;
    QByteArrayList got;
    for (const dkim::Tag &t : tags.value())
        got.append(t.name + '=' + t.value);
    QCOMPARE(got, expected);
}

void TestDkim::keyRecord_data()
{
    QTest::addColumn<QByteArray>("txt");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<bool>("ed25519");
    QTest::addColumn<bool>("revoked");
    QTest::addColumn<bool>("testing");
    QTest::addColumn<bool>("strict");

    QTest::newRow("rfc8463 ed25519") << QByteArray(kRfc8463Ed25519Record) << true << true << false << false << false;
    QTest::newRow("rfc8463 rsa") << QByteArray(kRfc8463RsaRecord) << true << false << false << false << false;
    QTest::newRow("no v=, default k=rsa") << QByteArray("p=AAAA") << true << false << false << false << false;
    QTest::newRow("revoked") << QByteArray("v=DKIM1; p=") << true << false << true << false << false;
    QTest::newRow("flags") << QByteArray("v=DKIM1; t=y:s; p=AAAA") << true << false << false << true << true;
    QTest::newRow("h=sha1:sha256") << QByteArray("v=DKIM1; h=sha1:sha256; p=AAAA") << true << false << false << false
                                   << false;
    QTest::newRow("s=email") << QByteArray("v=DKIM1; s=email; p=AAAA") << true << false << false << false << false;
    QTest::newRow("unknown tags ignored")
        << QByteArray("v=DKIM1; n=notes here; zz=1; p=AAAA") << true << false << false << false << false;
    QTest::newRow("p with spaces") << QByteArray("v=DKIM1; p=AA AA") << true << false << false << false << false;
    QTest::newRow("v not first") << QByteArray("k=rsa; v=DKIM1; p=AAAA") << false << false << false << false << false;
    QTest::newRow("v=DKIM2") << QByteArray("v=DKIM2; p=AAAA") << false << false << false << false << false;
    QTest::newRow("h=sha1 only") << QByteArray("v=DKIM1; h=sha1; p=AAAA") << false << false << false << false << false;
    QTest::newRow("s=other") << QByteArray("v=DKIM1; s=other; p=AAAA") << false << false << false << false << false;
    QTest::newRow("k=dsa") << QByteArray("v=DKIM1; k=dsa; p=AAAA") << false << false << false << false << false;
    QTest::newRow("no p") << QByteArray("v=DKIM1; k=rsa") << false << false << false << false << false;
    QTest::newRow("p not base64") << QByteArray("v=DKIM1; p=!!!!") << false << false << false << false << false;
    QTest::newRow("not a key") << QByteArray("hello world") << false << false << false << false << false;
    QTest::newRow("spf record") << QByteArray("v=spf1 -all") << false << false << false << false << false;
    QTest::newRow("too large") << QByteArray("v=DKIM1; p=" + QByteArray(9000, 'A')) << false << false << false << false
                               << false;
}

void TestDkim::keyRecord()
{
    QFETCH(QByteArray, txt);
    QFETCH(bool, ok);
    const auto key = dkim::parseKeyRecord(txt);
    QCOMPARE(key.ok(), ok);
    if (!ok)
        return;
    QFETCH(bool, ed25519);
    QFETCH(bool, revoked);
    QFETCH(bool, testing);
    QFETCH(bool, strict);
    QCOMPARE(key->type == dkim::KeyType::Ed25519, ed25519);
    QCOMPARE(key->publicKey.isEmpty(), revoked);
    QCOMPARE(key->testing, testing);
    QCOMPARE(key->strict, strict);
}

// ---- RFC 8463 Appendix A -----------------------------------------------------

void TestDkim::rfc8463Verify_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<DkimResult>("ed25519");
    QTest::addColumn<DkimResult>("rsa");
    QTest::addColumn<QString>("reason");

    const QByteArray signedMessage = crlf(kRfc8463Signatures) + crlf(kRfc6376Message);
    QTest::newRow("as published") << signedMessage << DkimResult::Pass << DkimResult::Pass << QString();
    QTest::newRow("refolded signed fields (relaxed)")
        << replaceOnce(signedMessage, "Subject: Is dinner ready?", "Subject:   Is dinner\r\n\t ready?  ")
        << DkimResult::Pass << DkimResult::Pass << QString();
    QTest::newRow("trailing empty lines added (relaxed)")
        << QByteArray(signedMessage + "\r\n\r\n") << DkimResult::Pass << DkimResult::Pass << QString();
    QTest::newRow("unsigned field added")
        << QByteArray("X-Extra: yes\r\n" + signedMessage) << DkimResult::Pass << DkimResult::Pass << QString();
    QTest::newRow("subject changed") << replaceOnce(signedMessage, "dinner", "lunch") << DkimResult::Fail
                                     << DkimResult::Fail << QStringLiteral("signature did not verify");
    QTest::newRow("second subject (oversigned)")
        << replaceOnce(signedMessage, "Date: Fri", "Subject: Free money\r\nDate: Fri") << DkimResult::Fail
        << DkimResult::Fail << QStringLiteral("signature did not verify");
    QTest::newRow("body changed") << replaceOnce(signedMessage, "hungry", "thirsty") << DkimResult::Fail
                                  << DkimResult::Fail << QStringLiteral("body hash mismatch");
}

void TestDkim::rfc8463Verify()
{
    QFETCH(QByteArray, message);
    QFETCH(DkimResult, ed25519);
    QFETCH(DkimResult, rsa);
    QFETCH(QString, reason);
    FakeLookup dns;
    addRfc8463Keys(dns);
    DkimVerification v;
    runVerify(dns, message, &v);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(v.signatures.size(), 2);
    const DkimSignatureResult &e = v.signatures[0];
    const DkimSignatureResult &r = v.signatures[1];
    QCOMPARE(QByteArray(dkimResultName(e.result)), QByteArray(dkimResultName(ed25519)));
    QCOMPARE(QByteArray(dkimResultName(r.result)), QByteArray(dkimResultName(rsa)));
    QCOMPARE(e.reason, reason);
    QCOMPARE(e.domain, QStringLiteral("football.example.com"));
    QCOMPARE(e.selector, QStringLiteral("brisbane"));
    QCOMPARE(e.algorithm, QStringLiteral("ed25519-sha256"));
    QCOMPARE(e.identity, QStringLiteral("@football.example.com"));
    QCOMPARE(e.keyBits, 256);
    QCOMPARE(r.selector, QStringLiteral("test"));
    QCOMPARE(r.algorithm, QStringLiteral("rsa-sha256"));
    QCOMPARE(r.keyBits, 1024);
    QCOMPARE(dns.asked.size(), 2);
}

void TestDkim::rfc8463Sign_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("pem");
    QTest::addColumn<QString>("selector");
    QTest::addColumn<QByteArray>("expectedB");
    QTest::addColumn<int>("signatureIndex"); // which of the published fields it reproduces

    QTest::newRow("ed25519") << QStringLiteral("ed") << rfc8463Ed25519Pem() << QStringLiteral("brisbane")
                             << QByteArray(kRfc8463Ed25519B) << 0;
    // RSASSA-PKCS1-v1_5 is deterministic too.
    QTest::newRow("rsa") << QStringLiteral("rsa") << QByteArray(kRfc8463RsaPem) << QStringLiteral("test")
                         << QByteArray(kRfc8463RsaB) << 1;
}

void TestDkim::rfc8463Sign()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, pem);
    QFETCH(QString, selector);
    QFETCH(QByteArray, expectedB);
    QFETCH(int, signatureIndex);

    DkimKey key;
    key.type = kind == QLatin1String("ed") ? DkimKeyType::Ed25519 : DkimKeyType::Rsa2048;
    key.privatePem = pem;
    key.domain = QStringLiteral("football.example.com");
    key.selector = selector;
    QCOMPARE(dkimDnsRecord(key), QByteArray(kind == QLatin1String("ed") ? kRfc8463Ed25519Record : kRfc8463RsaRecord));

    DkimSignOptions opts;
    opts.headers = QStringList { QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("subject"),
        QStringLiteral("date"), QStringLiteral("message-id") };
    opts.oversign = QStringList { QStringLiteral("from"), QStringLiteral("subject"), QStringLiteral("date") };
    opts.timestamp = 1528637909;
    opts.identity = QStringLiteral("@football.example.com");
    opts.queryTag = true;
    const QByteArray message = crlf(kRfc6376Message);
    auto field = signDkim(key, message, opts);
    QVERIFY2(field.ok(), qPrintable(field.error().message));
    QCOMPARE(bValue(field.value()), expectedB);

    // The whole field reads like the published one under relaxed canonicalization.
    const QByteArray published = crlf(kRfc8463Signatures);
    const qsizetype second = published.indexOf("DKIM-Signature", 1);
    const QByteArray mine = signatureIndex == 0 ? published.left(second) : published.mid(second);
    // (Up to b=: relaxed keeps one SP where a field was folded, and b= folds differently.)
    const auto upToB = [](const QByteArray &f) {
        const QByteArray c = dkim::canonicalHeader(f, true);
        return c.left(c.lastIndexOf("; b=") + 4);
    };
    QCOMPARE(upToB(field.value()), upToB(mine));

    // Every line is folded to at most 78 columns.
    for (const QByteArray &line : field->split('\n'))
        QVERIFY2(line.size() <= 79, line.constData());

    FakeLookup dns;
    addRfc8463Keys(dns);
    DkimVerification v;
    runVerify(dns, field.value() + message, &v);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(v.signatures.size(), 1);
    QCOMPARE(QByteArray(dkimResultName(v.signatures[0].result)), QByteArray("pass"));
}

// ---- round trips and failure rows --------------------------------------------

void TestDkim::roundTrip_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("relaxedHeader");
    QTest::addColumn<bool>("relaxedBody");

    for (const char *kind : { "rsa", "ed" }) {
        for (int c = 0; c < 4; ++c) {
            const bool rh = c & 1;
            const bool rb = c & 2;
            QTest::addRow("%s %s/%s", kind, rh ? "relaxed" : "simple", rb ? "relaxed" : "simple")
                << QString::fromLatin1(kind) << rh << rb;
        }
    }
}

void TestDkim::roundTrip()
{
    QFETCH(QString, kind);
    QFETCH(bool, relaxedHeader);
    QFETCH(bool, relaxedBody);
    const DkimKey &key = keyFor(kind);
    DkimSignOptions opts;
    opts.relaxedHeader = relaxedHeader;
    opts.relaxedBody = relaxedBody;
    const QByteArray message = crlf(kMessage);
    auto field = signDkim(key, message, opts);
    QVERIFY2(field.ok(), qPrintable(field.error().message));
    QVERIFY(field->startsWith("DKIM-Signature: v=1; a="));
    QVERIFY(field->endsWith("\r\n"));
    QVERIFY(dkim::canonicalHeader(field.value(), true)
                .contains("; h=from : to : subject : date : message-id : mime-version : content-type : from;"));

    FakeLookup dns;
    dns.setTxt(dkimKeyName(key), { dkimDnsRecord(key) });
    DkimVerification v;
    runVerify(dns, field.value() + message, &v);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(v.signatures.size(), 1);
    const DkimSignatureResult &r = v.signatures[0];
    QVERIFY2(r.result == DkimResult::Pass, qPrintable(r.reason));
    QCOMPARE(r.domain, QStringLiteral("example.org"));
    QCOMPARE(r.selector, key.selector);
    QCOMPARE(
        r.algorithm, kind == QLatin1String("rsa") ? QStringLiteral("rsa-sha256") : QStringLiteral("ed25519-sha256"));
    QCOMPARE(r.identity, QStringLiteral("@example.org"));
    QCOMPARE(r.keyBits, kind == QLatin1String("rsa") ? 2048 : 256);
    QCOMPARE(v.best(), DkimResult::Pass);
    QCOMPARE(dns.asked, QStringList { dkimKeyName(key) });
}

void TestDkim::cases_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<Tweak>("beforeSigning"); // options and the unsigned message
    QTest::addColumn<Tweak>("afterSigning"); // the signed message and the DNS
    QTest::addColumn<DkimResult>("expected");
    QTest::addColumn<QString>("reason"); // a substring of the reason

    const Tweak none = [](Case &) {};
    const auto row
        = [](const char *kind, const char *name, Tweak before, Tweak after, DkimResult r, const char *reason) {
              QTest::addRow("%s: %s", kind, name)
                  << QString::fromLatin1(kind) << before << after << r << QString::fromLatin1(reason);
          };
    // The h= tag of the signature on top, with "from" renamed.
    const auto dropFrom = [](Case &c) {
        const qsizetype h = c.message.indexOf("; h=") + 4;
        const qsizetype end = c.message.indexOf(';', h);
        c.message.replace(h, end - h, QByteArray(c.message.mid(h, end - h)).replace("from", "date"));
    };
    const auto addTag = [](const QByteArray &tag) {
        return [tag](Case &c) {
            c.message = replaceOnce(c.message, "DKIM-Signature: v=1;", "DKIM-Signature: v=1; " + tag + ';');
        };
    };
    for (const char *kind : { "rsa", "ed" }) {
        row(kind, "pass", none, none, DkimResult::Pass, "");
        row(
            kind, "tampered body", none, [](Case &c) { c.message = replaceOnce(c.message, "see you", "meet me"); },
            DkimResult::Fail, "body hash");
        row(
            kind, "tampered signed header", none,
            [](Case &c) { c.message = replaceOnce(c.message, "Subject: Lunch", "Subject: Dinner"); }, DkimResult::Fail,
            "signature did not verify");
        row(
            kind, "unsigned header added", none, [](Case &c) { c.message = "X-Spam-Score: 0\r\n" + c.message; },
            DkimResult::Pass, "");
        row(
            kind, "unsigned header changed", none,
            [](Case &c) { c.message = replaceOnce(c.message, "mx.example.org", "relay.example.org"); },
            DkimResult::Pass, "");
        row(
            kind, "second From (oversigned)", none,
            [](Case &c) { c.message = replaceOnce(c.message, "To: Bob", "From: mallory@evil.test\r\nTo: Bob"); },
            DkimResult::Fail, "signature");
        row(
            kind, "signature field refolded, relaxed", none,
            [](Case &c) { c.message = replaceOnce(c.message, "v=1; a=", "v=1;\r\n\t a="); }, DkimResult::Pass, "");
        row(
            kind, "signature field refolded, simple", [](Case &c) { c.opts.relaxedHeader = false; },
            [](Case &c) { c.message = replaceOnce(c.message, "v=1; a=", "v=1;\r\n\t a="); }, DkimResult::Fail,
            "signature");
        row(
            kind, "l= with appended text", [](Case &c) { c.opts.bodyLengthTag = true; },
            [](Case &c) { c.message += "Buy cheap pills at evil.test\r\n"; }, DkimResult::Pass, "l= leaves 34");
        row(
            kind, "l= with changed text", [](Case &c) { c.opts.bodyLengthTag = true; },
            [](Case &c) { c.message = replaceOnce(c.message, "Alice\r\n", "Alicf\r\n"); }, DkimResult::Fail,
            "body hash");
        row(
            kind, "l= longer than body", [](Case &c) { c.opts.bodyLengthTag = true; },
            [](Case &c) { c.message = replaceOnce(c.message, "Alice\r\n", "\r\n"); }, DkimResult::PermError,
            "l= is longer");
        row(
            kind, "expired x=",
            [](Case &c) {
                c.opts.timestamp = QDateTime::currentSecsSinceEpoch() - 7200;
                c.opts.expireAfter = 3600;
            },
            none, DkimResult::PermError, "expired");
        row(
            kind, "x= not yet reached",
            [](Case &c) {
                c.opts.timestamp = QDateTime::currentSecsSinceEpoch() - 60;
                c.opts.expireAfter = 3600;
            },
            none, DkimResult::Pass, "");
        row(
            kind, "x= against a given clock",
            [](Case &c) {
                c.opts.timestamp = 1000000000;
                c.opts.expireAfter = 10;
                c.verifyOpts.now = 1000000005;
            },
            none, DkimResult::Pass, "");
        row(
            kind, "revoked key", none, [](Case &c) { c.dns.setTxt(c.keyName, { "v=DKIM1; p=" }); },
            DkimResult::PermError, "revoked");
        row(
            kind, "missing key", none, [](Case &c) { c.dns.remove(c.keyName); }, DkimResult::PermError,
            "key not found");
        row(
            kind, "no TXT data", none, [](Case &c) { c.dns.setRcode(c.keyName, dns::Rcode::NoData); },
            DkimResult::PermError, "key not found");
        row(
            kind, "DNS tempfail", none, [](Case &c) { c.dns.setRcode(c.keyName, dns::Rcode::TempFail); },
            DkimResult::TempError, "temporarily");
        row(
            kind, "garbage key record", none, [](Case &c) { c.dns.setTxt(c.keyName, { "v=DKIM1; p=#!@" }); },
            DkimResult::PermError, "base64");
        row(
            kind, "key record beside other TXT", none,
            [](Case &c) {
                c.dns.setTxt(c.keyName, { "google-site-verification=abc", c.record });
            },
            DkimResult::Pass, "");
        row(
            kind, "key h=sha1", none, [](Case &c) { c.dns.setTxt(c.keyName, { c.record + "; h=sha1" }); },
            DkimResult::PermError, "sha256");
        row(
            kind, "key s=other", none,
            [](Case &c) { c.dns.setTxt(c.keyName, { replaceOnce(c.record, "v=DKIM1;", "v=DKIM1; s=other;") }); },
            DkimResult::PermError, "email");
        row(
            kind, "key in testing mode, tampered", none,
            [](Case &c) {
                c.dns.setTxt(c.keyName, { c.record + "; t=y" });
                c.message = replaceOnce(c.message, "see you", "meet me");
            },
            DkimResult::Neutral, "testing");
        row(
            kind, "t=s with i= of a subdomain",
            [](Case &c) { c.opts.identity = QStringLiteral("alice@mail.example.org"); },
            [](Case &c) { c.dns.setTxt(c.keyName, { c.record + "; t=s" }); }, DkimResult::PermError, "t=s");
        row(
            kind, "t=s with i= of d=", [](Case &c) { c.opts.identity = QStringLiteral("alice@example.org"); },
            [](Case &c) { c.dns.setTxt(c.keyName, { c.record + "; t=s" }); }, DkimResult::Pass, "");
        row(kind, "i= outside d=", none, addTag("i=@example.net"), DkimResult::PermError, "i= is not in");
        row(kind, "From dropped from h=", none, dropFrom, DkimResult::PermError, "From is not signed");
        row(
            kind, "rsa-sha1", none,
            [](Case &c) {
                c.message = replaceOnce(c.message, "a=rsa-sha256", "a=rsa-sha1");
                c.message = replaceOnce(c.message, "a=ed25519-sha256", "a=rsa-sha1");
            },
            DkimResult::PermError, "RFC 8301");
        row(
            kind, "v=2", none, [](Case &c) { c.message = replaceOnce(c.message, "v=1;", "v=2;"); },
            DkimResult::PermError, "version");
        row(kind, "q=https", none, addTag("q=https"), DkimResult::PermError, "dns/txt");
        row(
            kind, "wrong key type in DNS", none,
            [kind](Case &c) {
                const DkimKey &other = keyFor(
                    QLatin1String(kind) == QLatin1String("rsa") ? QStringLiteral("ed") : QStringLiteral("rsa"));
                c.dns.setTxt(c.keyName, { dkimDnsRecord(other) });
            },
            DkimResult::PermError, "key type");
        row(
            kind, "other key of the same type", none,
            [kind](Case &c) {
                DkimKey other = keyFor(QString::fromLatin1(kind));
                other.privatePem = dkim::PrivateKey::generate(
                    other.type == DkimKeyType::Ed25519 ? dkim::KeyType::Ed25519 : dkim::KeyType::Rsa, 1024)
                                       ->toPem();
                c.dns.setTxt(c.keyName, { dkimDnsRecord(other) });
            },
            DkimResult::Fail, "signature did not verify");
        // Two X-Tag fields are signed bottom-up (h= names x-tag twice).
        row(
            kind, "instances: top one changed", [](Case &c) { c.opts.headers.append(QStringLiteral("x-tag")); },
            [](Case &c) { c.message = replaceOnce(c.message, "X-Tag: first", "X-Tag: 1st"); }, DkimResult::Fail,
            "signature");
        row(
            kind, "instances: swapped", [](Case &c) { c.opts.headers.append(QStringLiteral("x-tag")); },
            [](Case &c) {
                c.message = replaceOnce(c.message, "X-Tag: first\r\nX-Tag: second", "X-Tag: second\r\nX-Tag: first");
            },
            DkimResult::Fail, "signature");
        row(
            kind, "instances: third added on top", [](Case &c) { c.opts.headers.append(QStringLiteral("x-tag")); },
            [](Case &c) { c.message = replaceOnce(c.message, "X-Tag: first", "X-Tag: zeroth\r\nX-Tag: first"); },
            DkimResult::Pass, "");
        row(
            kind, "instances: third added below", [](Case &c) { c.opts.headers.append(QStringLiteral("x-tag")); },
            [](Case &c) { c.message = replaceOnce(c.message, "X-Tag: second", "X-Tag: second\r\nX-Tag: third"); },
            DkimResult::Fail, "signature");
        row(
            kind, "empty body", [](Case &c) { c.message = c.message.left(c.message.indexOf("\r\n\r\n") + 4); }, none,
            DkimResult::Pass, "");
        row(
            kind, "empty body, CRLFs appended",
            [](Case &c) { c.message = c.message.left(c.message.indexOf("\r\n\r\n") + 4); },
            [](Case &c) { c.message += "\r\n\r\n"; }, DkimResult::Pass, "");
    }
    // Keys of the wrong size, published for a signature made with a good key.
    row(
        "rsa", "512-bit key in DNS", none,
        [](Case &c) {
            auto weak = dkim::PrivateKey::generate(dkim::KeyType::Rsa, 512);
            c.dns.setTxt(c.keyName, { "v=DKIM1; p=" + weak->publicKeyData().toBase64() });
        },
        DkimResult::PermError, "too short");
    row(
        "ed", "31-byte key in DNS", none,
        [](Case &c) { c.dns.setTxt(c.keyName, { "v=DKIM1; k=ed25519; p=" + QByteArray(31, 'x').toBase64() }); },
        DkimResult::PermError, "32 bytes");
}

void TestDkim::cases()
{
    QFETCH(QString, kind);
    QFETCH(Tweak, beforeSigning);
    QFETCH(Tweak, afterSigning);
    QFETCH(DkimResult, expected);
    QFETCH(QString, reason);

    const DkimKey &key = keyFor(kind);
    Case c;
    c.message = crlf(kMessage);
    c.record = dkimDnsRecord(key);
    c.keyName = dkimKeyName(key);
    c.dns.setTxt(c.keyName, { c.record });
    beforeSigning(c);
    auto field = signDkim(key, c.message, c.opts);
    QVERIFY2(field.ok(), qPrintable(field.error().message));
    c.message = field.value() + c.message;
    afterSigning(c);

    DkimVerification v;
    runVerify(c.dns, c.message, &v, c.verifyOpts);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(v.signatures.size(), 1);
    const DkimSignatureResult &r = v.signatures[0];
    QVERIFY2(r.result == expected,
        qPrintable(QStringLiteral("got %1 (%2)").arg(QLatin1String(dkimResultName(r.result)), r.reason)));
    QVERIFY2(r.reason.contains(reason), qPrintable(r.reason));
    QCOMPARE(r.domain, QStringLiteral("example.org"));
}

// ---- hostile input -------------------------------------------------------------

void TestDkim::garbageSignatures_data()
{
    QTest::addColumn<QByteArray>("field"); // the value of a DKIM-Signature field

    const QByteArray good = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=rsa; h=from; "
                            "bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA";
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("spaces") << QByteArray("   \t ");
    QTest::newRow("semicolons") << QByteArray(";;;;");
    QTest::newRow("equals") << QByteArray("=");
    QTest::newRow("v only") << QByteArray("v=1");
    QTest::newRow("binary") << QByteArray("\x00\x01\xff\xfe v=1; \x7f", 12);
    QTest::newRow("utf-8 junk") << QByteArray("v=1; d=\xc3\xa9x\xc3\xa9mple.org");
    QTest::newRow("duplicate v") << QByteArray("v=1; " + good);
    QTest::newRow("missing b") << replaceOnce(good, "; b=AAAA", "");
    QTest::newRow("empty b") << replaceOnce(good, "b=AAAA", "b=");
    QTest::newRow("b not base64") << replaceOnce(good, "b=AAAA", "b=%%%%");
    QTest::newRow("bh wrong length") << replaceOnce(good, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "AAAA");
    QTest::newRow("missing d") << replaceOnce(good, "d=example.org; ", "");
    QTest::newRow("d without dot") << replaceOnce(good, "d=example.org", "d=localhost");
    QTest::newRow("d empty label") << replaceOnce(good, "d=example.org", "d=example..org");
    QTest::newRow("d with space") << replaceOnce(good, "d=example.org", "d=exa mple.org");
    QTest::newRow("s empty") << replaceOnce(good, "s=rsa", "s=");
    QTest::newRow("s with slash") << replaceOnce(good, "s=rsa", "s=../etc");
    QTest::newRow("h without from") << replaceOnce(good, "h=from", "h=to:subject");
    QTest::newRow("h empty name") << replaceOnce(good, "h=from", "h=from::to");
    QTest::newRow("h huge") << replaceOnce(good, "h=from", QByteArray("h=from" + QByteArray(":to").repeated(300)));
    QTest::newRow("c unknown") << replaceOnce(good, "c=relaxed/relaxed", "c=loose/relaxed");
    QTest::newRow("c three parts") << replaceOnce(good, "c=relaxed/relaxed", "c=relaxed/relaxed/simple");
    QTest::newRow("a unknown") << replaceOnce(good, "a=rsa-sha256", "a=rsa-sha512");
    QTest::newRow("a empty") << replaceOnce(good, "a=rsa-sha256", "a=");
    QTest::newRow("l not a number") << QByteArray(good + "; l=12a");
    QTest::newRow("l negative") << QByteArray(good + "; l=-1");
    QTest::newRow("l huge") << QByteArray(good + "; l=99999999999999999999999");
    QTest::newRow("t not a number") << QByteArray(good + "; t=yesterday");
    QTest::newRow("x before t") << QByteArray(good + "; t=2000000000; x=1000000000");
    QTest::newRow("i without @") << QByteArray(good + "; i=example.org");
    QTest::newRow("i other domain") << QByteArray(good + "; i=@example.org.evil.test");
    QTest::newRow("i suffix trick") << QByteArray(good + "; i=@badexample.org");
    QTest::newRow("q other") << QByteArray(good + "; q=http/well-known");
    QTest::newRow("tag name junk") << QByteArray(good + "; 9=1");
    QByteArray manyTags = good;
    for (int i = 0; i < 70; ++i)
        manyTags += "; t" + QByteArray::number(i) + "=1";
    QTest::newRow("too many tags") << manyTags;
    QTest::newRow("very long") << QByteArray(good + "; z=" + QByteArray(20000, 'z'));
    QTest::newRow("unterminated") << QByteArray("v=1; a=rsa-sha256; b=");
}

void TestDkim::garbageSignatures()
{
    QFETCH(QByteArray, field);
    const QByteArray message = "DKIM-Signature: " + field + "\r\n" + crlf(kMessage);
    FakeLookup dns;
    dns.setTxt(dkimKeyName(keys().rsa), { dkimDnsRecord(keys().rsa) });
    DkimVerification v;
    runVerify(dns, message, &v);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(v.signatures.size(), 1);
    QVERIFY2(v.signatures[0].result == DkimResult::PermError, qPrintable(v.signatures[0].reason));
    QVERIFY(!v.signatures[0].reason.isEmpty());
    QVERIFY(dns.asked.isEmpty()); // nothing is looked up for a field that does not parse
}

// Random damage to a valid signature field: every outcome is allowed except a
// crash, a pass, or a broken callback contract.
void TestDkim::mutatedSignatures()
{
    const QByteArray message = crlf(kMessage);
    auto field = signDkim(keys().ed, message, {});
    QVERIFY(field.ok());
    FakeLookup dns;
    dns.setTxt(dkimKeyName(keys().ed), { dkimDnsRecord(keys().ed) });
    QRandomGenerator rng(6376);
    int passes = 0;
    for (int round = 0; round < 300; ++round) {
        QByteArray f = field.value();
        const int edits = 1 + int(rng.bounded(4));
        for (int e = 0; e < edits; ++e) {
            const qsizetype at = 16 + qsizetype(rng.bounded(quint32(f.size() - 18)));
            switch (rng.bounded(3)) {
            case 0:
                f[at] = char(rng.bounded(256));
                break;
            case 1:
                f.remove(at, 1 + qsizetype(rng.bounded(8)));
                break;
            default:
                f.insert(at, ";=: \t\r\n"[rng.bounded(7)]);
                break;
            }
        }
        DkimVerification v;
        runVerify(dns, f + message, &v);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(v.signatures.size() <= 1);
        for (const DkimSignatureResult &r : std::as_const(v.signatures)) {
            if (r.result == DkimResult::Pass) // only damage that leaves the signed bytes alone
                ++passes;
            QVERIFY(r.result != DkimResult::None);
        }
    }
    QVERIFY(passes < 300);
}

void TestDkim::garbageMessages_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("CRLF only") << QByteArray("\r\n");
    QTest::newRow("no header") << QByteArray("\r\nbody\r\n");
    QTest::newRow("no colon") << QByteArray("garbage line\r\n\r\nbody");
    QTest::newRow("continuation first") << QByteArray(" DKIM-Signature: v=1\r\n\r\n");
    QTest::newRow("name only") << QByteArray("DKIM-Signature:");
    QTest::newRow("binary") << QByteArray("\x00\xff\r\n\x00:\x01\r\n\r\n", 10);
    // More fields than the header parser keeps: the signature is not checked.
    QByteArray many = "DKIM-Signature: v=1; a=ed25519-sha256; d=example.org; s=ed; h=from; bh=; b=\r\n";
    for (int i = 0; i < 1200; ++i)
        many += "X-Junk: " + QByteArray::number(i) + "\r\n";
    QTest::newRow("too many fields") << QByteArray(many + "From: a@example.org\r\n\r\nbody\r\n");
}

void TestDkim::garbageMessages()
{
    QFETCH(QByteArray, message);
    FakeLookup dns;
    DkimVerification v;
    runVerify(dns, message, &v);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(v.signatures.size() <= 1);
    for (const DkimSignatureResult &r : std::as_const(v.signatures))
        QCOMPARE(r.result, DkimResult::PermError);
    if (QByteArray(QTest::currentDataTag()) == "too many fields")
        QCOMPARE(v.signatures.value(0).reason, QStringLiteral("header too large to check"));
    if (v.signatures.isEmpty())
        QCOMPARE(v.best(), DkimResult::None);
}

void TestDkim::signatureBound()
{
    const QByteArray message = crlf(kMessage);
    QByteArray all = message;
    for (int i = 0; i < 7; ++i) {
        auto field = signDkim(keys().ed, all, {});
        QVERIFY(field.ok());
        all = field.value() + all;
    }
    FakeLookup dns;
    dns.setTxt(dkimKeyName(keys().ed), { dkimDnsRecord(keys().ed) });
    DkimVerification v;
    runVerify(dns, all, &v);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(v.signatures.size(), 5);
    QCOMPARE(v.notChecked, 2);
    for (const DkimSignatureResult &r : std::as_const(v.signatures))
        QCOMPARE(r.result, DkimResult::Pass);

    DkimVerifyOptions one;
    one.maxSignatures = 1;
    runVerify(dns, all, &v, one);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(v.signatures.size(), 1);
    QCOMPARE(v.notChecked, 6);

    // No signature at all: none, still answered later.
    runVerify(dns, message, &v);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(v.signatures.isEmpty());
    QCOMPARE(v.best(), DkimResult::None);
    QCOMPARE(QByteArray(dkimResultName(DkimResult::None)), QByteArray("none"));
}

void TestDkim::signErrors_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("selector");
    QTest::addColumn<QByteArray>("pem");

    const QByteArray pem = keys().ed.privatePem;
    const QString d = QStringLiteral("example.org");
    const QString s = QStringLiteral("ed");
    QTest::newRow("no From") << QByteArray("To: a@b.c\r\n\r\nx\r\n") << d << s << pem;
    QTest::newRow("two From") << QByteArray("From: a@b.c\r\nFrom: d@e.f\r\n\r\nx\r\n") << d << s << pem;
    QTest::newRow("bad domain") << crlf(kMessage) << QStringLiteral("exa mple.org") << s << pem;
    QTest::newRow("unicode domain") << crlf(kMessage) << QStringLiteral("b\u00fccher.example") << s << pem;
    QTest::newRow("bad selector") << crlf(kMessage) << d << QStringLiteral("a;b") << pem;
    QTest::newRow("bad pem") << crlf(kMessage) << d << s << QByteArray("-----BEGIN PRIVATE KEY-----\nAAAA\n");
    QTest::newRow("rsa pem for ed key") << crlf(kMessage) << d << s << keys().rsa.privatePem;
}

void TestDkim::signErrors()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, domain);
    QFETCH(QString, selector);
    QFETCH(QByteArray, pem);
    DkimKey key { DkimKeyType::Ed25519, pem, selector, domain };
    auto field = signDkim(key, message);
    QVERIFY(!field.ok());
    QCOMPARE(field.error().code, ErrorCode::InvalidArgument);
    QVERIFY(!field.error().message.isEmpty());
}

void TestDkim::dnsRecord()
{
    const QByteArray rsa = dkimDnsRecord(keys().rsa);
    QVERIFY(rsa.startsWith("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"));
    const QByteArray ed = dkimDnsRecord(keys().ed);
    QVERIFY(ed.startsWith("v=DKIM1; k=ed25519; p="));
    QCOMPARE(QByteArray::fromBase64(ed.mid(ed.indexOf("p=") + 2)).size(), 32);
    QCOMPARE(dkimKeyName(keys().ed), QStringLiteral("ed._domainkey.example.org"));
    QVERIFY(dkimDnsRecord(DkimKey { DkimKeyType::Ed25519, "junk", QString(), QString() }).isEmpty());
    QVERIFY(!generateDkimKey(DkimKeyType::Ed25519, QStringLiteral("nodot"), QStringLiteral("s")).ok());
}

// ---- dkimpy ----------------------------------------------------------------------

bool TestDkim::haveDkimpy()
{
    if (m_dkimpy < 0) {
        QProcess p;
        p.start(QStringLiteral("/usr/bin/python3"), { QStringLiteral("-c"), QStringLiteral("import dkim, nacl") });
        m_dkimpy = p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0 ? 1 : 0;
    }
    return m_dkimpy == 1;
}

void TestDkim::dkimpyVerifiesOurs_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("relaxed");
    QTest::addColumn<bool>("xTags"); // also sign both X-Tag fields (bottom-up instances)
    QTest::newRow("rsa relaxed/relaxed") << QStringLiteral("rsa") << true << false;
    QTest::newRow("rsa simple/simple") << QStringLiteral("rsa") << false << false;
    QTest::newRow("ed25519 relaxed/relaxed") << QStringLiteral("ed") << true << false;
    QTest::newRow("ed25519 simple/simple") << QStringLiteral("ed") << false << false;
    QTest::newRow("rsa relaxed/relaxed, X-Tag twice") << QStringLiteral("rsa") << true << true;
    QTest::newRow("ed25519 simple/simple, X-Tag twice") << QStringLiteral("ed") << false << true;
}

void TestDkim::dkimpyVerifiesOurs()
{
    if (!haveDkimpy())
        QFAIL("/usr/bin/python3 cannot import dkim and nacl: run packaging/install-deps.sh (Debian python3-dkim)");
    QFETCH(QString, kind);
    QFETCH(bool, relaxed);
    QFETCH(bool, xTags);
    const DkimKey &key = keyFor(kind);
    DkimSignOptions opts;
    opts.relaxedHeader = relaxed;
    opts.relaxedBody = relaxed;
    if (xTags)
        opts.headers.append(QStringLiteral("x-tag"));
    const QByteArray message = crlf(kMessage);
    auto field = signDkim(key, message, opts);
    QVERIFY(field.ok());

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&dir](const char *name, const QByteArray &data) {
        QFile f(dir.filePath(QLatin1String(name)));
        return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
    };
    QVERIFY(write("msg.eml", field.value() + message));
    QVERIFY(write("record.txt", dkimDnsRecord(key)));
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
        { QStringLiteral(DKIMPY_PEER), QStringLiteral("verify"), dir.filePath(QStringLiteral("msg.eml")),
            dir.filePath(QStringLiteral("record.txt")) });
    QVERIFY(p.waitForFinished(60000));
    const QByteArray out = p.readAllStandardOutput().trimmed();
    QVERIFY2(p.exitCode() == 0 && out == "pass", QByteArray(out + ' ' + p.readAllStandardError()).constData());

    // And dkimpy sees tampered copies fail, so the pass above means something.
    const auto dkimpyRejects = [&](const QByteArray &tampered) {
        if (!write("msg.eml", tampered))
            return false;
        p.start(QStringLiteral("/usr/bin/python3"),
            { QStringLiteral(DKIMPY_PEER), QStringLiteral("verify"), dir.filePath(QStringLiteral("msg.eml")),
                dir.filePath(QStringLiteral("record.txt")) });
        return p.waitForFinished(60000) && p.exitCode() == 1;
    };
    QVERIFY(dkimpyRejects(field.value() + replaceOnce(message, "see you", "meet me")));
    if (xTags) // the top instance is signed as well (h= names x-tag twice, bottom-up)
        QVERIFY(dkimpyRejects(field.value() + replaceOnce(message, "X-Tag: first", "X-Tag: 1st")));
}

void TestDkim::weVerifyDkimpy_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("canon");
    QTest::addColumn<QString>("headers"); // dkimpy's include_headers; "" = its default choice
    const QString xTags = QStringLiteral("from,to,subject,date,x-tag,x-tag,from");
    QTest::newRow("rsa relaxed/relaxed") << QStringLiteral("rsa") << QStringLiteral("relaxed") << QString();
    QTest::newRow("rsa simple/simple") << QStringLiteral("rsa") << QStringLiteral("simple") << QString();
    QTest::newRow("ed25519 relaxed/relaxed") << QStringLiteral("ed25519") << QStringLiteral("relaxed") << QString();
    QTest::newRow("ed25519 simple/simple") << QStringLiteral("ed25519") << QStringLiteral("simple") << QString();
    QTest::newRow("rsa simple/simple, X-Tag twice") << QStringLiteral("rsa") << QStringLiteral("simple") << xTags;
    QTest::newRow("ed25519 relaxed/relaxed, X-Tag twice")
        << QStringLiteral("ed25519") << QStringLiteral("relaxed") << xTags;
}

void TestDkim::weVerifyDkimpy()
{
    if (!haveDkimpy())
        QFAIL("/usr/bin/python3 cannot import dkim and nacl: run packaging/install-deps.sh (Debian python3-dkim)");
    QFETCH(QString, kind);
    QFETCH(QString, canon);
    QFETCH(QString, headers);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray message = crlf(kMessage);
    {
        QFile f(dir.filePath(QStringLiteral("msg.eml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(message), message.size());
    }
    QProcess p;
    QStringList args { QStringLiteral(DKIMPY_PEER), QStringLiteral("sign"), kind, canon,
        QStringLiteral("py.example.com"), QStringLiteral("sel1"), dir.filePath(QStringLiteral("msg.eml")) };
    if (!headers.isEmpty())
        args.append(headers);
    p.start(QStringLiteral("/usr/bin/python3"), args);
    QVERIFY(p.waitForFinished(60000));
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(p.exitCode() == 0, err.constData());
    const QJsonObject out = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    const QByteArray record = out.value(QStringLiteral("record")).toString().toLatin1();
    const QByteArray signedMessage = out.value(QStringLiteral("message")).toString().toLatin1();
    QVERIFY(record.startsWith("v=DKIM1;"));
    QVERIFY(signedMessage.startsWith("DKIM-Signature:"));
    QVERIFY(signedMessage.endsWith(message));
    const QByteArray expectedAlgorithm = kind == QLatin1String("rsa") ? "a=rsa-sha256" : "a=ed25519-sha256";
    QVERIFY(signedMessage.contains(expectedAlgorithm));
    QVERIFY(signedMessage.contains(QByteArray("c=" + canon.toLatin1() + '/' + canon.toLatin1())));

    FakeLookup dns;
    dns.setTxt(QStringLiteral("sel1._domainkey.py.example.com"), { record });
    DkimVerification v;
    runVerify(dns, signedMessage, &v);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(v.signatures.size(), 1);
    QVERIFY2(v.signatures[0].result == DkimResult::Pass, qPrintable(v.signatures[0].reason));
    QCOMPARE(v.signatures[0].domain, QStringLiteral("py.example.com"));

    runVerify(dns, replaceOnce(signedMessage, "see you", "meet me"), &v);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(v.signatures[0].result, DkimResult::Fail);
    if (!headers.isEmpty()) { // the top X-Tag is signed too, as dkimpy picks instances bottom-up
        runVerify(dns, replaceOnce(signedMessage, "X-Tag: first", "X-Tag: 1st"), &v);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(v.signatures[0].result, DkimResult::Fail);
        QVERIFY(signedMessage.contains("x-tag : x-tag"));
    }
}

QTEST_GUILESS_MAIN(TestDkim)
#include "tst_dkim.moc"
