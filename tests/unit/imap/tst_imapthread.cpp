// THREAD (RFC 5256): ORDEREDSUBJECT, and REFERENCES with the structures of
// the RFC's thread-list examples, dummies (kept, pruned, promoted), duplicate
// Message-IDs, loops, In-Reply-To, subject gathering, sibling order, a long
// reply chain, and the header helpers.
#include <QTest>

#include "imap/search/sort.h"
#include "imap/search/thread.h"

using namespace mailroom::imap;
using mailroom::mime::HeaderBlock;

namespace
{

// "id msgid refs subject day": refs separated by ",", "-" for none.
ThreadInput msg(qint64 id, const char *messageId, const char *refs, const char *subject, int day)
{
    ThreadInput t;
    t.id = id;
    t.messageId = messageId;
    if (QByteArray(refs) != "-")
        t.references = QByteArray(refs).split(',');
    t.baseSubject = baseSubject(QString::fromUtf8(subject), &t.replyOrForward);
    t.sent = QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC).addDays(day);
    return t;
}

} // namespace

class TestImapThread : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void references_data();
    void references();
    void orderedSubject_data();
    void orderedSubject();
    void inReplyTo();
    void longChain();
    void algorithm();
    void messageIds();
    void inputFromHeaders();
};

void TestImapThread::references_data()
{
    QTest::addColumn<QList<ThreadInput>>("messages");
    QTest::addColumn<QByteArray>("expected");
    using L = QList<ThreadInput>;

    QTest::newRow("empty") << L {} << QByteArray();
    // RFC 5256 §4: "(2)(3 6 (4 23)(44 7 96))".
    QTest::newRow("rfc example tree") << L { msg(96, "m96", "m3,m6,m44,m7", "Re: Three", 9),
        msg(2, "m2", "-", "Two", 1), msg(3, "m3", "-", "Three", 2), msg(6, "m6", "m3", "Re: Three", 3),
        msg(4, "m4", "m3,m6", "Re: Three", 4), msg(23, "m23", "m3,m6,m4", "Re: Three", 5),
        msg(44, "m44", "m3,m6", "Re: Three", 6), msg(7, "m7", "m3,m6,m44", "Re: Three", 7) }
                                      << QByteArray("(2)(3 6 (4 23)(44 7 96))");
    // RFC 5256 §4: "((3)(5))", a missing parent with two children.
    QTest::newRow("dummy root kept") << L { msg(3, "m3", "gone", "Re: x", 1), msg(5, "m5", "gone", "Re: y", 2) }
                                     << QByteArray("((3)(5))");
    QTest::newRow("dummy root with one child promoted") << L { msg(1, "m1", "gone", "Re: x", 1) } << QByteArray("(1)");
    QTest::newRow("dummy in the middle removed")
        << L { msg(1, "a", "-", "x", 1), msg(2, "b", "a,gone", "Re: x", 2) } << QByteArray("(1 2)");
    QTest::newRow("chain of dummies promoted") << L { msg(1, "a", "gone1,gone2", "x", 1) } << QByteArray("(1)");
    // B links g -> a, then C takes a away again (a message is not its own parent): g is left empty.
    QTest::newRow("dummy without children dropped") << L { msg(1, "a", "g,a", "x", 1) } << QByteArray("(1)");
    QTest::newRow("duplicate message-id made unique") << L { msg(1, "a", "-", "one", 1), msg(2, "a", "-", "two", 2),
        msg(3, "c", "a", "Re: one", 3) } << QByteArray("(1 3)(2)");
    QTest::newRow("reference loop avoided")
        << L { msg(1, "a", "b", "one", 2), msg(2, "b", "a", "two", 1) } << QByteArray("(2 1)");
    QTest::newRow("self reference ignored") << L { msg(1, "a", "a", "one", 1) } << QByteArray("(1)");
    QTest::newRow("reference chain does not move a parented message") << L { msg(1, "a", "-", "p", 1),
        msg(2, "b", "-", "q", 2), msg(3, "c", "a", "Re: p", 3), msg(4, "d", "b,c", "Re: q", 4) }
                                                                      << QByteArray("(1 3 4)(2)");
    QTest::newRow("existing links kept") << L { msg(1, "a", "-", "p", 1), msg(2, "b", "a", "Re: p", 2),
        msg(3, "c", "x,b", "Re: p", 3) } << QByteArray("(1 2 3)");
    QTest::newRow("siblings by sent date") << L { msg(1, "a", "-", "p", 1), msg(2, "b", "a", "Re: p", 5),
        msg(3, "c", "a", "Re: p", 3), msg(4, "d", "a", "Re: p", 5) }
                                           << QByteArray("(1 (3)(2)(4))");
    QTest::newRow("roots by sent date, dummy by first child") << L { msg(1, "a", "-", "late", 9),
        msg(2, "b", "gone", "r1", 4), msg(3, "c", "gone", "r2", 2), msg(4, "d", "-", "early", 1) }
                                                              << QByteArray("(4)((3)(2))(1)");
    QTest::newRow("subject: reply joins original")
        << L { msg(1, "a", "-", "Hello", 1), msg(2, "b", "-", "Re: Hello", 2) } << QByteArray("(1 2)");
    QTest::newRow("subject: original first even if later")
        << L { msg(1, "a", "-", "Re: Hello", 1), msg(2, "b", "-", "Hello", 2) } << QByteArray("(2 1)");
    QTest::newRow("subject: two originals get a dummy")
        << L { msg(1, "a", "-", "Hello", 1), msg(2, "b", "-", "hello", 2), msg(3, "c", "-", "Other", 3) }
        << QByteArray("((1)(2))(3)");
    QTest::newRow("subject: two replies get a dummy")
        << L { msg(1, "a", "-", "Re: Hello", 1), msg(2, "b", "-", "Fwd: Hello", 2) } << QByteArray("((1)(2))");
    QTest::newRow("subject: joins existing dummy")
        << L { msg(1, "a", "gone", "Re: Hi", 1), msg(2, "b", "gone", "Re: Hi", 2), msg(3, "c", "-", "Hi", 3) }
        << QByteArray("((1)(2)(3))");
    QTest::newRow("subject: two dummies merge") << L { msg(1, "a", "g1", "Re: Hi", 1), msg(2, "b", "g1", "Re: Hi", 3),
        msg(3, "c", "g2", "Re: Hi", 2), msg(4, "d", "g2", "Re: Hi", 4) }
                                                << QByteArray("((1)(3)(2)(4))");
    QTest::newRow("subject: empty subjects not gathered")
        << L { msg(1, "a", "-", "", 1), msg(2, "b", "-", "Re:", 2) } << QByteArray("(1)(2)");
    QTest::newRow("subject: only roots gathered") << L { msg(1, "a", "-", "Hi", 1), msg(2, "b", "a", "Other", 2),
        msg(3, "c", "-", "Other", 3) } << QByteArray("(1 2)(3)");
    QTest::newRow("same date: by id") << L { msg(5, "a", "-", "x", 1), msg(3, "b", "-", "y", 1),
        msg(4, "c", "-", "z", 1) } << QByteArray("(3)(4)(5)");
}

void TestImapThread::references()
{
    QFETCH(QList<ThreadInput>, messages);
    QFETCH(QByteArray, expected);
    QCOMPARE(threadReferences(messages), expected);
}

void TestImapThread::orderedSubject_data()
{
    QTest::addColumn<QList<ThreadInput>>("messages");
    QTest::addColumn<QByteArray>("expected");
    using L = QList<ThreadInput>;
    QTest::newRow("empty") << L {} << QByteArray();
    QTest::newRow("threads by first date") << L { msg(1, "", "-", "b", 1), msg(2, "", "-", "a", 2),
        msg(3, "", "-", "Re: b", 3), msg(4, "", "-", "A", 0), msg(5, "", "-", "c", 5) }
                                           << QByteArray("(4 2)(1 3)(5)");
    QTest::newRow("children are siblings") << L { msg(1, "", "-", "x", 1), msg(2, "", "-", "Re: x", 3),
        msg(3, "", "-", "Fwd: x", 2) } << QByteArray("(1 (3)(2))");
    QTest::newRow("references ignored") << L { msg(1, "a", "-", "x", 1), msg(2, "b", "a", "y", 2) }
                                        << QByteArray("(1)(2)");
    QTest::newRow("ties by id") << L { msg(9, "", "-", "s", 1), msg(8, "", "-", "s", 1), msg(7, "", "-", "t", 1) }
                                << QByteArray("(7)(8 9)");
}

void TestImapThread::orderedSubject()
{
    QFETCH(QList<ThreadInput>, messages);
    QFETCH(QByteArray, expected);
    QCOMPARE(threadOrderedSubject(messages), expected);
}

void TestImapThread::inReplyTo()
{
    ThreadInput a = msg(1, "a", "-", "x", 1);
    ThreadInput b = msg(2, "b", "-", "other", 2);
    b.inReplyTo = "a";
    QCOMPARE(threadReferences({ a, b }), QByteArray("(1 2)"));
    b.references = { "zz" }; // References wins over In-Reply-To
    QCOMPARE(threadReferences({ a, b }), QByteArray("(1)(2)"));
}

void TestImapThread::longChain()
{
    // A reply chain as long as the mailbox must not exhaust the stack.
    QList<ThreadInput> chain;
    QByteArray expected = "(";
    QByteArray refs;
    for (int i = 1; i <= 20000; ++i) {
        const QByteArray id = "m" + QByteArray::number(i);
        chain.append(msg(i, id.constData(), refs.isEmpty() ? "-" : refs.constData(), "Re: long", i));
        refs = id; // only the parent: keeps the test input small
        expected += (i > 1 ? " " : "") + QByteArray::number(i);
    }
    QCOMPARE(threadReferences(chain), expected + ')');
}

void TestImapThread::algorithm()
{
    Arg a;
    a.text = "references";
    ThreadAlgorithm alg = ThreadAlgorithm::OrderedSubject;
    QVERIFY(parseThreadAlgorithm(a, &alg));
    QCOMPARE(alg, ThreadAlgorithm::References);
    a.text = "ORDEREDSUBJECT";
    QVERIFY(parseThreadAlgorithm(a, &alg));
    QCOMPARE(alg, ThreadAlgorithm::OrderedSubject);
    a.text = "REFS";
    QVERIFY(!parseThreadAlgorithm(a, &alg));
    const QList<ThreadInput> two { msg(1, "a", "-", "x", 1), msg(2, "b", "a", "y", 2) };
    QCOMPARE(threadMessages(ThreadAlgorithm::References, two), QByteArray("(1 2)"));
    QCOMPARE(threadMessages(ThreadAlgorithm::OrderedSubject, two), QByteArray("(1)(2)"));
}

void TestImapThread::messageIds()
{
    QCOMPARE(parseMessageIds("<a@b> <c@d>\r\n\t<e@f>"), (QList<QByteArray> { "a@b", "c@d", "e@f" }));
    QCOMPARE(parseMessageIds("<a @b>"), QList<QByteArray> { "a@b" });
    QVERIFY(parseMessageIds("no brackets@here").isEmpty());
    QVERIFY(parseMessageIds("<> <unterminated").isEmpty());
}

void TestImapThread::inputFromHeaders()
{
    const HeaderBlock h = HeaderBlock::parse("Message-ID: <self@x>\r\n"
                                             "References: <r1@x> <r2@x>\r\n"
                                             "In-Reply-To: <r2@x> (sent by y)\r\n"
                                             "Subject: =?utf-8?q?Re=3A_Caf=C3=A9?=\r\n"
                                             "Date: junk\r\n\r\n",
        nullptr);
    const QDateTime internal(QDate(2022, 2, 2), QTime(2, 2), Qt::UTC);
    const ThreadInput t = threadInputFrom(h, 42, internal);
    QCOMPARE(t.id, qint64(42));
    QCOMPARE(t.messageId, QByteArray("self@x"));
    QCOMPARE(t.references, (QList<QByteArray> { "r1@x", "r2@x" }));
    QCOMPARE(t.inReplyTo, QByteArray("r2@x"));
    QCOMPARE(t.baseSubject, QString::fromUtf8("Café"));
    QVERIFY(t.replyOrForward);
    QCOMPARE(t.sent, internal);
}

QTEST_GUILESS_MAIN(TestImapThread)
#include "tst_imapthread.moc"
