// SEARCH evaluation against hand-made messages through a test SearchSubject:
// flags, keywords, sizes, sets, MODSEQ, internal and sent dates, RFC 2047
// headers, every occurrence of a field, MIME bodies (quoted-printable,
// base64, HTML, embedded messages, attachments skipped), non-ASCII case
// folding, and that cheap keys never load the message.
#include <optional>

#include <QElapsedTimer>
#include <QTest>
#include <QTimeZone>

#include "imap/parser/parser.h"
#include "imap/search/matcher.h"

using namespace mailroom::imap;

namespace
{

class FakeSubject : public SearchSubject
{
public:
    qint64 seq() const override
    {
        return m_seq;
    }
    qint64 uid() const override
    {
        return m_uid;
    }
    quint32 flags() const override
    {
        return m_flags;
    }
    const QStringList &keywords() const override
    {
        return m_keywords;
    }
    qint64 size() const override
    {
        return m_size;
    }
    QDateTime internalDate() const override
    {
        return m_internal;
    }
    qint64 modseq() const override
    {
        return m_modseq;
    }
    const QByteArray &message() override
    {
        ++m_loads;
        return m_message;
    }
    const QString *cachedField(const QByteArray &name) const override
    {
        return m_cachedSubject && name.compare("subject", Qt::CaseInsensitive) == 0 ? &*m_cachedSubject : nullptr;
    }

    qint64 m_seq = 0;
    qint64 m_uid = 0;
    quint32 m_flags = 0;
    QStringList m_keywords;
    qint64 m_size = 0;
    QDateTime m_internal;
    qint64 m_modseq = 0;
    QByteArray m_message;
    std::optional<QString> m_cachedSubject;
    int m_loads = 0;
};

SearchQuery queryOf(const QByteArray &criteria)
{
    CommandReader reader;
    reader.feed("t SEARCH " + criteria + "\r\n");
    SearchQuery q;
    QByteArray error;
    if (reader.next() != CommandReader::Event::Command || !parseSearch(reader.command().args, 0, &q, &error, nullptr))
        qWarning() << "bad criteria" << criteria << reader.error() << error;
    return q;
}

QList<FakeSubject> mailbox()
{
    QList<FakeSubject> box(3);
    FakeSubject &m1 = box[0];
    m1.m_seq = 1;
    m1.m_uid = 10;
    m1.m_flags = FlagSeen | FlagFlagged;
    m1.m_keywords = QStringList { QStringLiteral("$Forwarded") };
    m1.m_size = 500;
    m1.m_internal = QDateTime(QDate(2020, 3, 1), QTime(23, 30), Qt::UTC);
    m1.m_modseq = 100;
    m1.m_message = "From: =?utf-8?q?J=C3=BCrgen?= M\xc3\xbcller <jm@example.de>\r\n"
                   "To: alice@example.com, bob@example.com\r\n"
                   "Cc: carol@x.test\r\n"
                   "Subject: =?iso-8859-1?q?Gr=FC=DFe?= aus Berlin\r\n"
                   "Date: Sun, 01 Mar 2020 23:00:00 -0800\r\n"
                   "X-Spam: no\r\n"
                   "X-Spam: maybe\r\n"
                   "\r\n"
                   "Hello World\r\nStra\xc3\x9f"
                   "e\r\n";

    FakeSubject &m2 = box[1];
    m2.m_seq = 2;
    m2.m_uid = 20;
    m2.m_flags = FlagRecent | FlagAnswered;
    m2.m_size = 5000;
    m2.m_internal = QDateTime(QDate(2020, 3, 2), QTime(0, 10), Qt::UTC);
    m2.m_modseq = 200;
    m2.m_message = "From: shop@example.com\r\n"
                   "Subject: Coffee\r\n"
                   "MIME-Version: 1.0\r\n"
                   "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
                   "\r\n"
                   "--outer\r\n"
                   "Content-Type: multipart/alternative; boundary=\"alt\"\r\n"
                   "\r\n"
                   "--alt\r\n"
                   "Content-Type: text/plain; charset=utf-8\r\n"
                   "Content-Transfer-Encoding: quoted-printable\r\n"
                   "\r\n"
                   "caf=C3=A9 latte\r\n"
                   "--alt\r\n"
                   "Content-Type: text/html; charset=utf-8\r\n"
                   "Content-Transfer-Encoding: base64\r\n"
                   "\r\n"
                   "PHA+T25seSBpbiA8Yj5IVE1MPC9iPiB2ZXJzaW9uPC9wPg==\r\n" // <p>Only in <b>HTML</b> version</p>
                   "--alt--\r\n"
                   "--outer\r\n"
                   "Content-Type: application/octet-stream\r\n"
                   "Content-Transfer-Encoding: base64\r\n"
                   "\r\n"
                   "c2VjcmV0d29yZA==\r\n" // secretword
                   "--outer\r\n"
                   "Content-Type: message/rfc822\r\n"
                   "\r\n"
                   "Subject: Inner subject\r\n"
                   "\r\n"
                   "inner body text\r\n"
                   "--outer--\r\n";

    FakeSubject &m3 = box[2];
    m3.m_seq = 3;
    m3.m_uid = 30;
    m3.m_flags = FlagDeleted | FlagDraft;
    m3.m_size = 50;
    m3.m_internal = QDateTime(QDate(2020, 3, 1), QTime(1, 0), QTimeZone(7200)); // 2020-02-29 23:00 UTC
    m3.m_modseq = 50;
    m3.m_message = "Subject: plain\r\nDate: sometime last week\r\n\r\nbody three\r\n";
    return box;
}

} // namespace

class TestImapMatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void match_data();
    void match();
    void cheapKeysDoNotLoad();
    void cachedSubject();
    void manySubjects();
};

void TestImapMatcher::match_data()
{
    QTest::addColumn<QByteArray>("criteria");
    QTest::addColumn<QList<qint64>>("uids");
    using L = QList<qint64>;

    QTest::newRow("ALL") << QByteArray("ALL") << L { 10, 20, 30 };
    QTest::newRow("SEEN") << QByteArray("SEEN") << L { 10 };
    QTest::newRow("UNSEEN") << QByteArray("UNSEEN") << L { 20, 30 };
    QTest::newRow("NEW") << QByteArray("NEW") << L { 20 };
    QTest::newRow("OLD") << QByteArray("OLD") << L { 10, 30 };
    QTest::newRow("RECENT") << QByteArray("RECENT") << L { 20 };
    QTest::newRow("ANSWERED") << QByteArray("ANSWERED") << L { 20 };
    QTest::newRow("UNANSWERED") << QByteArray("UNANSWERED") << L { 10, 30 };
    QTest::newRow("DELETED") << QByteArray("DELETED") << L { 30 };
    QTest::newRow("UNDELETED") << QByteArray("UNDELETED") << L { 10, 20 };
    QTest::newRow("DRAFT") << QByteArray("DRAFT") << L { 30 };
    QTest::newRow("UNDRAFT") << QByteArray("UNDRAFT") << L { 10, 20 };
    QTest::newRow("FLAGGED") << QByteArray("FLAGGED") << L { 10 };
    QTest::newRow("UNFLAGGED") << QByteArray("UNFLAGGED") << L { 20, 30 };
    QTest::newRow("KEYWORD any case") << QByteArray("KEYWORD $forwarded") << L { 10 };
    QTest::newRow("UNKEYWORD") << QByteArray("UNKEYWORD $Forwarded") << L { 20, 30 };
    QTest::newRow("LARGER") << QByteArray("LARGER 500") << L { 20 };
    QTest::newRow("SMALLER") << QByteArray("SMALLER 500") << L { 30 };
    QTest::newRow("UID range to star") << QByteArray("UID 20:*") << L { 20, 30 };
    QTest::newRow("UID star") << QByteArray("UID *") << L { 30 };
    QTest::newRow("sequence set") << QByteArray("1,3") << L { 10, 30 };
    QTest::newRow("sequence star") << QByteArray("2:*") << L { 20, 30 };
    QTest::newRow("MODSEQ") << QByteArray("MODSEQ 100") << L { 10, 20 };
    QTest::newRow("SINCE") << QByteArray("SINCE 1-Mar-2020") << L { 10, 20 };
    QTest::newRow("ON uses UTC date") << QByteArray("ON 1-Mar-2020") << L { 10 };
    QTest::newRow("BEFORE") << QByteArray("BEFORE 1-Mar-2020") << L { 30 };
    QTest::newRow("SENTON sender's date") << QByteArray("SENTON 1-Mar-2020") << L { 10 };
    QTest::newRow("SENTBEFORE") << QByteArray("SENTBEFORE 2-Mar-2020") << L { 10, 30 };
    QTest::newRow("SENTSINCE, no Date uses internal") << QByteArray("SENTSINCE 2-Mar-2020") << L { 20 };
    QTest::newRow("FROM encoded word") << QByteArray("FROM j\xc3\xbcrgen") << L { 10 };
    QTest::newRow("FROM non-ASCII case") << QByteArray("FROM \"J\xc3\x9cRGEN M\xc3\x9cLLER\"") << L { 10 };
    QTest::newRow("FROM address") << QByteArray("FROM JM@EXAMPLE") << L { 10 };
    QTest::newRow("SUBJECT latin-1 word") << QByteArray("SUBJECT \"gr\xc3\xbc\xc3\x9f"
                                                        "e aus\"")
                                          << L { 10 };
    QTest::newRow("SUBJECT empty: has field") << QByteArray("SUBJECT \"\"") << L { 10, 20, 30 };
    QTest::newRow("TO second address") << QByteArray("TO bob") << L { 10 };
    QTest::newRow("CC") << QByteArray("CC carol") << L { 10 };
    QTest::newRow("BCC none") << QByteArray("BCC x") << L {};
    QTest::newRow("HEADER second occurrence") << QByteArray("HEADER X-Spam maybe") << L { 10 };
    QTest::newRow("HEADER present") << QByteArray("HEADER x-spam \"\"") << L { 10 };
    QTest::newRow("HEADER Date present") << QByteArray("HEADER Date \"\"") << L { 10, 30 };
    QTest::newRow("HEADER absent") << QByteArray("HEADER X-None \"\"") << L {};
    QTest::newRow("BODY plain") << QByteArray("BODY \"hello world\"") << L { 10 };
    QTest::newRow("BODY non-ASCII") << QByteArray("BODY STRA\xc3\x9f"
                                                  "E")
                                    << L { 10 };
    QTest::newRow("BODY quoted-printable") << QByteArray("BODY \"CAF\xc3\x89 LATTE\"") << L { 20 };
    QTest::newRow("BODY base64 html") << QByteArray("BODY \"html version\"") << L { 20 };
    QTest::newRow("BODY not in tags") << QByteArray("BODY \"<p>\"") << L {};
    QTest::newRow("BODY skips attachments") << QByteArray("BODY secretword") << L {};
    QTest::newRow("BODY embedded body") << QByteArray("BODY \"inner body\"") << L { 20 };
    QTest::newRow("BODY embedded headers") << QByteArray("BODY \"inner subject\"") << L { 20 };
    QTest::newRow("SUBJECT top level only") << QByteArray("SUBJECT inner") << L {};
    QTest::newRow("BODY not headers") << QByteArray("BODY coffee") << L {};
    QTest::newRow("TEXT header") << QByteArray("TEXT coffee") << L { 20 };
    QTest::newRow("TEXT field name") << QByteArray("TEXT \"x-spam: maybe\"") << L { 10 };
    QTest::newRow("TEXT body") << QByteArray("TEXT \"body three\"") << L { 30 };
    QTest::newRow("OR") << QByteArray("OR SEEN DELETED") << L { 10, 30 };
    QTest::newRow("NOT OR") << QByteArray("NOT OR SEEN DELETED") << L { 20 };
    QTest::newRow("OR group body") << QByteArray("OR (SEEN FLAGGED) BODY latte") << L { 10, 20 };
    QTest::newRow("AND mixed") << QByteArray("UNDELETED SUBJECT e") << L { 10, 20 };
}

void TestImapMatcher::match()
{
    QFETCH(QByteArray, criteria);
    QFETCH(QList<qint64>, uids);
    const SearchQuery q = queryOf(criteria);
    QList<FakeSubject> box = mailbox();
    QList<qint64> got;
    for (FakeSubject &s : box)
        if (matches(q, s, 3, 30))
            got.append(s.uid());
    QCOMPARE(got, uids);
}

void TestImapMatcher::cheapKeysDoNotLoad()
{
    QList<FakeSubject> box = mailbox();
    // UNSEEN fails first for message 1, so its BODY is never looked at.
    QVERIFY(!matches(queryOf("BODY hello UNSEEN"), box[0], 3, 30));
    QCOMPARE(box[0].m_loads, 0);
    QVERIFY(matches(queryOf("OR SEEN BODY x"), box[0], 3, 30));
    QCOMPARE(box[0].m_loads, 0);
    QVERIFY(!matches(queryOf("SUBJECT a LARGER 100000 BODY b"), box[0], 3, 30));
    QCOMPARE(box[0].m_loads, 0);
    QVERIFY(matches(queryOf("FROM jm TO bob CC carol SUBJECT berlin"), box[0], 3, 30));
    QCOMPARE(box[0].m_loads, 1); // the header block is parsed once for all four keys
}

void TestImapMatcher::cachedSubject()
{
    QList<FakeSubject> box = mailbox();
    FakeSubject &m = box[0];
    m.m_cachedSubject = QString::fromUtf8("Gr\xc3\xbc\xc3\x9f"
                                          "e aus Berlin"); // decoded, as the store keeps it
    // SUBJECT and HEADER SUBJECT are answered from the cache ...
    QVERIFY(matches(queryOf("SUBJECT \"AUS berlin\""), m, 3, 30));
    QVERIFY(matches(queryOf("HEADER Subject gr\xc3\xbc\xc3\x9f"
                            "e"),
        m, 3, 30));
    QVERIFY(!matches(queryOf("SUBJECT munich"), m, 3, 30));
    QCOMPARE(m.m_loads, 0);
    // ... but not a needle whose whitespace the cache has collapsed, nor
    // another field.
    QVERIFY(!matches(queryOf("SUBJECT \"aus  berlin\""), m, 3, 30));
    QCOMPARE(m.m_loads, 1);
    QVERIFY(matches(queryOf("HEADER X-Spam maybe"), m, 3, 30));
}

void TestImapMatcher::manySubjects()
{
    // Not a benchmark: shows that a header search over a big mailbox stays linear.
    QList<FakeSubject> box(10000);
    for (int i = 0; i < box.size(); ++i) {
        FakeSubject &s = box[i];
        s.m_seq = i + 1;
        s.m_uid = i + 1;
        s.m_internal = QDateTime(QDate(2021, 1, 1), QTime(0, 0), Qt::UTC);
        s.m_message = "From: user" + QByteArray::number(i) + "@example.com\r\nSubject: =?utf-8?q?Report_"
            + QByteArray::number(i) + "?= weekly\r\n\r\nbody " + QByteArray::number(i) + "\r\n";
    }
    const SearchQuery q = queryOf("SUBJECT \"report 99\"");
    QElapsedTimer timer;
    timer.start();
    int hits = 0;
    for (FakeSubject &s : box)
        hits += matches(q, s, box.size(), box.size()) ? 1 : 0;
    qDebug() << "10000 subjects searched in" << timer.elapsed() << "ms";
    QCOMPARE(hits, 111); // 99, 990-999, 9900-9999
}

QTEST_GUILESS_MAIN(TestImapMatcher)
#include "tst_imapmatcher.moc"
