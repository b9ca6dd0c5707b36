// SASL mechanisms against a fake CredentialSource: SCRAM-SHA-256 replays
// RFC 7677 §3, CRAM-MD5 replays RFC 2195 §2, PLAIN and LOGIN cover good,
// wrong and malformed input (_data rows), and the factory and the offered list.
#include <QHash>
#include <QRegularExpression>
#include <QTest>

#include "auth/sasl.h"
#include "auth/saslcrammd5.h"
#include "auth/saslcrypto.h"
#include "auth/saslscram.h"

using namespace mailroom::auth;
using Step = SaslMechanism::Step;

Q_DECLARE_METATYPE(SaslMechanism::Step::Kind)

namespace
{
// Users are stored under lower-case names; canonicalName lower-cases.
class FakeCredentials : public CredentialSource
{
public:
    struct User {
        QString password;
        std::optional<QByteArray> cramKey;
        std::optional<ScramCredentials> scram;
    };
    QHash<QString, User> users;
    int lookups = 0;

    bool verifyPassword(const QString &username, const QString &password) override
    {
        ++lookups;
        const auto it = users.constFind(username.toLower());
        return it != users.cend() && it->password == password;
    }
    std::optional<QByteArray> cramMd5Key(const QString &username) override
    {
        const auto it = users.constFind(username.toLower());
        return it == users.cend() ? std::nullopt : it->cramKey;
    }
    std::optional<ScramCredentials> scramCredentials(const QString &username) override
    {
        const auto it = users.constFind(username.toLower());
        return it == users.cend() ? std::nullopt : it->scram;
    }
    QString canonicalName(const QString &username) override
    {
        return users.contains(username.toLower()) ? username.toLower() : QString();
    }
};

// '|' stands for NUL so rows stay readable.
QByteArray nul(const char *text)
{
    return QByteArray(text).replace('|', '\0');
}

const QByteArray kRfcSalt = QByteArray::fromBase64("W22ZaJ0SNY7soEsUEjb6gQ==");
const QByteArray kRfcClientFirst = QByteArrayLiteral("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
const QByteArray kRfcServerNonce = QByteArrayLiteral("%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
const QByteArray kRfcServerFirst
    = QByteArrayLiteral("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
const QByteArray kRfcClientFinal = QByteArrayLiteral("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                                                     "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
const QByteArray kRfcServerFinal = QByteArrayLiteral("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");

// The client side of SCRAM (RFC 5802 §3), to drive exchanges the RFC has no example for.
QByteArray scramClientFinal(const QString &password,
    const QByteArray &clientFirstBare,
    const QByteArray &serverFirst,
    const QByteArray &gs2Header)
{
    QByteArray salt;
    int iterations = 0;
    QByteArray nonce;
    for (const QByteArray &f : serverFirst.split(',')) {
        if (f.startsWith("s="))
            salt = QByteArray::fromBase64(f.mid(2));
        else if (f.startsWith("i="))
            iterations = f.mid(2).toInt();
        else if (f.startsWith("r="))
            nonce = f.mid(2);
    }
    const QByteArray salted
        = pbkdf2Sha256(password.normalized(QString::NormalizationForm_KC).toUtf8(), salt, iterations, 32);
    const QByteArray clientKey = hmacSha256(salted, QByteArrayLiteral("Client Key"));
    const QByteArray withoutProof = "c=" + gs2Header.toBase64() + ",r=" + nonce;
    const QByteArray authMessage = clientFirstBare + ',' + serverFirst + ',' + withoutProof;
    const QByteArray signature = hmacSha256(sha256(clientKey), authMessage);
    QByteArray proof(32, '\0');
    for (int i = 0; i < 32; ++i)
        proof[i] = char(clientKey[i] ^ signature[i]);
    return withoutProof + ",p=" + proof.toBase64();
}
} // namespace

class TestSasl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void names();
    void factory();
    void scramRfc7677();
    void scramWithoutInitialResponse();
    void scramWrongProof();
    void scramUnknownUser();
    void scramClientSide_data();
    void scramClientSide();
    void scramAuthzidMismatch();
    void scramMalformedFirst_data();
    void scramMalformedFirst();
    void scramMalformedFinal_data();
    void scramMalformedFinal();
    void deriveScram();
    void cramMd5Rfc2195();
    void cramMd5DefaultChallenge();
    void cramMd5Bad_data();
    void cramMd5Bad();
    void plain_data();
    void plain();
    void login_data();
    void login();
    void loginInitialResponse();
    void stepsAfterTheEnd();

private:
    FakeCredentials m_creds;
};

void TestSasl::init()
{
    m_creds.users.clear();
    m_creds.users.insert(QStringLiteral("user"),
        { QStringLiteral("pencil"), std::nullopt, deriveScramCredentials(QStringLiteral("pencil"), kRfcSalt) });
    m_creds.users.insert(
        QStringLiteral("tim"), { QStringLiteral("tanstaaftanstaaf"), QByteArray("tanstaaftanstaaf"), {} });
    m_creds.users.insert(QStringLiteral("alice"),
        { QStringLiteral("secret ✓"), std::nullopt, makeScramCredentials(QStringLiteral("secret ✓"), 4096) });
    m_creds.users.insert(QStringLiteral("bob"), { QStringLiteral("hunter2"), std::nullopt, std::nullopt });
}

void TestSasl::names()
{
    using L = QList<QByteArray>;
    QCOMPARE(saslMechanismNames(false, false, false), L { "SCRAM-SHA-256" });
    QCOMPARE(saslMechanismNames(false, false, true), (L { "SCRAM-SHA-256", "CRAM-MD5" }));
    QCOMPARE(saslMechanismNames(true, false, false), (L { "SCRAM-SHA-256", "PLAIN", "LOGIN" }));
    QCOMPARE(saslMechanismNames(false, true, true), (L { "SCRAM-SHA-256", "CRAM-MD5", "PLAIN", "LOGIN" }));
}

void TestSasl::factory()
{
    for (const QByteArray &name :
        { QByteArray("PLAIN"), QByteArray("login"), QByteArray("Cram-Md5"), QByteArray("scram-sha-256") }) {
        const auto m = createSaslMechanism(name, m_creds, "mail.example.org");
        QVERIFY2(m, name.constData());
        QCOMPARE(m->name(), name.toUpper());
        QVERIFY(m->authenticatedUser().isEmpty());
        QVERIFY(m->attemptedUser().isEmpty());
    }
    QVERIFY(!createSaslMechanism("GSSAPI", m_creds, "x"));
    QVERIFY(!createSaslMechanism("SCRAM-SHA-256-PLUS", m_creds, "x"));
    QVERIFY(!createSaslMechanism("", m_creds, "x"));
}

void TestSasl::scramRfc7677()
{
    SaslScram m(m_creds);
    m.setServerNonce(kRfcServerNonce);
    const Step first = m.start(kRfcClientFirst, true);
    QCOMPARE(first.kind, Step::Challenge);
    QCOMPARE(first.challenge, kRfcServerFirst);
    QCOMPARE(m.attemptedUser(), QStringLiteral("user"));
    const Step final = m.next(kRfcClientFinal);
    QCOMPARE(final.kind, Step::Success);
    QCOMPARE(final.challenge, kRfcServerFinal);
    QCOMPARE(m.authenticatedUser(), QStringLiteral("user"));
}

void TestSasl::scramWithoutInitialResponse()
{
    SaslScram m(m_creds);
    m.setServerNonce(kRfcServerNonce);
    const Step empty = m.start({}, false);
    QCOMPARE(empty.kind, Step::Challenge);
    QVERIFY(empty.challenge.isEmpty());
    QCOMPARE(m.next(kRfcClientFirst).challenge, kRfcServerFirst);
    QCOMPARE(m.next(kRfcClientFinal).challenge, kRfcServerFinal);
}

void TestSasl::scramWrongProof()
{
    SaslScram m(m_creds);
    m.setServerNonce(kRfcServerNonce);
    QCOMPARE(m.start(kRfcClientFirst, true).kind, Step::Challenge);
    QByteArray final = kRfcClientFinal;
    final.replace("p=dHzb", "p=dHzc");
    const Step s = m.next(final);
    QCOMPARE(s.kind, Step::Failure);
    QVERIFY(!s.malformed);
    QVERIFY(s.challenge.isEmpty());
    QVERIFY(m.authenticatedUser().isEmpty());
}

void TestSasl::scramUnknownUser()
{
    const QRegularExpression shape(
        QStringLiteral("^r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj\\)hNlF\\$k0,s=[A-Za-z0-9+/]{22}==,i=4096$"));
    QByteArray salts[2];
    for (QByteArray &salt : salts) {
        SaslScram m(m_creds);
        m.setServerNonce(kRfcServerNonce);
        const Step first = m.start("n,,n=nobody,r=rOprNGfwEbeRWgbNEkqO", true);
        QCOMPARE(first.kind, Step::Challenge);
        QVERIFY2(shape.match(QString::fromLatin1(first.challenge)).hasMatch(), first.challenge.constData());
        QVERIFY(shape.match(QString::fromLatin1(kRfcServerFirst)).hasMatch()); // a real user looks the same
        salt = first.challenge.split(',').at(1);
        QCOMPARE(m.attemptedUser(), QStringLiteral("nobody"));
        const Step final = m.next(
            scramClientFinal(QStringLiteral("pencil"), "n=nobody,r=rOprNGfwEbeRWgbNEkqO", first.challenge, "n,,"));
        QCOMPARE(final.kind, Step::Failure);
        QVERIFY(!final.malformed);
        QVERIFY(m.authenticatedUser().isEmpty());
    }
    QCOMPARE(salts[0], salts[1]); // asking again does not reveal a fake by a new salt

    // A user without SCRAM keys (here: only a password) is treated the same way.
    SaslScram m(m_creds);
    const Step first = m.start("n,,n=bob,r=abc", true);
    QCOMPARE(first.kind, Step::Challenge);
    QVERIFY(first.challenge.contains(",i=4096"));
    QCOMPARE(
        m.next(scramClientFinal(QStringLiteral("hunter2"), "n=bob,r=abc", first.challenge, "n,,")).kind, Step::Failure);
}

void TestSasl::scramClientSide_data()
{
    QTest::addColumn<QByteArray>("gs2");
    QTest::addColumn<QByteArray>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("ok");
    QTest::newRow("n flag") << QByteArray("n,,") << QByteArray("alice") << QStringLiteral("secret ✓") << true;
    QTest::newRow("y flag") << QByteArray("y,,") << QByteArray("alice") << QStringLiteral("secret ✓") << true;
    QTest::newRow("same authzid") << QByteArray("n,a=alice,") << QByteArray("alice") << QStringLiteral("secret ✓")
                                  << true;
    QTest::newRow("case of name") << QByteArray("n,,") << QByteArray("Alice") << QStringLiteral("secret ✓") << true;
    QTest::newRow("wrong password") << QByteArray("n,,") << QByteArray("alice") << QStringLiteral("secret") << false;
    QTest::newRow("extension kept") << QByteArray("n,,") << QByteArray("alice") << QStringLiteral("secret ✓") << true;
}

void TestSasl::scramClientSide()
{
    QFETCH(QByteArray, gs2);
    QFETCH(QByteArray, user);
    QFETCH(QString, password);
    QFETCH(bool, ok);
    QByteArray bare = "n=" + user + ",r=fyko+d2lbbFgONRv9qkxdawL";
    if (QByteArray(QTest::currentDataTag()) == "extension kept")
        bare += ",x=ignored";
    SaslScram m(m_creds);
    const Step first = m.start(gs2 + bare, true);
    QCOMPARE(first.kind, Step::Challenge);
    QVERIFY(first.challenge.startsWith("r=fyko+d2lbbFgONRv9qkxdawL"));
    QVERIFY(first.challenge.size() > QByteArray("r=fyko+d2lbbFgONRv9qkxdawL").size() + 16); // a server nonce follows
    const Step final = m.next(scramClientFinal(password, bare, first.challenge, gs2));
    QCOMPARE(final.kind, ok ? Step::Success : Step::Failure);
    QVERIFY(!final.malformed);
    QCOMPARE(m.authenticatedUser(), ok ? QStringLiteral("alice") : QString());
    if (ok) {
        QVERIFY(final.challenge.startsWith("v="));
        QCOMPARE(QByteArray::fromBase64(final.challenge.mid(2)).size(), 32);
    }
}

void TestSasl::scramAuthzidMismatch()
{
    SaslScram m(m_creds);
    const Step s = m.start("n,a=bob,n=alice,r=abc", true);
    QCOMPARE(s.kind, Step::Failure);
    QVERIFY(!s.malformed);
}

void TestSasl::scramMalformedFirst_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("channel binding") << QByteArray("p=tls-unique,,n=user,r=abc");
    QTest::newRow("unknown flag") << QByteArray("x,,n=user,r=abc");
    QTest::newRow("flag only") << QByteArray("n");
    QTest::newRow("one comma") << QByteArray("n,");
    QTest::newRow("header only") << QByteArray("n,,");
    QTest::newRow("bad authzid") << QByteArray("n,b=user,n=user,r=abc");
    QTest::newRow("authzid bad escape") << QByteArray("n,a=us=2Xer,n=user,r=abc");
    QTest::newRow("no user") << QByteArray("n,,r=abc");
    QTest::newRow("no nonce") << QByteArray("n,,n=user");
    QTest::newRow("order swapped") << QByteArray("n,,r=abc,n=user");
    QTest::newRow("mandatory ext") << QByteArray("n,,m=ext,n=user,r=abc");
    QTest::newRow("bad escape") << QByteArray("n,,n=us=er,r=abc");
    QTest::newRow("escape cut") << QByteArray("n,,n=user=2,r=abc");
    QTest::newRow("empty user") << QByteArray("n,,n=,r=abc");
    QTest::newRow("empty nonce") << QByteArray("n,,n=user,r=");
    QTest::newRow("space in nonce") << QByteArray("n,,n=user,r=a c");
    QTest::newRow("control in user") << QByteArray("n,,n=us\x01"
                                                   "er,r=abc");
    QTest::newRow("NUL in user") << nul("n,,n=us|er,r=abc");
    QTest::newRow("bad UTF-8") << QByteArray("n,,n=\xff\xfe,r=abc");
    QTest::newRow("bad extension") << QByteArray("n,,n=user,r=abc,1x");
    QTest::newRow("empty extension") << QByteArray("n,,n=user,r=abc,");
    QTest::newRow("long user") << QByteArray("n,,n=" + QByteArray(600, 'u') + ",r=abc");
    QTest::newRow("long nonce") << QByteArray("n,,n=user,r=" + QByteArray(2000, 'r'));
    QTest::newRow("oversize") << QByteArray("n,,n=user,r=abc,x=" + QByteArray(SaslMechanism::kMaxResponseBytes, 'x'));
}

void TestSasl::scramMalformedFirst()
{
    QFETCH(QByteArray, message);
    SaslScram m(m_creds);
    const Step s = m.start(message, true);
    QCOMPARE(s.kind, Step::Failure);
    QVERIFY(s.malformed);
    QVERIFY(!s.reason.isEmpty());
    QCOMPARE(m.next(kRfcClientFinal).kind, Step::Failure); // and the exchange is over
}

void TestSasl::scramMalformedFinal_data()
{
    QTest::addColumn<QByteArray>("message");
    const auto row = [](const char *tag, const QByteArray &message) { QTest::newRow(tag) << message; };
    const QByteArray nonce = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    const QByteArray proof = "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    row("empty", QByteArray());
    row("no proof", "c=biws," + nonce);
    row("proof only", proof);
    row("short proof", "c=biws," + nonce + ",p=dHzbZapWIk4=");
    row("proof not base64", "c=biws," + nonce + ",p=!!!!ZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
    row("empty proof", "c=biws," + nonce + ",p=");
    row("no binding", nonce + ',' + proof);
    row("binding y", "c=eSws," + nonce + ',' + proof);
    row("binding garbage", "c=b!ws," + nonce + ',' + proof);
    row("wrong nonce", "c=biws,r=rOprNGfwEbeRWgbNEkqO," + proof);
    row("nonce prefix", "c=biws," + nonce.chopped(1) + ',' + proof);
    row("no nonce", "c=biws," + proof);
    row("bad extension", "c=biws," + nonce + ",," + proof);
    row("oversize", "c=biws," + nonce + ",x=" + QByteArray(SaslMechanism::kMaxResponseBytes, 'x') + ',' + proof);
}

void TestSasl::scramMalformedFinal()
{
    QFETCH(QByteArray, message);
    SaslScram m(m_creds);
    m.setServerNonce(kRfcServerNonce);
    QCOMPARE(m.start(kRfcClientFirst, true).challenge, kRfcServerFirst);
    const Step s = m.next(message);
    QCOMPARE(s.kind, Step::Failure);
    QVERIFY(s.malformed);
    QVERIFY(m.authenticatedUser().isEmpty());
}

void TestSasl::deriveScram()
{
    const ScramCredentials c = deriveScramCredentials(QStringLiteral("pencil"), kRfcSalt, 4096);
    QCOMPARE(c.iterations, 4096);
    QCOMPARE(c.salt, kRfcSalt);
    QCOMPARE(c.storedKey.size(), 32);
    QCOMPARE(c.serverKey.size(), 32);
    // NFKC: the ligature U+FB01 "ﬁ" and "fi" give the same keys.
    QCOMPARE(deriveScramCredentials(QString(QChar(0xFB01)), kRfcSalt, 16).storedKey,
        deriveScramCredentials(QStringLiteral("fi"), kRfcSalt, 16).storedKey);
    QCOMPARE(deriveScramCredentials(QStringLiteral("x"), kRfcSalt, 0).iterations, 0);
    QCOMPARE(deriveScramCredentials(QStringLiteral("x"), QByteArray(), 4096).iterations, 0);
    const ScramCredentials a = makeScramCredentials(QStringLiteral("pencil"), 16);
    const ScramCredentials b = makeScramCredentials(QStringLiteral("pencil"), 16);
    QCOMPARE(a.salt.size(), 16);
    QVERIFY(a.salt != b.salt);
    QVERIFY(a.storedKey != b.storedKey);
}

void TestSasl::cramMd5Rfc2195()
{
    SaslCramMd5 m(m_creds, "postoffice.reston.mci.net");
    m.setChallenge("<1896.697170952@postoffice.reston.mci.net>");
    const Step first = m.start({}, false);
    QCOMPARE(first.kind, Step::Challenge);
    QCOMPARE(first.challenge, QByteArray("<1896.697170952@postoffice.reston.mci.net>"));
    const Step s = m.next("tim b913a602c7eda7a495b4e6e7334d3890");
    QCOMPARE(s.kind, Step::Success);
    QVERIFY(s.challenge.isEmpty());
    QCOMPARE(m.authenticatedUser(), QStringLiteral("tim"));

    SaslCramMd5 upper(m_creds, "x");
    upper.setChallenge("<1896.697170952@postoffice.reston.mci.net>");
    QCOMPARE(upper.start({}, false).kind, Step::Challenge);
    QCOMPARE(upper.next("Tim B913A602C7EDA7A495B4E6E7334D3890").kind, Step::Success);
    QCOMPARE(upper.authenticatedUser(), QStringLiteral("tim"));
}

void TestSasl::cramMd5DefaultChallenge()
{
    SaslCramMd5 a(m_creds, "mail.example.org");
    SaslCramMd5 b(m_creds, "mail.example.org");
    const QRegularExpression shape(QStringLiteral("^<\\d+\\.\\d+@mail\\.example\\.org>$"));
    QVERIFY(shape.match(QString::fromLatin1(a.start({}, false).challenge)).hasMatch());
    QVERIFY(a.challenge() != b.challenge());
    SaslCramMd5 odd(m_creds, "evil>\r\nname");
    QVERIFY(odd.challenge().endsWith("@localhost>"));
}

void TestSasl::cramMd5Bad_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<bool>("malformed");
    QTest::newRow("wrong digest") << QByteArray("tim b913a602c7eda7a495b4e6e7334d3891") << false;
    QTest::newRow("unknown user") << QByteArray("nobody b913a602c7eda7a495b4e6e7334d3890") << false;
    QTest::newRow("not opted in") << QByteArray("bob b913a602c7eda7a495b4e6e7334d3890") << false;
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("user only") << QByteArray("tim") << true;
    QTest::newRow("no user") << QByteArray(" b913a602c7eda7a495b4e6e7334d3890") << true;
    QTest::newRow("short digest") << QByteArray("tim b913a602c7eda7a495b4e6e7334d389") << true;
    QTest::newRow("long digest") << QByteArray("tim b913a602c7eda7a495b4e6e7334d38900") << true;
    QTest::newRow("not hex") << QByteArray("tim g913a602c7eda7a495b4e6e7334d3890") << true;
    QTest::newRow("trailing space") << QByteArray("tim b913a602c7eda7a495b4e6e7334d3890 ") << true;
    QTest::newRow("NUL in user") << nul("t|m b913a602c7eda7a495b4e6e7334d3890") << true;
    QTest::newRow("oversize") << QByteArray(
        QByteArray(SaslMechanism::kMaxResponseBytes, 'x') + " b913a602c7eda7a495b4e6e7334d3890")
                              << true;
}

void TestSasl::cramMd5Bad()
{
    QFETCH(QByteArray, response);
    QFETCH(bool, malformed);
    SaslCramMd5 m(m_creds, "x");
    m.setChallenge("<1896.697170952@postoffice.reston.mci.net>");
    QCOMPARE(m.start({}, false).kind, Step::Challenge);
    const Step s = m.next(response);
    QCOMPARE(s.kind, Step::Failure);
    QCOMPARE(s.malformed, malformed);
    QVERIFY(m.authenticatedUser().isEmpty());
    QVERIFY(!s.reason.contains(QStringLiteral("tanstaaf")));

    SaslCramMd5 initial(m_creds, "x"); // the server speaks first
    QVERIFY(initial.start(QByteArray(), true).malformed);
}

void TestSasl::plain_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<Step::Kind>("kind");
    QTest::addColumn<bool>("malformed");
    QTest::addColumn<QString>("attempted");
    const QString alice = QStringLiteral("alice");
    QTest::newRow("good") << nul("|alice|secret ✓") << Step::Success << false << alice;
    QTest::newRow("good, same authzid") << nul("alice|alice|secret ✓") << Step::Success << false << alice;
    QTest::newRow("good, authzid other case") << nul("ALICE|alice|secret ✓") << Step::Success << false << alice;
    QTest::newRow("good, name case") << nul("|Alice|secret ✓") << Step::Success << false << QStringLiteral("Alice");
    QTest::newRow("wrong password") << nul("|alice|secret") << Step::Failure << false << alice;
    QTest::newRow("unknown user") << nul("|nobody|secret ✓") << Step::Failure << false << QStringLiteral("nobody");
    QTest::newRow("authzid mismatch") << nul("bob|alice|secret ✓") << Step::Failure << false << alice;
    QTest::newRow("authzid unknown") << nul("nobody|alice|secret ✓") << Step::Failure << false << alice;
    QTest::newRow("no NUL") << QByteArray("alice secret") << Step::Failure << true << QString();
    QTest::newRow("one NUL") << nul("alice|secret ✓") << Step::Failure << true << QString();
    QTest::newRow("three NULs") << nul("|alice|secret|x") << Step::Failure << true << QString();
    QTest::newRow("empty") << QByteArray() << Step::Failure << true << QString();
    QTest::newRow("NULs only") << nul("||") << Step::Failure << true << QString();
    QTest::newRow("empty password") << nul("|alice|") << Step::Failure << true << alice;
    QTest::newRow("empty user") << nul("||secret ✓") << Step::Failure << true << QString();
    QTest::newRow("CRLF in user") << nul("|ali\r\nce|secret ✓") << Step::Failure << true << QString();
    QTest::newRow("bad UTF-8 password") << nul("|alice|\xff\xfe") << Step::Failure << true << alice;
    QTest::newRow("long user") << QByteArray(nul("|") + QByteArray(600, 'a') + nul("|secret")) << Step::Failure << true
                               << QString();
    QTest::newRow("long password") << QByteArray(nul("|alice|") + QByteArray(5000, 'p')) << Step::Failure << true
                                   << alice;
    QTest::newRow("oversize") << QByteArray(nul("|alice|") + QByteArray(SaslMechanism::kMaxResponseBytes, 'p'))
                              << Step::Failure << true << QString();
}

void TestSasl::plain()
{
    QFETCH(QByteArray, message);
    QFETCH(Step::Kind, kind);
    QFETCH(bool, malformed);
    QFETCH(QString, attempted);
    for (const bool initial : { true, false }) {
        const auto m = createSaslMechanism("PLAIN", m_creds, "x");
        Step s;
        if (initial) {
            s = m->start(message, true);
        } else {
            const Step first = m->start({}, false);
            QCOMPARE(first.kind, Step::Challenge);
            QVERIFY(first.challenge.isEmpty());
            s = m->next(message);
        }
        QCOMPARE(s.kind, kind);
        QCOMPARE(s.malformed, malformed);
        QCOMPARE(m->attemptedUser(), attempted);
        QCOMPARE(m->authenticatedUser(), kind == Step::Success ? QStringLiteral("alice") : QString());
        QVERIFY(s.challenge.isEmpty());
        QCOMPARE(s.reason.isEmpty(), kind == Step::Success);
        QVERIFY(!s.reason.contains(QStringLiteral("secret")));
    }
}

void TestSasl::login_data()
{
    QTest::addColumn<QByteArray>("user");
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<Step::Kind>("kind");
    QTest::addColumn<bool>("malformed");
    QTest::newRow("good") << QByteArray("alice") << QByteArray("secret ✓") << Step::Success << false;
    QTest::newRow("good, name case") << QByteArray("ALICE") << QByteArray("secret ✓") << Step::Success << false;
    QTest::newRow("wrong password") << QByteArray("alice") << QByteArray("secret") << Step::Failure << false;
    QTest::newRow("unknown user") << QByteArray("nobody") << QByteArray("secret ✓") << Step::Failure << false;
    QTest::newRow("empty user") << QByteArray() << QByteArray("secret ✓") << Step::Failure << true;
    QTest::newRow("empty password") << QByteArray("alice") << QByteArray() << Step::Failure << true;
    QTest::newRow("NUL in password") << QByteArray("alice") << nul("secret|✓") << Step::Failure << true;
    QTest::newRow("NUL in user") << nul("al|ice") << QByteArray("secret ✓") << Step::Failure << true;
    QTest::newRow("PLAIN-style user") << nul("|alice|secret ✓") << QByteArray("x") << Step::Failure << true;
    QTest::newRow("long user") << QByteArray(600, 'a') << QByteArray("x") << Step::Failure << true;
    QTest::newRow("oversize user") << QByteArray(SaslMechanism::kMaxResponseBytes + 1, 'a') << QByteArray("x")
                                   << Step::Failure << true;
    QTest::newRow("oversize password") << QByteArray("alice") << QByteArray(SaslMechanism::kMaxResponseBytes + 1, 'p')
                                       << Step::Failure << true;
}

void TestSasl::login()
{
    QFETCH(QByteArray, user);
    QFETCH(QByteArray, password);
    QFETCH(Step::Kind, kind);
    QFETCH(bool, malformed);
    const auto m = createSaslMechanism("LOGIN", m_creds, "x");
    const Step first = m->start({}, false);
    QCOMPARE(first.kind, Step::Challenge);
    QCOMPARE(first.challenge, QByteArray("Username:"));
    Step s = m->next(user);
    if (s.kind == Step::Challenge) {
        QCOMPARE(s.challenge, QByteArray("Password:"));
        QCOMPARE(m->attemptedUser(), QString::fromUtf8(user));
        s = m->next(password);
    }
    QCOMPARE(s.kind, kind);
    QCOMPARE(s.malformed, malformed);
    QCOMPARE(m->authenticatedUser(), kind == Step::Success ? QStringLiteral("alice") : QString());
    QVERIFY(!s.reason.contains(QStringLiteral("secret")));
}

void TestSasl::loginInitialResponse()
{
    const auto m = createSaslMechanism("LOGIN", m_creds, "x");
    const Step first = m->start("alice", true);
    QCOMPARE(first.kind, Step::Challenge);
    QCOMPARE(first.challenge, QByteArray("Password:"));
    QCOMPARE(m->next(QByteArray("secret ✓")).kind, Step::Success);
    QCOMPARE(m->authenticatedUser(), QStringLiteral("alice"));

    const auto empty = createSaslMechanism("LOGIN", m_creds, "x");
    const Step s = empty->start(QByteArray(), true); // "=": an empty user name
    QCOMPARE(s.kind, Step::Failure);
    QVERIFY(s.malformed);
}

void TestSasl::stepsAfterTheEnd()
{
    for (const QByteArray &name : saslMechanismNames(true, true, true)) {
        const auto m = createSaslMechanism(name, m_creds, "x");
        QVERIFY(m);
        const Step before = m->next("early"); // next() before start()
        QCOMPARE(before.kind, Step::Failure);
        QVERIFY(before.malformed);
        QCOMPARE(m->start({}, false).kind, Step::Failure); // the exchange is over
    }
    const auto plain = createSaslMechanism("PLAIN", m_creds, "x");
    QCOMPARE(plain->start(nul("|alice|secret ✓"), true).kind, Step::Success);
    const Step again = plain->next(nul("|alice|secret ✓"));
    QCOMPARE(again.kind, Step::Failure);
    QVERIFY(again.malformed);
}

QTEST_GUILESS_MAIN(TestSasl)
#include "tst_sasl.moc"
