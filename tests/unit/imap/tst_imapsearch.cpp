// SEARCH criteria parsing: every key of RFC 3501/9051 §6.4.4, nesting, OR and
// NOT binding, strings as atoms, quoted strings and literals, RETURN options
// (RFC 4731), MODSEQ (RFC 7162), CHARSET, and the errors. Arguments come from
// the real command reader, so the tests see what a session would.
#include <QTest>

#include "imap/parser/parser.h"
#include "imap/search/searchkey.h"

using namespace mailroom::imap;

namespace
{

Args argsOf(const QByteArray &criteria)
{
    CommandReader reader;
    reader.feed("t SEARCH " + criteria + "\r\n");
    for (;;) {
        switch (reader.next()) {
        case CommandReader::Event::Command:
            return reader.command().args;
        case CommandReader::Event::Continue:
            continue;
        default:
            qWarning() << "reader refused" << criteria << reader.error();
            return {};
        }
    }
}

} // namespace

class TestImapSearch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keys_data();
    void keys();
    void errors_data();
    void errors();
    void returnOptions_data();
    void returnOptions();
    void charset_data();
    void charset();
    void sortCriteriaCharset();
    void queryInfo_data();
    void queryInfo();
    void depthBound();
};

void TestImapSearch::keys_data()
{
    QTest::addColumn<QByteArray>("criteria");
    QTest::addColumn<QByteArray>("expected"); // describe(root)

    QTest::newRow("ALL") << QByteArray("ALL") << QByteArray("(ALL)");
    QTest::newRow("ANSWERED") << QByteArray("ANSWERED") << QByteArray("(ANSWERED)");
    QTest::newRow("DELETED") << QByteArray("DELETED") << QByteArray("(DELETED)");
    QTest::newRow("DRAFT") << QByteArray("DRAFT") << QByteArray("(DRAFT)");
    QTest::newRow("FLAGGED") << QByteArray("FLAGGED") << QByteArray("(FLAGGED)");
    QTest::newRow("NEW") << QByteArray("NEW") << QByteArray("(UNSEEN+RECENT)");
    QTest::newRow("OLD") << QByteArray("OLD") << QByteArray("(UNRECENT)");
    QTest::newRow("RECENT") << QByteArray("RECENT") << QByteArray("(RECENT)");
    QTest::newRow("SEEN") << QByteArray("SEEN") << QByteArray("(SEEN)");
    QTest::newRow("UNANSWERED") << QByteArray("UNANSWERED") << QByteArray("(UNANSWERED)");
    QTest::newRow("UNDELETED") << QByteArray("UNDELETED") << QByteArray("(UNDELETED)");
    QTest::newRow("UNDRAFT") << QByteArray("UNDRAFT") << QByteArray("(UNDRAFT)");
    QTest::newRow("UNFLAGGED") << QByteArray("UNFLAGGED") << QByteArray("(UNFLAGGED)");
    QTest::newRow("UNSEEN") << QByteArray("UNSEEN") << QByteArray("(UNSEEN)");
    QTest::newRow("lower case") << QByteArray("unseen") << QByteArray("(UNSEEN)");
    QTest::newRow("BCC") << QByteArray("BCC x") << QByteArray("(HEADER Bcc \"x\")");
    QTest::newRow("CC") << QByteArray("CC x") << QByteArray("(HEADER Cc \"x\")");
    QTest::newRow("FROM") << QByteArray("FROM Bob") << QByteArray("(HEADER From \"bob\")");
    QTest::newRow("SUBJECT quoted") << QByteArray("SUBJECT \"Hello World\"")
                                    << QByteArray("(HEADER Subject \"hello world\")");
    QTest::newRow("TO") << QByteArray("TO x") << QByteArray("(HEADER To \"x\")");
    QTest::newRow("BODY") << QByteArray("BODY x") << QByteArray("(BODY \"x\")");
    QTest::newRow("TEXT") << QByteArray("TEXT x") << QByteArray("(TEXT \"x\")");
    QTest::newRow("HEADER") << QByteArray("HEADER X-Spam yes") << QByteArray("(HEADER X-Spam \"yes\")");
    QTest::newRow("HEADER empty string") << QByteArray("HEADER List-Id \"\"") << QByteArray("(HEADER List-Id \"\")");
    QTest::newRow("literal") << QByteArray("SUBJECT {5+}\r\nH\xc3\xa9LO")
                             << QByteArray("(HEADER Subject \"h\xc3\xa9lo\")");
    QTest::newRow("utf-8 folded") << QByteArray("CHARSET UTF-8 SUBJECT \"\xc3\x84RGER\"")
                                  << QByteArray("(HEADER Subject \"\xc3\xa4rger\")");
    QTest::newRow("BEFORE") << QByteArray("BEFORE 1-Feb-1994") << QByteArray("(BEFORE 1994-02-01)");
    QTest::newRow("ON quoted date") << QByteArray("ON \"01-Feb-1994\"") << QByteArray("(ON 1994-02-01)");
    QTest::newRow("SINCE") << QByteArray("SINCE 1-Feb-1994") << QByteArray("(SINCE 1994-02-01)");
    QTest::newRow("SENTBEFORE") << QByteArray("SENTBEFORE 1-Feb-1994") << QByteArray("(SENTBEFORE 1994-02-01)");
    QTest::newRow("SENTON") << QByteArray("SENTON 1-Feb-1994") << QByteArray("(SENTON 1994-02-01)");
    QTest::newRow("SENTSINCE") << QByteArray("SENTSINCE 1-Feb-1994") << QByteArray("(SENTSINCE 1994-02-01)");
    QTest::newRow("KEYWORD") << QByteArray("KEYWORD $Forwarded") << QByteArray("(KEYWORD $Forwarded)");
    QTest::newRow("UNKEYWORD") << QByteArray("UNKEYWORD Junk") << QByteArray("(UNKEYWORD Junk)");
    QTest::newRow("KEYWORD system flag") << QByteArray("KEYWORD \\Seen") << QByteArray("(SEEN)");
    QTest::newRow("LARGER") << QByteArray("LARGER 1000") << QByteArray("(LARGER 1000)");
    QTest::newRow("SMALLER") << QByteArray("SMALLER 5") << QByteArray("(SMALLER 5)");
    QTest::newRow("UID") << QByteArray("UID 1:4,7") << QByteArray("(UID 1:4,7)");
    QTest::newRow("UID star") << QByteArray("UID 10:*") << QByteArray("(UID 10:*)");
    QTest::newRow("sequence set") << QByteArray("2:4,*") << QByteArray("(SEQ 2:4,*)");
    QTest::newRow("MODSEQ") << QByteArray("MODSEQ 620162338") << QByteArray("(MODSEQ 620162338)");
    QTest::newRow("MODSEQ zero") << QByteArray("MODSEQ 0") << QByteArray("(MODSEQ 0)");
    QTest::newRow("MODSEQ entry") << QByteArray("MODSEQ \"/flags/\\\\draft\" all 620162338")
                                  << QByteArray("(MODSEQ /flags/\\draft all 620162338)");
    QTest::newRow("NOT") << QByteArray("NOT SEEN") << QByteArray("((NOT SEEN))");
    QTest::newRow("NOT binds one key") << QByteArray("NOT SEEN DELETED") << QByteArray("((NOT SEEN) DELETED)");
    QTest::newRow("OR binds two keys") << QByteArray("OR SEEN DELETED FLAGGED")
                                       << QByteArray("((OR SEEN DELETED) FLAGGED)");
    QTest::newRow("OR nested") << QByteArray("OR OR SEEN DELETED FLAGGED")
                               << QByteArray("((OR (OR SEEN DELETED) FLAGGED))");
    QTest::newRow("NOT OR") << QByteArray("NOT OR SEEN DELETED") << QByteArray("((NOT (OR SEEN DELETED)))");
    QTest::newRow("OR NOT") << QByteArray("OR NOT SEEN DELETED") << QByteArray("((OR (NOT SEEN) DELETED))");
    QTest::newRow("group in OR") << QByteArray("OR (SEEN FLAGGED) DELETED")
                                 << QByteArray("((OR (SEEN FLAGGED) DELETED))");
    QTest::newRow("group flattened") << QByteArray("(SEEN (FLAGGED DELETED)) DRAFT")
                                     << QByteArray("(SEEN FLAGGED DELETED DRAFT)");
    QTest::newRow("single-key group") << QByteArray("NOT (SEEN)") << QByteArray("((NOT SEEN))");
    QTest::newRow("cheap keys first") << QByteArray("BODY x FROM y SEEN")
                                      << QByteArray("(SEEN HEADER From \"y\" BODY \"x\")");
    QTest::newRow("cheap side of OR first") << QByteArray("OR TEXT x UID 5") << QByteArray("((OR UID 5 TEXT \"x\"))");
    QTest::newRow("RFC 9051 example") << QByteArray("FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"")
                                      << QByteArray("(FLAGGED SINCE 1994-02-01 (NOT HEADER From \"smith\"))");
}

void TestImapSearch::keys()
{
    QFETCH(QByteArray, criteria);
    QFETCH(QByteArray, expected);
    SearchQuery q;
    QByteArray error;
    bool badCharset = true;
    QVERIFY2(parseSearch(argsOf(criteria), 0, &q, &error, &badCharset), error.constData());
    QVERIFY(!badCharset);
    QVERIFY(!q.esearch);
    QCOMPARE(describe(q.root), expected);
}

void TestImapSearch::errors_data()
{
    QTest::addColumn<QByteArray>("criteria");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("unknown key") << QByteArray("FOO");
    QTest::newRow("missing string") << QByteArray("FROM");
    QTest::newRow("list as string") << QByteArray("FROM (a)");
    QTest::newRow("bad date") << QByteArray("SINCE 1994-02-01");
    QTest::newRow("bad month") << QByteArray("SINCE 1-Foo-1994");
    QTest::newRow("literal date") << QByteArray("SINCE {10+}\r\n1-Feb-1994");
    QTest::newRow("missing date") << QByteArray("BEFORE");
    QTest::newRow("bad number") << QByteArray("LARGER abc");
    QTest::newRow("negative number") << QByteArray("SMALLER -1");
    QTest::newRow("bad uid set") << QByteArray("UID 0:4");
    QTest::newRow("quoted uid set") << QByteArray("UID \"1:4\"");
    QTest::newRow("bad sequence") << QByteArray("1:x");
    QTest::newRow("NOT alone") << QByteArray("NOT");
    QTest::newRow("OR one key") << QByteArray("OR SEEN");
    QTest::newRow("empty group") << QByteArray("()");
    QTest::newRow("bad key in group") << QByteArray("(SEEN FOO)");
    QTest::newRow("HEADER no value") << QByteArray("HEADER Subject");
    QTest::newRow("HEADER empty name") << QByteArray("HEADER \"\" x");
    QTest::newRow("KEYWORD quoted") << QByteArray("KEYWORD \"a\"");
    QTest::newRow("KEYWORD unknown system flag") << QByteArray("KEYWORD \\Foo");
    QTest::newRow("MODSEQ bad entry") << QByteArray("MODSEQ \"/x/y\" all 5");
    QTest::newRow("MODSEQ bad type") << QByteArray("MODSEQ \"/flags/\\\\draft\" any 5");
    QTest::newRow("MODSEQ no value") << QByteArray("MODSEQ");
    QTest::newRow("CHARSET without key") << QByteArray("CHARSET UTF-8");
    QTest::newRow("CHARSET missing") << QByteArray("CHARSET");
    QTest::newRow("CHARSET after key") << QByteArray("SEEN CHARSET UTF-8");
    QTest::newRow("RETURN without list") << QByteArray("RETURN MIN ALL");
    QTest::newRow("RETURN unknown option") << QByteArray("RETURN (MIN FOO) ALL");
    QTest::newRow("RETURN SAVE unsupported") << QByteArray("RETURN (SAVE) ALL");
}

void TestImapSearch::errors()
{
    QFETCH(QByteArray, criteria);
    SearchQuery q;
    QByteArray error;
    bool badCharset = true;
    QVERIFY(!parseSearch(argsOf(criteria), 0, &q, &error, &badCharset));
    QVERIFY(!error.isEmpty());
    QVERIFY(!badCharset);
}

void TestImapSearch::returnOptions_data()
{
    QTest::addColumn<QByteArray>("criteria");
    QTest::addColumn<bool>("esearch");
    QTest::addColumn<int>("options");
    QTest::newRow("plain") << QByteArray("ALL") << false << 0;
    QTest::newRow("empty list is ALL") << QByteArray("RETURN () ALL") << true << int(SearchQuery::ReturnAll);
    QTest::newRow("min max") << QByteArray("RETURN (MIN MAX) SEEN") << true
                             << int(SearchQuery::ReturnMin | SearchQuery::ReturnMax);
    QTest::newRow("all count") << QByteArray("return (all count) SEEN") << true
                               << int(SearchQuery::ReturnAll | SearchQuery::ReturnCount);
    QTest::newRow("with charset") << QByteArray("RETURN (COUNT) CHARSET UTF-8 SEEN") << true
                                  << int(SearchQuery::ReturnCount);
}

void TestImapSearch::returnOptions()
{
    QFETCH(QByteArray, criteria);
    QFETCH(bool, esearch);
    QFETCH(int, options);
    SearchQuery q;
    QByteArray error;
    QVERIFY2(parseSearch(argsOf(criteria), 0, &q, &error, nullptr), error.constData());
    QCOMPARE(q.esearch, esearch);
    QCOMPARE(q.returnOptions, options);
}

void TestImapSearch::charset_data()
{
    QTest::addColumn<QByteArray>("criteria");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("charset");
    QTest::newRow("default") << QByteArray("SEEN") << true << QByteArray("UTF-8");
    QTest::newRow("utf-8") << QByteArray("CHARSET utf-8 SEEN") << true << QByteArray("UTF-8");
    QTest::newRow("us-ascii quoted") << QByteArray("CHARSET \"US-ASCII\" SEEN") << true << QByteArray("US-ASCII");
    QTest::newRow("latin1") << QByteArray("CHARSET ISO-8859-1 SEEN") << false << QByteArray();
    QTest::newRow("koi8") << QByteArray("CHARSET KOI8-R TEXT x") << false << QByteArray();
}

void TestImapSearch::charset()
{
    QFETCH(QByteArray, criteria);
    QFETCH(bool, ok);
    QFETCH(QByteArray, charset);
    SearchQuery q;
    QByteArray error;
    bool badCharset = false;
    QCOMPARE(parseSearch(argsOf(criteria), 0, &q, &error, &badCharset), ok);
    QCOMPARE(badCharset, !ok);
    if (ok)
        QCOMPARE(q.charset, charset);
}

void TestImapSearch::sortCriteriaCharset()
{
    // SORT (SUBJECT) UTF-8 ALL: the charset comes first and is mandatory.
    const Args args = argsOf("(SUBJECT) UTF-8 SEEN FROM x");
    SearchQuery q;
    QByteArray error;
    bool badCharset = false;
    QVERIFY2(parseSearchCriteria(args, 1, &q, &error, &badCharset), error.constData());
    QCOMPARE(describe(q.root), QByteArray("(SEEN HEADER From \"x\")"));
    QVERIFY(!parseSearchCriteria(argsOf("(SUBJECT) UTF-8"), 1, &q, &error, &badCharset));
    QVERIFY(!parseSearchCriteria(argsOf("(SUBJECT) BIG5 ALL"), 1, &q, &error, &badCharset));
    QVERIFY(badCharset);
    QVERIFY(!parseSearchCriteria(argsOf("(SUBJECT)"), 1, &q, &error, &badCharset));
}

void TestImapSearch::queryInfo_data()
{
    QTest::addColumn<QByteArray>("criteria");
    QTest::addColumn<bool>("modseq");
    QTest::addColumn<bool>("headers");
    QTest::addColumn<bool>("body");
    QTest::newRow("flags") << QByteArray("SEEN UID 1:* LARGER 5 SINCE 1-Jan-2020") << false << false << false;
    QTest::newRow("modseq deep") << QByteArray("OR SEEN NOT MODSEQ 5") << true << false << false;
    QTest::newRow("header") << QByteArray("SUBJECT x") << false << true << false;
    QTest::newRow("sent date") << QByteArray("SENTON 1-Jan-2020") << false << true << false;
    QTest::newRow("body in OR") << QByteArray("OR SEEN BODY x") << false << true << true;
    QTest::newRow("text") << QByteArray("NOT TEXT x") << false << true << true;
}

void TestImapSearch::queryInfo()
{
    QFETCH(QByteArray, criteria);
    QFETCH(bool, modseq);
    QFETCH(bool, headers);
    QFETCH(bool, body);
    SearchQuery q;
    QByteArray error;
    QVERIFY2(parseSearch(argsOf(criteria), 0, &q, &error, nullptr), error.constData());
    QCOMPARE(usesModSeq(q), modseq);
    QCOMPARE(needsHeaders(q), headers);
    QCOMPARE(needsBody(q), body);
}

void TestImapSearch::depthBound()
{
    // NOT chains nest without parentheses: the parser must refuse, not recurse without end.
    QByteArray deep;
    for (int i = 0; i < 10000; ++i)
        deep += "NOT ";
    deep += "SEEN";
    SearchQuery q;
    QByteArray error;
    QVERIFY(!parseSearch(argsOf(deep), 0, &q, &error, nullptr));
    QVERIFY(error.contains("nested"));
    QByteArray ok;
    for (int i = 0; i < kMaxSearchDepth - 1; ++i)
        ok += "NOT ";
    QVERIFY2(parseSearch(argsOf(ok + "SEEN"), 0, &q, &error, nullptr), error.constData());
}

QTEST_GUILESS_MAIN(TestImapSearch)
#include "tst_imapsearch.moc"
