// Wire-level answer parsing without a server: the negative TTL from an SOA in
// the authority section (RFC 2308 §5), positive TTLs, and every truncation of
// an answer fed to every parser (must fail cleanly, never read past the end).
// Trust level: test code.
#include <QTest>

#include <ares.h>

#include "dns/answer.h"
#include "dns/names.h"
#include "dns/wire.h"

using namespace mailroom::dns;

namespace
{

QByteArray u16(int v)
{
    return QByteArray(1, char((v >> 8) & 0xff)) + char(v & 0xff);
}

QByteArray u32(quint32 v)
{
    return u16(int(v >> 16)) + u16(int(v & 0xffff));
}

// NXDOMAIN for nx.example.test/A with example.test SOA (TTL 3600, MINIMUM 300).
QByteArray nxdomainWithSoa()
{
    QByteArray m = u16(0x1234) + u16(0x8183) + u16(1) + u16(0) + u16(1) + u16(0);
    m += QByteArray("\x02nx\x07"
                    "example\x04test",
             16)
        + char(0) + u16(1) + u16(1);
    QByteArray rdata = QByteArray("\x02ns\xc0\x0f", 5) + QByteArray("\x0ahostmaster\xc0\x0f", 13);
    rdata += u32(1) + u32(7200) + u32(900) + u32(1209600) + u32(300);
    m += QByteArray("\xc0\x0f", 2) + u16(6) + u16(1) + u32(3600) + u16(int(rdata.size())) + rdata;
    return m;
}

// example.test/MX: two records, TTLs 500 and 200.
QByteArray mxAnswer()
{
    QByteArray m = u16(0x4321) + u16(0x8180) + u16(1) + u16(2) + u16(0) + u16(0);
    m += QByteArray("\x07"
                    "example\x04test",
             13)
        + char(0) + u16(15) + u16(1);
    const QByteArray mx1 = u16(10) + QByteArray("\x03mx1\xc0\x0c", 6);
    const QByteArray mx2 = u16(5) + QByteArray("\x03MX2\xc0\x0c", 6);
    m += QByteArray("\xc0\x0c", 2) + u16(15) + u16(1) + u32(500) + u16(int(mx1.size())) + mx1;
    m += QByteArray("\xc0\x0c", 2) + u16(15) + u16(1) + u32(200) + u16(int(mx2.size())) + mx2;
    return m;
}

const unsigned char *bytes(const QByteArray &a)
{
    return reinterpret_cast<const unsigned char *>(a.constData());
}

} // namespace

class TestDnsAnswer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void negativeTtlFromSoa();
    void positiveTtl();
    void truncatedMessages();
    void reverseNames();
};

void TestDnsAnswer::negativeTtlFromSoa()
{
    const QByteArray m = nxdomainWithSoa();
    QCOMPARE(negativeTtl(bytes(m), int(m.size())), std::optional<quint32>(300));
    const AnyReply r = parseAnswer(QueryType::A, ARES_ENOTFOUND, bytes(m), int(m.size()));
    QCOMPARE(rcodeOf(r), Rcode::NxDomain);
    QCOMPARE(ttlOf(r), 300u);
    // Without a message the default of 60 s applies.
    QCOMPARE(ttlOf(parseAnswer(QueryType::Mx, ARES_ENODATA, nullptr, 0)), 60u);
}

void TestDnsAnswer::positiveTtl()
{
    const QByteArray m = mxAnswer();
    QCOMPARE(answerTtl(bytes(m), int(m.size()), 15), std::optional<quint32>(200));
    const AnyReply r = parseAnswer(QueryType::Mx, ARES_SUCCESS, bytes(m), int(m.size()));
    QCOMPARE(rcodeOf(r), Rcode::Ok);
    const auto &mx = std::get<Reply<MxRecord>>(r);
    QCOMPARE(mx.ttl, 200u);
    QCOMPARE(mx.records.size(), 2);
    QCOMPARE(mx.records[0].exchange, QStringLiteral("mx2.example.test"));
    QCOMPARE(mx.records[0].preference, 5);
    QCOMPARE(mx.records[1].exchange, QStringLiteral("mx1.example.test"));
}

void TestDnsAnswer::truncatedMessages()
{
    // Every prefix, copied so that ASan sees a read past its end.
    for (const QByteArray &whole : { nxdomainWithSoa(), mxAnswer() }) {
        for (qsizetype n = 0; n < whole.size(); ++n) {
            const std::vector<unsigned char> part(whole.begin(), whole.begin() + n);
            const unsigned char *p = part.empty() ? nullptr : part.data();
            (void)answerTtl(p, int(n), 15);
            (void)negativeTtl(p, int(n));
            for (QueryType t : { QueryType::A, QueryType::Aaaa, QueryType::Mx, QueryType::Txt, QueryType::Ptr }) {
                const AnyReply r = parseAnswer(t, ARES_SUCCESS, p, int(n));
                QVERIFY2(rcodeOf(r) != Rcode::Ok, qPrintable(QString::number(n)));
            }
        }
    }
}

void TestDnsAnswer::reverseNames()
{
    QCOMPARE(
        reverseName(QHostAddress(QStringLiteral("192.0.2.7"))), std::optional<QByteArray>("7.2.0.192.in-addr.arpa"));
    QCOMPARE(reverseName(QHostAddress(QStringLiteral("2001:db8::567:89ab"))),
        std::optional<QByteArray>("b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"));
    QCOMPARE(reverseName(QHostAddress()), std::optional<QByteArray>());
    QCOMPARE(normalizeName(QStringLiteral("Mail.Example.COM.")), std::optional<QByteArray>("mail.example.com"));
    QCOMPARE(normalizeName(QStringLiteral("xn--bcher-kva.test")), std::optional<QByteArray>("xn--bcher-kva.test"));
}

QTEST_GUILESS_MAIN(TestDnsAnswer)
#include "tst_dnsanswer.moc"
