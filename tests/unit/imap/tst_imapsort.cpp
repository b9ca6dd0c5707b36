// SORT (RFC 5256, RFC 5957): criteria parsing, the base subject of §2.1 with
// the tricky cases, sort fields from headers, and orders incl. REVERSE and
// the tie-break by id.
#include <QTest>

#include "imap/parser/parser.h"
#include "imap/search/sort.h"
#include "mime/envelope.h"

using namespace mailroom::imap;
using mailroom::mime::HeaderBlock;

namespace
{

Args argsOf(const QByteArray &criteria)
{
    CommandReader reader;
    reader.feed("t SORT " + criteria + "\r\n");
    return reader.next() == CommandReader::Event::Command ? reader.command().args : Args();
}

QDateTime utc(int day, int hour = 0)
{
    return QDateTime(QDate(2021, 5, day), QTime(hour, 0), Qt::UTC);
}

} // namespace

class TestImapSort : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void criteria_data();
    void criteria();
    void baseSubject_data();
    void baseSubject();
    void fields();
    void order_data();
    void order();
};

void TestImapSort::criteria_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("expected"); // empty: refused
    QTest::newRow("one") << QByteArray("(ARRIVAL) UTF-8 ALL") << QByteArray("0");
    QTest::newRow("all keys") << QByteArray("(arrival cc date from size subject to displayfrom displayto) UTF-8 ALL")
                              << QByteArray("0 1 2 3 4 5 6 7 8");
    QTest::newRow("reverse") << QByteArray("(REVERSE DATE SUBJECT REVERSE SIZE) UTF-8 ALL") << QByteArray("-2 5 -4");
    QTest::newRow("empty list") << QByteArray("() UTF-8 ALL") << QByteArray();
    QTest::newRow("not a list") << QByteArray("DATE UTF-8 ALL") << QByteArray();
    QTest::newRow("unknown key") << QByteArray("(DATE COLOR) UTF-8 ALL") << QByteArray();
    QTest::newRow("reverse at end") << QByteArray("(DATE REVERSE) UTF-8 ALL") << QByteArray();
    QTest::newRow("reverse twice") << QByteArray("(REVERSE REVERSE DATE) UTF-8 ALL") << QByteArray();
    QTest::newRow("quoted key") << QByteArray("(\"DATE\") UTF-8 ALL") << QByteArray();
}

void TestImapSort::criteria()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, expected);
    QList<SortKey> keys;
    QByteArray error;
    const bool ok = parseSortCriteria(argsOf(text), 0, &keys, &error);
    QCOMPARE(ok, !expected.isEmpty());
    if (!ok) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QByteArrayList got;
    for (const SortKey &k : keys)
        got << (k.reverse ? "-" : "") + QByteArray::number(int(k.field));
    QCOMPARE(got.join(' '), expected);
}

void TestImapSort::baseSubject_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("base");
    QTest::addColumn<bool>("reply");
    const auto s = [](const char *t) { return QString::fromUtf8(t); };

    QTest::newRow("plain") << s("Hello") << s("Hello") << false;
    QTest::newRow("re") << s("Re: Hello") << s("Hello") << true;
    QTest::newRow("RE no space") << s("RE:Hello") << s("Hello") << true;
    QTest::newRow("re re") << s("Re: re: Hello") << s("Hello") << true;
    QTest::newRow("fw") << s("Fw: Hello") << s("Hello") << true;
    QTest::newRow("fwd") << s("FWD: Hello") << s("Hello") << true;
    QTest::newRow("re with space before colon") << s("Re : Hello") << s("Hello") << true;
    QTest::newRow("re with blob") << s("Re[2]: Hello") << s("Hello") << true;
    QTest::newRow("re with spaced blob") << s("Re [list] : Hello") << s("Hello") << true;
    QTest::newRow("blob then re") << s("[list] Re: Hello") << s("Hello") << true;
    QTest::newRow("two blobs then re") << s("[a][b] Re: Hello") << s("Hello") << true;
    QTest::newRow("fwd blob re") << s("Fwd: [list] Re: Hello") << s("Hello") << true;
    QTest::newRow("leading blob") << s("[list] Hello") << s("Hello") << false;
    QTest::newRow("blob kept when alone") << s("[list]") << s("[list]") << false;
    QTest::newRow("last blob kept") << s("[a] [b]") << s("[b]") << false;
    QTest::newRow("re then lone blob") << s("Re: [list]") << s("[list]") << true;
    QTest::newRow("blob with brackets inside is not a blob") << s("[a[b] Hello") << s("[a[b] Hello") << false;
    QTest::newRow("trailer fwd") << s("Hello (fwd)") << s("Hello") << true;
    QTest::newRow("trailers repeated") << s("Hello (fwd) (FWD)  ") << s("Hello") << true;
    QTest::newRow("fwd wrapper") << s("[Fwd: Hello]") << s("Hello") << true;
    QTest::newRow("fwd wrapper nested") << s("[fwd: [Fwd: Re: Hello]]") << s("Hello") << true;
    QTest::newRow("re then fwd wrapper") << s("Re: [Fwd: Hello (fwd)]") << s("Hello") << true;
    QTest::newRow("fwd wrapper with trailer outside") << s("[Fwd: Hello] (fwd)") << s("Hello") << true;
    QTest::newRow("wrapper-like blob removed") << s("[Fwd: Hello] world") << s("world") << false;
    QTest::newRow("whitespace collapsed") << s("  Hello \t  \r\n world  ") << s("Hello world") << false;
    QTest::newRow("re-ish word kept") << s("Ref: Hello") << s("Ref: Hello") << false;
    QTest::newRow("Re without colon kept") << s("Re Hello") << s("Re Hello") << false;
    QTest::newRow("only re") << s("Re:") << s("") << true;
    QTest::newRow("re fwd trailer empty") << s("Re: (fwd)") << s("") << true;
    QTest::newRow("empty") << s("") << s("") << false;
    QTest::newRow("non-ASCII") << s("AW: Re: Grüße") << s("AW: Re: Grüße") << false;
    QTest::newRow("non-ASCII after re") << s("Re: Grüße") << s("Grüße") << true;
    QTest::newRow("case kept") << s("re: HeLLo") << s("HeLLo") << true;
}

void TestImapSort::baseSubject()
{
    QFETCH(QString, subject);
    QFETCH(QString, base);
    QFETCH(bool, reply);
    bool isReply = !reply;
    QCOMPARE(mailroom::imap::baseSubject(subject, &isReply), base);
    QCOMPARE(isReply, reply);
}

void TestImapSort::fields()
{
    const HeaderBlock h = HeaderBlock::parse("From: \"Zed, Ann\" <Ann.Zed@Example.COM>\r\n"
                                             "To: Team: Bob <bob@x.test>, carol@x.test;\r\n"
                                             "Cc: =?utf-8?q?=C3=89mile?= <EMILE@x.test>, d@x.test\r\n"
                                             "Subject: =?utf-8?q?Re=3A_=5Blist=5D_Caf=C3=A9?=\r\n"
                                             "Date: Tue, 4 May 2021 10:00:00 +0200\r\n\r\n",
        nullptr);
    const SortFields f = sortFieldsFrom(h, 7, 1234, utc(5));
    QCOMPARE(f.id, qint64(7));
    QCOMPARE(f.size, qint64(1234));
    QCOMPARE(f.arrival, utc(5));
    QCOMPARE(f.sent, QDateTime(QDate(2021, 5, 4), QTime(8, 0), Qt::UTC));
    QCOMPARE(f.from, QStringLiteral("ann.zed"));
    QCOMPARE(f.to, QStringLiteral("team")); // a group's start: its name is the mailbox
    QCOMPARE(f.cc, QStringLiteral("emile"));
    QCOMPARE(f.subject, QString::fromUtf8("café"));
    QCOMPARE(f.displayFrom, QStringLiteral("zed, ann"));
    QCOMPARE(f.displayTo, QStringLiteral("team"));

    const SortFields bare
        = sortFieldsFrom(HeaderBlock::parse("From: x@Y.test\r\nDate: junk\r\n\r\n", nullptr), 1, 0, utc(9, 3));
    QCOMPARE(bare.sent, utc(9, 3)); // RFC 5256: no usable Date, the internal date stands in
    QCOMPARE(bare.displayFrom, QStringLiteral("x@y.test"));
    QVERIFY(bare.to.isEmpty());
    QVERIFY(bare.subject.isEmpty());

    // From the store's cached Date text and decoded subject: the same
    // values for the keys it serves.
    using F = SortKey::Field;
    const QList<SortKey> both { { F::Date, false }, { F::Subject, true } };
    const SortFields c = sortFieldsFromCache(
        QString::fromLatin1(h.value("Date")), mailroom::mime::decodedSubject(h), 7, 1234, utc(5), both);
    QCOMPARE(c.sent, f.sent);
    QCOMPARE(c.subject, f.subject);
    QCOMPARE(c.arrival, f.arrival);
    QCOMPARE(c.size, f.size);
    QCOMPARE(sortFieldsFromCache(QStringLiteral("junk"), {}, 1, 0, utc(9, 3), both).sent, utc(9, 3));
    // Only what the keys ask for is worked out.
    const SortFields dateOnly = sortFieldsFromCache(QString::fromLatin1(h.value("Date")),
        mailroom::mime::decodedSubject(h), 7, 1234, utc(5), { { F::Date, false } });
    QCOMPARE(dateOnly.sent, f.sent);
    QVERIFY(dateOnly.subject.isEmpty());
    QVERIFY(sortableFromCache({ { F::Date, false }, { F::Subject, true }, { F::Arrival, false }, { F::Size, false } }));
    QVERIFY(!sortableFromCache({ { F::Date, false }, { F::From, false } }));
    QVERIFY(!sortableFromCache({ { F::DisplayTo, false } }));
}

void TestImapSort::order_data()
{
    QTest::addColumn<QByteArray>("criteria");
    QTest::addColumn<QList<qint64>>("ids");
    using L = QList<qint64>;
    // id size arrival sent  from  to    cc    subject  displayFrom
    //  1  300  day 3   day 1 bob   zed   ""    "b"      "Bob"
    //  2  100  day 1   day 2 alice amy   carl  "a"      "zz"
    //  3  300  day 2   day 1 bob   amy   ""    "b"      "alice"
    //  4  200  day 1   day 3 carol ""    ann   "a"      "Bob"
    QTest::newRow("ARRIVAL, ties by id") << QByteArray("(ARRIVAL)") << L { 2, 4, 3, 1 };
    QTest::newRow("REVERSE ARRIVAL") << QByteArray("(REVERSE ARRIVAL)") << L { 1, 3, 2, 4 };
    QTest::newRow("DATE") << QByteArray("(DATE)") << L { 1, 3, 2, 4 };
    QTest::newRow("REVERSE DATE, ties still ascending") << QByteArray("(REVERSE DATE)") << L { 4, 2, 1, 3 };
    QTest::newRow("SIZE") << QByteArray("(SIZE)") << L { 2, 4, 1, 3 };
    QTest::newRow("REVERSE SIZE ARRIVAL") << QByteArray("(REVERSE SIZE ARRIVAL)") << L { 3, 1, 4, 2 };
    QTest::newRow("FROM") << QByteArray("(FROM)") << L { 2, 1, 3, 4 };
    QTest::newRow("TO, empty first") << QByteArray("(TO)") << L { 4, 2, 3, 1 };
    QTest::newRow("CC") << QByteArray("(CC)") << L { 1, 3, 4, 2 };
    QTest::newRow("SUBJECT DATE") << QByteArray("(SUBJECT DATE)") << L { 2, 4, 1, 3 };
    QTest::newRow("SUBJECT REVERSE DATE") << QByteArray("(SUBJECT REVERSE DATE)") << L { 4, 2, 1, 3 };
    QTest::newRow("REVERSE SUBJECT") << QByteArray("(REVERSE SUBJECT)") << L { 1, 3, 2, 4 };
    QTest::newRow("DISPLAYFROM") << QByteArray("(DISPLAYFROM)") << L { 3, 1, 4, 2 };
    QTest::newRow("DISPLAYFROM REVERSE SIZE") << QByteArray("(DISPLAYFROM REVERSE SIZE)") << L { 3, 1, 4, 2 };
    QTest::newRow("DISPLAYTO") << QByteArray("(DISPLAYTO)") << L { 1, 2, 3, 4 };
}

void TestImapSort::order()
{
    QFETCH(QByteArray, criteria);
    QFETCH(QList<qint64>, ids);
    const auto row = [](qint64 id, qint64 size, int arrival, int sent, const char *from, const char *to, const char *cc,
                         const char *subject, const char *display) {
        SortFields f;
        f.id = id;
        f.size = size;
        f.arrival = utc(arrival);
        f.sent = utc(sent);
        f.from = QString::fromLatin1(from);
        f.to = QString::fromLatin1(to);
        f.cc = QString::fromLatin1(cc);
        f.subject = QString::fromLatin1(subject);
        f.displayFrom = QString::fromLatin1(display).toCaseFolded();
        return f;
    };
    // Given out of order on purpose: the result must not depend on it.
    const QList<SortFields> messages { row(3, 300, 2, 1, "bob", "amy", "", "b", "alice"),
        row(1, 300, 3, 1, "bob", "zed", "", "b", "Bob"), row(4, 200, 1, 3, "carol", "", "ann", "a", "Bob"),
        row(2, 100, 1, 2, "alice", "amy", "carl", "a", "zz") };
    QList<SortKey> keys;
    QByteArray error;
    QVERIFY2(parseSortCriteria(argsOf(criteria + " UTF-8 ALL"), 0, &keys, &error), error.constData());
    QCOMPARE(sortMessages(messages, keys), ids);
}

QTEST_GUILESS_MAIN(TestImapSort)
#include "tst_imapsort.moc"
