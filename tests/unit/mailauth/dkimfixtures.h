// Fixtures of tst_dkim: a table-driven fake Lookup, the callback-contract
// check around verifyDkim, and the RFC 8463 Appendix A keys, records and
// signed message (RFC 6376 Appendix A.1's message), typed in from the RFC.
// Trust level: test code.
#pragma once

#include <functional>

#include <QHash>
#include <QTest>
#include <QTimer>

#include "mailauth/dkim.h"

namespace dkimtest
{

using namespace mailroom;
using namespace mailroom::mailauth;

// Answers from a table, always later from the event loop (as the resolver does).
class FakeLookup : public Lookup
{
public:
    void setTxt(const QString &name, const QList<QByteArray> &records)
    {
        dns::Reply<QByteArray> r;
        r.rcode = dns::Rcode::Ok;
        r.records = records;
        m_txt.insert(name.toLower(), r);
    }
    void setRcode(const QString &name, dns::Rcode rcode)
    {
        dns::Reply<QByteArray> r;
        r.rcode = rcode;
        m_txt.insert(name.toLower(), r);
    }
    void remove(const QString &name)
    {
        m_txt.remove(name.toLower());
    }

    void txt(const QString &name, std::function<void(const dns::Reply<QByteArray> &)> done) override
    {
        asked.append(name);
        dns::Reply<QByteArray> r;
        r.rcode = dns::Rcode::NxDomain;
        r = m_txt.value(name.toLower(), r);
        QTimer::singleShot(0, [r, done] { done(r); });
    }
    void a(const QString &, std::function<void(const dns::Reply<QHostAddress> &)> done) override
    {
        QTimer::singleShot(0, [done] { done(dns::Reply<QHostAddress> { dns::Rcode::NxDomain, {}, 0, {} }); });
    }
    void aaaa(const QString &, std::function<void(const dns::Reply<QHostAddress> &)> done) override
    {
        QTimer::singleShot(0, [done] { done(dns::Reply<QHostAddress> { dns::Rcode::NxDomain, {}, 0, {} }); });
    }
    void mx(const QString &, std::function<void(const dns::Reply<dns::MxRecord> &)> done) override
    {
        QTimer::singleShot(0, [done] { done(dns::Reply<dns::MxRecord> { dns::Rcode::NxDomain, {}, 0, {} }); });
    }
    void ptr(const QHostAddress &, std::function<void(const dns::Reply<QString> &)> done) override
    {
        QTimer::singleShot(0, [done] { done(dns::Reply<QString> { dns::Rcode::NxDomain, {}, 0, {} }); });
    }

    QStringList asked;

private:
    QHash<QString, dns::Reply<QByteArray>> m_txt;
};

// Runs verifyDkim and checks the callback contract: not inside the call,
// exactly once. Callers check QTest::currentTestFailed() afterwards.
inline void runVerify(Lookup &dns, const QByteArray &message, DkimVerification *out, const DkimVerifyOptions &opts = {})
{
    int calls = 0;
    verifyDkim(
        dns, message,
        [&calls, out](const DkimVerification &v) {
            ++calls;
            *out = v;
        },
        opts);
    QCOMPARE(calls, 0);
    QTRY_COMPARE(calls, 1);
    QTest::qWait(1);
    QCOMPARE(calls, 1);
}

inline QByteArray crlf(const char *text)
{
    return QByteArray(text).replace("\n", "\r\n");
}

// ---- RFC 8463 Appendix A -------------------------------------------------

// A.1: the Ed25519 secret key is RFC 8032 §7.1 TEST 1's; PKCS#8 wraps the
// 32-byte seed after a fixed 16-byte prefix (RFC 8410 §7).
inline QByteArray rfc8463Ed25519Pem()
{
    const QByteArray seed = QByteArray::fromBase64("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=");
    const QByteArray der = QByteArray::fromHex("302e020100300506032b657004220420") + seed;
    return "-----BEGIN PRIVATE KEY-----\n" + der.toBase64() + "\n-----END PRIVATE KEY-----\n";
}

constexpr char kRfc8463RsaPem[] = "-----BEGIN RSA PRIVATE KEY-----\n"
                                  "MIICXQIBAAKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQi\n"
                                  "Y/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqM\n"
                                  "KrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB\n"
                                  "AoGAH0cxOhFZDgzXWhDhnAJDw5s4roOXN4OhjiXa8W7Y3rhX3FJqmJSPuC8N9vQm\n"
                                  "6SVbaLAE4SG5mLMueHlh4KXffEpuLEiNp9Ss3O4YfLiQpbRqE7Tm5SxKjvvQoZZe\n"
                                  "zHorimOaChRL2it47iuWxzxSiRMv4c+j70GiWdxXnxe4UoECQQDzJB/0U58W7RZy\n"
                                  "6enGVj2kWF732CoWFZWzi1FicudrBFoy63QwcowpoCazKtvZGMNlPWnC7x/6o8Gc\n"
                                  "uSe0ga2xAkEA8C7PipPm1/1fTRQvj1o/dDmZp243044ZNyxjg+/OPN0oWCbXIGxy\n"
                                  "WvmZbXriOWoSALJTjExEgraHEgnXssuk7QJBALl5ICsYMu6hMxO73gnfNayNgPxd\n"
                                  "WFV6Z7ULnKyV7HSVYF0hgYOHjeYe9gaMtiJYoo0zGN+L3AAtNP9huqkWlzECQE1a\n"
                                  "licIeVlo1e+qJ6Mgqr0Q7Aa7falZ448ccbSFYEPD6oFxiOl9Y9se9iYHZKKfIcst\n"
                                  "o7DUw1/hz2Ck4N5JrgUCQQCyKveNvjzkkd8HjYs0SwM0fPjK16//5qDZ2UiDGnOe\n"
                                  "uEzxBDAr518Z8VFbR41in3W4Y3yCDgQlLlcETrS+zYcL\n"
                                  "-----END RSA PRIVATE KEY-----\n";

// A.2: the key records (the RSA one is four character-strings in DNS, joined).
constexpr char kRfc8463Ed25519Record[] = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
constexpr char kRfc8463RsaRecord[] = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR"
                                     "iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutAC"
                                     "DfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3"
                                     "Ip3G+2kryOTIKT+l/K4w3QIDAQAB";

// A.3: the signed message; the unsigned one is RFC 6376 Appendix A.1's.
constexpr char kRfc8463Signatures[] = "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\n"
                                      " d=football.example.com; i=@football.example.com;\n"
                                      " q=dns/txt; s=brisbane; t=1528637909; h=from : to :\n"
                                      " subject : date : message-id : from : subject : date;\n"
                                      " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\n"
                                      " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus\n"
                                      " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==\n"
                                      "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\n"
                                      " d=football.example.com; i=@football.example.com;\n"
                                      " q=dns/txt; s=test; t=1528637909; h=from : to : subject :\n"
                                      " date : message-id : from : subject : date;\n"
                                      " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\n"
                                      " b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3\n"
                                      " DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz\n"
                                      " dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=\n";
constexpr char kRfc6376Message[] = "From: Joe SixPack <joe@football.example.com>\n"
                                   "To: Suzie Q <suzie@shopping.example.net>\n"
                                   "Subject: Is dinner ready?\n"
                                   "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\n"
                                   "Message-ID: <20030712040037.46341.5F8J@football.example.com>\n"
                                   "\n"
                                   "Hi.\n"
                                   "\n"
                                   "We lost the game.  Are you hungry yet?\n"
                                   "\n"
                                   "Joe.\n";
constexpr char kRfc8463Ed25519B[]
    = "/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11BusFa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==";
constexpr char kRfc8463RsaB[]
    = "F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tF"
      "OeS9mPYQTnGdaSGsgeefOsk2JzdA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=";

inline void addRfc8463Keys(FakeLookup &dns)
{
    dns.setTxt(QStringLiteral("brisbane._domainkey.football.example.com"), { kRfc8463Ed25519Record });
    dns.setTxt(QStringLiteral("test._domainkey.football.example.com"), { kRfc8463RsaRecord });
}

// The b= value of the top DKIM-Signature field, whitespace removed.
inline QByteArray bValue(const QByteArray &field)
{
    const qsizetype at = field.indexOf("b=", field.indexOf("bh=") + 3);
    QByteArray v = field.mid(at + 2);
    v = v.left(v.indexOf(';') < 0 ? v.size() : v.indexOf(';'));
    return v.replace("\r\n", "").replace(" ", "").replace("\t", "");
}

} // namespace dkimtest
