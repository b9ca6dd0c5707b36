// MailStore: what IMAP, POP3 and the console ask of the store (RFC 9051,
// RFC 7162 CONDSTORE/QRESYNC, RFC 4315 UIDPLUS, RFC 6851 MOVE, RFC 9208
// QUOTA) against a temporary data folder: APPEND, flags with keywords and
// UNCHANGEDSINCE, MODSEQ bookkeeping, changes with expunged UIDs, COPY and
// MOVE with their junk events, mailbox names, subscriptions, quota, blob
// references, several threads at once, and the time of a 100,000-message
// snapshot (printed, not asserted).
#include <ctime>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "store/blobstore.h"
#include "store/directory.h"
#include "store/mailstore.h"
#include "store/sql.h"
#include "store/store.h"
#include "store/transaction.h"

using namespace mailroom;
using namespace mailroom::store;

class TestMailStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void appendAndSnapshot();
    void flags_data();
    void flags();
    void unchangedSince();
    void changesSince();
    void expunge();
    void copyAndMove();
    void junkMoved_data();
    void junkMoved();
    void quota();
    void invalidNames_data();
    void invalidNames();
    void createAndDelete();
    void rename();
    void renameInbox();
    void subscriptions();
    void messagesPageAndCache();
    void blobReferences();
    void severalThreads();
    void snapshotOf100kMessages();

private:
    qint64 box(const QString &name, qint64 user = 0);
    qint64 add(qint64 mailbox, int n, quint32 flags = 0, const QStringList &keywords = {});
    MessageMeta meta(qint64 mailbox, qint64 uid);
    qint64 highest(qint64 mailbox);
    static QByteArray message(int n, int pad = 0);

    QTemporaryDir *m_dir = nullptr;
    std::unique_ptr<Store> m_store;
    MailStore *m_ms = nullptr;
    qint64 m_ann = 0;
    qint64 m_bob = 0;
};

QByteArray TestMailStore::message(int n, int pad)
{
    const QByteArray num = QByteArray::number(n);
    return "From: Ann <ann@example.com>\r\nTo: bob@example.com\r\nSubject: Test " + num + "\r\nMessage-ID: <" + num
        + "@example.com>\r\n\r\nBody " + num + QByteArray(pad, 'x') + "\r\n";
}

void TestMailStore::init()
{
    m_dir = new QTemporaryDir;
    auto s = Store::open(m_dir->path(), nullptr);
    QVERIFY(s.ok());
    m_store = std::move(s).value();
    m_ms = &m_store->mailStore();
    Directory &d = m_store->directory();
    QVERIFY(d.addDomain(QStringLiteral("example.com"), QString()).ok());
    QVERIFY(d.addUser(QStringLiteral("ann@example.com"), QStringLiteral("$h"), QString(), 0).ok());
    QVERIFY(d.addUser(QStringLiteral("bob@example.com"), QStringLiteral("$h"), QString(), 1000).ok());
    m_ann = *m_ms->userId(QStringLiteral("Ann@Example.com"));
    m_bob = *m_ms->userId(QStringLiteral("bob@example.com"));
    QVERIFY(m_ann > 0 && m_bob > 0 && m_ann != m_bob);
    QCOMPARE(m_ms->userId(QStringLiteral("nobody@example.com")).error().code, ErrorCode::NotFound);
}

void TestMailStore::cleanup()
{
    m_store.reset();
    delete m_dir;
}

qint64 TestMailStore::box(const QString &name, qint64 user)
{
    const auto m = m_ms->mailbox(user ? user : m_ann, name);
    return m.ok() ? m->id : -1;
}

qint64 TestMailStore::add(qint64 mailbox, int n, quint32 flags, const QStringList &keywords)
{
    const auto r = m_ms->append(mailbox, message(n), flags, keywords, QDateTime::currentDateTimeUtc());
    if (!r.ok())
        qWarning() << r.error().message;
    return r.ok() ? r->uid : -1;
}

MessageMeta TestMailStore::meta(qint64 mailbox, qint64 uid)
{
    const auto r = m_ms->messages(mailbox, { uid });
    return r.ok() && r->size() == 1 ? r->first() : MessageMeta {};
}

qint64 TestMailStore::highest(qint64 mailbox)
{
    const auto c = m_ms->changesSince(mailbox, 0);
    return c.ok() ? c->highestModSeq : -1;
}

void TestMailStore::appendAndSnapshot()
{
    const qint64 inbox = box(QStringLiteral("inbox"));
    QVERIFY(inbox > 0);
    QSignalSpy changed(&m_ms->events(), &MailboxEvents::changed);
    const qint64 h0 = highest(inbox);
    const QDateTime when = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
    const auto r = m_ms->append(inbox, message(1), FlagSeen,
        { QStringLiteral("$Forwarded"), QStringLiteral("$forwarded"), QStringLiteral("NonJunk") }, when);
    QVERIFY(r.ok());
    QCOMPARE(r->uid, 1);
    QCOMPARE(r->uidValidity, m_ms->mailbox(m_ann, QStringLiteral("INBOX"))->uidValidity);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toLongLong(), inbox);
    QCOMPARE(add(inbox, 2), 2);
    QCOMPARE(add(inbox, 3, FlagDeleted), 3);
    QCOMPARE(highest(inbox), h0 + 3); // one MODSEQ per APPEND

    const auto snap = m_ms->snapshot(inbox);
    QVERIFY(snap.ok());
    QCOMPARE(snap->size(), 3);
    QCOMPARE(snap->at(0).uid, 1);
    QCOMPARE(snap->at(0).flags, quint32(FlagSeen));
    QCOMPARE(snap->at(0).keywords, (QStringList { QStringLiteral("$Forwarded"), QStringLiteral("NonJunk") }));
    QCOMPARE(snap->at(2).modseq, h0 + 3);

    const MessageMeta m = meta(inbox, 1);
    QCOMPARE(m.subject, QStringLiteral("Test 1"));
    QCOMPARE(m.messageId, QStringLiteral("<1@example.com>"));
    QCOMPARE(m.internalDate, when);
    QCOMPARE(m.size, message(1).size());
    QCOMPARE(*m_ms->content(m.blobHash), message(1));

    const auto e = m_ms->mailbox(m_ann, QStringLiteral("INBOX"));
    QCOMPARE(e->messages, 3);
    QCOMPARE(e->unseen, 2);
    QCOMPARE(e->deleted, 1);
    QCOMPARE(e->uidNext, 4);
    QCOMPARE(e->bytes, message(1).size() + message(2).size() + message(3).size());

    QCOMPARE(m_ms->snapshot(987654).error().code, ErrorCode::NotFound);
    QCOMPARE(m_ms->append(987654, message(9), 0, {}, {}).error().code, ErrorCode::NotFound);
}

void TestMailStore::flags_data()
{
    QTest::addColumn<quint32>("before");
    QTest::addColumn<QStringList>("keywordsBefore");
    QTest::addColumn<int>("mode");
    QTest::addColumn<quint32>("flags");
    QTest::addColumn<QStringList>("keywords");
    QTest::addColumn<quint32>("after");
    QTest::addColumn<QStringList>("keywordsAfter");
    QTest::addColumn<bool>("changes");
    const auto kw = [](std::initializer_list<const char *> l) {
        QStringList out;
        for (const char *k : l)
            out << QString::fromLatin1(k);
        return out;
    };
    const int add = int(FlagMode::Add), remove = int(FlagMode::Remove), replace = int(FlagMode::Replace);
    QTest::newRow("add flag") << 0u << kw({}) << add << quint32(FlagSeen) << kw({}) << quint32(FlagSeen) << kw({})
                              << true;
    QTest::newRow("add keyword keeps first spelling")
        << 0u << kw({ "$Forwarded" }) << add << 0u << kw({ "$forwarded", "NonJunk" }) << 0u
        << kw({ "$Forwarded", "NonJunk" }) << true;
    QTest::newRow("add what is there") << quint32(FlagSeen) << kw({ "a" }) << add << quint32(FlagSeen) << kw({ "A" })
                                       << quint32(FlagSeen) << kw({ "a" }) << false;
    QTest::newRow("remove ignores case") << quint32(FlagSeen | FlagFlagged) << kw({ "$Forwarded", "x" }) << remove
                                         << quint32(FlagFlagged) << kw({ "$FORWARDED" }) << quint32(FlagSeen)
                                         << kw({ "x" }) << true;
    QTest::newRow("remove what is not there") << quint32(FlagSeen) << kw({}) << remove << quint32(FlagDeleted)
                                              << kw({ "y" }) << quint32(FlagSeen) << kw({}) << false;
    QTest::newRow("replace") << quint32(FlagSeen) << kw({ "a", "b" }) << replace << quint32(FlagAnswered) << kw({ "c" })
                             << quint32(FlagAnswered) << kw({ "c" }) << true;
    QTest::newRow("replace with the same set") << quint32(FlagSeen) << kw({ "a", "B" }) << replace << quint32(FlagSeen)
                                               << kw({ "b", "A" }) << quint32(FlagSeen) << kw({ "a", "B" }) << false;
    QTest::newRow("replace with nothing")
        << quint32(FlagSeen | FlagDraft) << kw({ "a" }) << replace << 0u << kw({}) << 0u << kw({}) << true;
}

void TestMailStore::flags()
{
    QFETCH(quint32, before);
    QFETCH(QStringList, keywordsBefore);
    QFETCH(int, mode);
    QFETCH(quint32, flags);
    QFETCH(QStringList, keywords);
    QFETCH(quint32, after);
    QFETCH(QStringList, keywordsAfter);
    QFETCH(bool, changes);
    const qint64 inbox = box(QStringLiteral("INBOX"));
    QCOMPARE(add(inbox, 1, before, keywordsBefore), 1);
    QCOMPARE(add(inbox, 2), 2);
    const qint64 h0 = highest(inbox);
    const qint64 modseq0 = meta(inbox, 1).modseq;
    QSignalSpy changed(&m_ms->events(), &MailboxEvents::changed);
    const auto r = m_ms->storeFlags(inbox, { 1, 77 }, { FlagMode(mode), flags, keywords, -1 });
    QVERIFY(r.ok());
    QVERIFY(r->failed.isEmpty());
    QCOMPARE(r->updated.size(), changes ? 1 : 0);
    QCOMPARE(r->highestModSeq, changes ? h0 + 1 : h0);
    QCOMPARE(highest(inbox), changes ? h0 + 1 : h0);
    QCOMPARE(changed.count(), changes ? 1 : 0);
    const MessageMeta m = meta(inbox, 1);
    QCOMPARE(m.flags, after);
    QCOMPARE(m.keywords, keywordsAfter);
    QCOMPARE(m.modseq, changes ? h0 + 1 : modseq0);
    if (changes) {
        QCOMPARE(r->updated.first().uid, 1);
        QCOMPARE(r->updated.first().flags, after);
        QCOMPARE(r->updated.first().keywords, keywordsAfter);
        QCOMPARE(r->updated.first().modseq, h0 + 1);
    }
    QCOMPARE(meta(inbox, 2).modseq, h0); // not asked for, not touched
}

void TestMailStore::unchangedSince()
{
    const qint64 inbox = box(QStringLiteral("INBOX"));
    for (int i = 1; i <= 3; ++i)
        QCOMPARE(add(inbox, i), i);
    const qint64 since = highest(inbox);
    QVERIFY(m_ms->storeFlags(inbox, { 2 }, { FlagMode::Add, FlagFlagged, {}, -1 }).ok());
    // RFC 7162 §3.1.3: uid 2 changed after `since`, so it is not stored.
    const auto r = m_ms->storeFlags(inbox, { 1, 2, 3 }, { FlagMode::Add, FlagSeen, {}, since });
    QVERIFY(r.ok());
    QCOMPARE(r->failed, (QList<qint64> { 2 }));
    QCOMPARE(r->updated.size(), 2);
    QCOMPARE(r->updated.at(0).uid, 1);
    QCOMPARE(r->updated.at(1).uid, 3);
    QCOMPARE(r->highestModSeq, since + 2);
    QCOMPARE(meta(inbox, 2).flags, quint32(FlagFlagged));
    QCOMPARE(meta(inbox, 3).flags, quint32(FlagSeen));
}

void TestMailStore::changesSince()
{
    const qint64 inbox = box(QStringLiteral("INBOX"));
    for (int i = 1; i <= 4; ++i)
        QCOMPARE(add(inbox, i), i);
    const qint64 h = highest(inbox);
    QVERIFY(m_ms->storeFlags(inbox, { 2 }, { FlagMode::Add, FlagSeen, {}, -1 }).ok());
    QVERIFY(m_ms->storeFlags(inbox, { 3, 4 }, { FlagMode::Add, FlagDeleted, {}, -1 }).ok());
    QCOMPARE(*m_ms->expunge(inbox), (QList<qint64> { 3, 4 }));
    const auto c = m_ms->changesSince(inbox, h);
    QVERIFY(c.ok());
    QVERIFY(!c->gone);
    QCOMPARE(c->highestModSeq, h + 3);
    QCOMPARE(c->uidNext, 5);
    QCOMPARE(c->changed.size(), 1);
    QCOMPARE(c->changed.first().uid, 2);
    QCOMPARE(c->changed.first().flags, quint32(FlagSeen));
    QCOMPARE(c->changed.first().modseq, h + 1);
    QCOMPARE(c->expunged, (QList<qint64> { 3, 4 }));
    const auto all = m_ms->changesSince(inbox, 0);
    QCOMPARE(all->changed.size(), 2);
    QCOMPARE(all->expunged.size(), 2);
    const auto none = m_ms->changesSince(inbox, h + 3);
    QVERIFY(none->changed.isEmpty() && none->expunged.isEmpty());
    QCOMPARE(m_ms->changesSince(inbox, h + 2)->expunged, (QList<qint64> { 3, 4 }));

    const auto tmp = m_ms->createMailbox(m_ann, QStringLiteral("Tmp"));
    QVERIFY(tmp.ok());
    QVERIFY(!m_ms->changesSince(*tmp, 0)->gone);
    QVERIFY(m_ms->deleteMailbox(m_ann, QStringLiteral("Tmp")).ok());
    QVERIFY(m_ms->changesSince(*tmp, 0)->gone);
}

void TestMailStore::expunge()
{
    const qint64 inbox = box(QStringLiteral("INBOX"));
    for (int i = 1; i <= 5; ++i)
        QCOMPARE(add(inbox, i, i == 4 ? FlagSeen : quint32(FlagDeleted)), i);
    QSignalSpy changed(&m_ms->events(), &MailboxEvents::changed);
    const qint64 h = highest(inbox);
    // UID EXPUNGE: only the listed ones that carry \Deleted.
    const QList<qint64> some { 4, 2, 99, 3 };
    QCOMPARE(*m_ms->expunge(inbox, &some), (QList<qint64> { 2, 3 }));
    QCOMPARE(highest(inbox), h + 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(*m_ms->expunge(inbox), (QList<qint64> { 1, 5 }));
    QCOMPARE(highest(inbox), h + 2);
    QCOMPARE(m_ms->expunge(inbox)->size(), 0); // nothing left: no new MODSEQ
    QCOMPARE(highest(inbox), h + 2);
    QCOMPARE(changed.count(), 2);
    const auto left = m_ms->snapshot(inbox);
    QCOMPARE(left->size(), 1);
    QCOMPARE(left->first().uid, 4);
    QCOMPARE(m_ms->mailbox(m_ann, QStringLiteral("INBOX"))->uidNext, 6); // UIDNEXT never goes back
}

void TestMailStore::copyAndMove()
{
    const qint64 inbox = box(QStringLiteral("INBOX"));
    const qint64 archive = box(QStringLiteral("Archive"));
    QCOMPARE(add(inbox, 1, FlagSeen, { QStringLiteral("$Label1") }), 1);
    QCOMPARE(add(inbox, 2, FlagFlagged), 2);
    QCOMPARE(add(inbox, 3), 3);
    QVERIFY(m_ms->setCache({ { meta(inbox, 3).id, QByteArray("(env)"), QByteArray("(body)") } }).ok());
    const qint64 hIn = highest(inbox), hAr = highest(archive);
    QSignalSpy changed(&m_ms->events(), &MailboxEvents::changed);

    const auto c = m_ms->copy(inbox, { 3, 1, 99 }, archive, false);
    QVERIFY(c.ok());
    QCOMPARE(c->destUidValidity, m_ms->mailbox(m_ann, QStringLiteral("Archive"))->uidValidity);
    QCOMPARE(c->sourceUids, (QList<qint64> { 1, 3 }));
    QCOMPARE(c->destUids, (QList<qint64> { 1, 2 }));
    QVERIFY(c->expungedUids.isEmpty());
    QCOMPARE(highest(inbox), hIn); // a copy does not change the source
    QCOMPARE(highest(archive), hAr + 1);
    QCOMPARE(changed.count(), 1);
    const MessageMeta src = meta(inbox, 1), dst = meta(archive, 1);
    QCOMPARE(dst.flags, src.flags);
    QCOMPARE(dst.keywords, src.keywords);
    QCOMPARE(dst.internalDate, src.internalDate);
    QCOMPARE(dst.blobHash, src.blobHash);
    QCOMPARE(dst.subject, QStringLiteral("Test 1"));
    QCOMPARE(dst.modseq, hAr + 1);
    QCOMPARE(meta(archive, 2).envelope, QByteArray("(env)"));
    QCOMPARE(*m_store->blobs().refcount(src.blobHash), 2);

    changed.clear();
    const auto m = m_ms->copy(inbox, { 2, 3 }, archive, true);
    QVERIFY(m.ok());
    QCOMPARE(m->sourceUids, (QList<qint64> { 2, 3 }));
    QCOMPARE(m->destUids, (QList<qint64> { 3, 4 }));
    QCOMPARE(m->expungedUids, (QList<qint64> { 2, 3 }));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(highest(inbox), hIn + 1);
    QCOMPARE(highest(archive), hAr + 2);
    QCOMPARE(m_ms->snapshot(inbox)->size(), 1);
    QCOMPARE(m_ms->changesSince(inbox, hIn)->expunged, (QList<qint64> { 2, 3 }));
    QCOMPARE(meta(archive, 3).flags, quint32(FlagFlagged));
    QCOMPARE(m_ms->mailbox(m_ann, QStringLiteral("Archive"))->uidNext, 5);

    // Nothing to copy: no change, no event.
    changed.clear();
    const auto empty = m_ms->copy(inbox, { 50 }, archive, true);
    QVERIFY(empty.ok() && empty->destUids.isEmpty());
    QCOMPARE(changed.count(), 0);
    QCOMPARE(m_ms->copy(inbox, { 1 }, 987654, false).error().code, ErrorCode::NotFound);

    // MOVE within one mailbox: a new UID, one MODSEQ.
    const qint64 h = highest(archive);
    const auto self = m_ms->copy(archive, { 1 }, archive, true);
    QVERIFY(self.ok());
    QCOMPARE(self->destUids, (QList<qint64> { 5 }));
    QCOMPARE(highest(archive), h + 1);
    QCOMPARE(m_ms->snapshot(archive)->size(), 4);
}

void TestMailStore::junkMoved_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<bool>("move");
    QTest::addColumn<int>("events");
    QTest::addColumn<bool>("intoJunk");
    QTest::newRow("move into Junk") << QStringLiteral("INBOX") << QStringLiteral("Junk") << true << 2 << true;
    QTest::newRow("copy into Junk") << QStringLiteral("Archive") << QStringLiteral("Junk") << false << 2 << true;
    QTest::newRow("move out of Junk") << QStringLiteral("Junk") << QStringLiteral("INBOX") << true << 2 << false;
    QTest::newRow("out of Junk into Trash") << QStringLiteral("Junk") << QStringLiteral("Trash") << true << 0 << false;
    QTest::newRow("between other mailboxes")
        << QStringLiteral("INBOX") << QStringLiteral("Archive") << true << 0 << false;
    QTest::newRow("within Junk") << QStringLiteral("Junk") << QStringLiteral("Junk") << true << 0 << false;
}

void TestMailStore::junkMoved()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(bool, move);
    QFETCH(int, events);
    QFETCH(bool, intoJunk);
    const qint64 source = box(from), dest = box(to);
    QCOMPARE(add(source, 1), 1);
    QCOMPARE(add(source, 2), 2);
    QSignalSpy spy(&m_ms->events(), &MailboxEvents::junkMoved);
    QVERIFY(m_ms->copy(source, { 1, 2 }, dest, move).ok());
    QCOMPARE(spy.count(), events);
    for (const auto &args : std::as_const(spy)) {
        QCOMPARE(args.at(0).toLongLong(), m_ann);
        QCOMPARE(args.at(2).toBool(), intoJunk);
    }
    if (events)
        QCOMPARE(spy.at(0).at(1).toString(), meta(dest, m_ms->mailbox(m_ann, to)->uidNext - 2).blobHash);
}

void TestMailStore::quota()
{
    // bob may use 1000 bytes.
    const qint64 inbox = box(QStringLiteral("INBOX"), m_bob), archive = box(QStringLiteral("Archive"), m_bob);
    const auto first = m_ms->append(inbox, message(1, 500), 0, {}, {});
    QVERIFY(first.ok());
    const qint64 size = message(1, 500).size();
    const qint64 archiveModSeq = highest(archive);
    const auto second = m_ms->append(inbox, message(2, 500), 0, {}, {});
    QCOMPARE(second.error().code, ErrorCode::QuotaExceeded);
    QCOMPARE(m_ms->copy(inbox, { 1 }, archive, false).error().code, ErrorCode::QuotaExceeded);
    QCOMPARE(m_ms->snapshot(archive)->size(), 0); // refused as a whole
    QCOMPARE(highest(archive), archiveModSeq);
    QVERIFY(m_ms->copy(inbox, { 1 }, archive, true).ok()); // a move uses no more space
    const auto q = m_ms->quota(m_bob);
    QVERIFY(q.ok());
    QCOMPARE(q->usedBytes, size);
    QCOMPARE(q->limitBytes, 1000);
    QCOMPARE(q->messages, 1);
    QCOMPARE(m_ms->quota(m_ann)->limitBytes, 0);
    QCOMPARE(m_ms->quota(m_ann)->usedBytes, 0);
    QCOMPARE(m_ms->quota(987654).error().code, ErrorCode::NotFound);
    // The bytes in use are kept per mailbox as messages come and go: deleting
    // the mailbox that holds the message frees its space for a new one.
    QVERIFY(m_ms->deleteMailbox(m_bob, QStringLiteral("Archive")).ok());
    QCOMPARE(m_ms->quota(m_bob)->usedBytes, 0);
    QVERIFY(m_ms->append(inbox, message(3, 500), 0, {}, {}).ok());
    QCOMPARE(m_ms->quota(m_bob)->usedBytes, message(3, 500).size());
}

void TestMailStore::invalidNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << QString();
    QTest::newRow("leading /") << QStringLiteral("/a");
    QTest::newRow("trailing /") << QStringLiteral("a/");
    QTest::newRow("empty level") << QStringLiteral("a//b");
    QTest::newRow("control character") << QStringLiteral("a\x01z");
    QTest::newRow("DEL") << QStringLiteral("a\x7fz");
    QTest::newRow("513 bytes") << QString(257, QChar(0xe9)); // 2 bytes each in UTF-8
}

void TestMailStore::invalidNames()
{
    QFETCH(QString, name);
    QCOMPARE(m_ms->createMailbox(m_ann, name).error().code, ErrorCode::InvalidArgument);
    QCOMPARE(m_ms->createMailboxPath(m_ann, name).error().code, ErrorCode::InvalidArgument);
    QCOMPARE(m_ms->renameMailbox(m_ann, QStringLiteral("Archive"), name).error().code, ErrorCode::InvalidArgument);
    QCOMPARE(m_ms->setSubscribed(m_ann, name, true).error().code, ErrorCode::InvalidArgument);
    QCOMPARE(m_ms->mailboxes(m_ann)->size(), 6);
}

void TestMailStore::createAndDelete()
{
    QVERIFY(m_ms->createMailbox(m_ann, QString(256, QChar(0xe9))).ok()); // 512 bytes is fine
    const auto p = m_ms->createMailbox(m_ann, QStringLiteral("Projects"));
    QVERIFY(p.ok());
    QCOMPARE(m_ms->createMailbox(m_ann, QStringLiteral("Projects")).error().code, ErrorCode::AlreadyExists);
    QCOMPARE(m_ms->createMailbox(m_ann, QStringLiteral("inbox")).error().code, ErrorCode::AlreadyExists);
    QCOMPARE(m_ms->createMailbox(m_ann, QStringLiteral("X"), QStringLiteral("\\Bogus")).error().code,
        ErrorCode::InvalidArgument);
    QVERIFY(m_ms->createMailbox(m_bob, QStringLiteral("Projects")).ok()); // another user's namespace
    const auto spam = m_ms->createMailbox(m_ann, QStringLiteral("Spam"), QStringLiteral("\\junk"));
    QVERIFY(spam.ok());
    QCOMPARE(m_ms->mailbox(m_ann, QStringLiteral("Spam"))->specialUse, QStringLiteral("\\Junk"));
    QCOMPARE(m_ms->mailbox(m_ann, QStringLiteral("spam")).error().code, ErrorCode::NotFound); // exact
    QCOMPARE(m_ms->mailbox(m_ann, QStringLiteral("iNbOx"))->name, QStringLiteral("INBOX"));

    QVERIFY(m_ms->createMailbox(m_ann, QStringLiteral("a/b/c")).ok()); // parents are not made
    QCOMPARE(m_ms->mailbox(m_ann, QStringLiteral("a")).error().code, ErrorCode::NotFound);
    QVERIFY(m_ms->createMailboxPath(m_ann, QStringLiteral("x/y/z")).ok());
    QVERIFY(m_ms->mailbox(m_ann, QStringLiteral("x")).ok());
    QVERIFY(m_ms->mailbox(m_ann, QStringLiteral("x/y")).ok());
    QCOMPARE(m_ms->createMailboxPath(m_ann, QStringLiteral("x/y")).error().code, ErrorCode::AlreadyExists);

    // INBOX first, then by name; the counts.
    QStringList names;
    const auto all = m_ms->mailboxes(m_ann);
    for (const MailboxEntry &e : *all)
        names << e.name;
    QCOMPARE(names.first(), QStringLiteral("INBOX"));
    QStringList rest = names.mid(1);
    std::sort(rest.begin(), rest.end());
    QCOMPARE(names.mid(1), rest);

    // DELETE: a fresh UIDVALIDITY when the name comes back; children stay.
    const qint64 uv = m_ms->mailbox(m_ann, QStringLiteral("x"))->uidValidity;
    QCOMPARE(add(*p, 1), 1);
    QSignalSpy changed(&m_ms->events(), &MailboxEvents::changed);
    QVERIFY(m_ms->deleteMailbox(m_ann, QStringLiteral("x")).ok());
    QCOMPARE(changed.count(), 1);
    QVERIFY(m_ms->mailbox(m_ann, QStringLiteral("x/y")).ok());
    QVERIFY(m_ms->createMailbox(m_ann, QStringLiteral("x")).ok());
    QVERIFY(m_ms->mailbox(m_ann, QStringLiteral("x"))->uidValidity > uv);
    QVERIFY(m_ms->deleteMailbox(m_ann, QStringLiteral("Projects")).ok());
    QCOMPARE(m_ms->snapshot(*p).error().code, ErrorCode::NotFound);
    QCOMPARE(m_ms->deleteMailbox(m_ann, QStringLiteral("Projects")).error().code, ErrorCode::NotFound);
    QCOMPARE(m_ms->deleteMailbox(m_ann, QStringLiteral("Inbox")).error().code, ErrorCode::InvalidArgument);
    QVERIFY(m_ms->mailbox(m_bob, QStringLiteral("Projects")).ok());
}

void TestMailStore::rename()
{
    for (const char *n : { "Projects", "Projects/2026", "Projects/2026/Q1", "ProjectsX", "Other" })
        QVERIFY(m_ms->createMailbox(m_ann, QString::fromLatin1(n)).ok());
    QCOMPARE(add(box(QStringLiteral("Projects/2026")), 1), 1);
    const auto before = m_ms->mailbox(m_ann, QStringLiteral("Projects/2026"));
    QSignalSpy changed(&m_ms->events(), &MailboxEvents::changed);
    QVERIFY(m_ms->renameMailbox(m_ann, QStringLiteral("Projects"), QStringLiteral("Work/Old")).ok());
    QCOMPARE(changed.count(), 3);
    QVERIFY(m_ms->mailbox(m_ann, QStringLiteral("Work")).ok()); // a missing parent is made
    QVERIFY(m_ms->mailbox(m_ann, QStringLiteral("Work/Old")).ok());
    QVERIFY(m_ms->mailbox(m_ann, QStringLiteral("Work/Old/2026/Q1")).ok());
    QVERIFY(m_ms->mailbox(m_ann, QStringLiteral("ProjectsX")).ok()); // not a child
    QCOMPARE(m_ms->mailbox(m_ann, QStringLiteral("Projects")).error().code, ErrorCode::NotFound);
    const auto after = m_ms->mailbox(m_ann, QStringLiteral("Work/Old/2026"));
    QCOMPARE(after->id, before->id);
    QCOMPARE(after->uidValidity, before->uidValidity);
    QCOMPARE(after->messages, 1);
    QCOMPARE(after->highestModSeq, before->highestModSeq + 1);

    QCOMPARE(m_ms->renameMailbox(m_ann, QStringLiteral("Other"), QStringLiteral("ProjectsX")).error().code,
        ErrorCode::AlreadyExists);
    QCOMPARE(m_ms->renameMailbox(m_ann, QStringLiteral("Other"), QStringLiteral("inbox")).error().code,
        ErrorCode::AlreadyExists);
    QCOMPARE(
        m_ms->renameMailbox(m_ann, QStringLiteral("Nope"), QStringLiteral("Yes")).error().code, ErrorCode::NotFound);
    QCOMPARE(m_ms->renameMailbox(m_ann, QStringLiteral("Other"), QStringLiteral("Other/Sub")).error().code,
        ErrorCode::InvalidArgument);
    // A child's new name that is taken refuses the whole rename.
    QVERIFY(m_ms->createMailbox(m_ann, QStringLiteral("Other/2026")).ok());
    QVERIFY(m_ms->createMailbox(m_ann, QStringLiteral("New/2026")).ok());
    QCOMPARE(m_ms->renameMailbox(m_ann, QStringLiteral("Other"), QStringLiteral("New")).error().code,
        ErrorCode::AlreadyExists);
    QVERIFY(m_ms->mailbox(m_ann, QStringLiteral("Other/2026")).ok());
}

void TestMailStore::renameInbox()
{
    const qint64 inbox = box(QStringLiteral("INBOX"));
    QCOMPARE(add(inbox, 1, FlagSeen), 1);
    QCOMPARE(add(inbox, 2, 0, { QStringLiteral("$Work") }), 2);
    QVERIFY(m_ms->createMailbox(m_ann, QStringLiteral("INBOX/child")).ok());
    const auto before = m_ms->mailbox(m_ann, QStringLiteral("INBOX"));
    QVERIFY(m_ms->renameMailbox(m_ann, QStringLiteral("inbox"), QStringLiteral("Old/Inbox")).ok());
    const auto in = m_ms->mailbox(m_ann, QStringLiteral("INBOX"));
    QCOMPARE(in->id, inbox);
    QCOMPARE(in->messages, 0);
    QCOMPARE(in->uidValidity, before->uidValidity);
    QCOMPARE(in->uidNext, before->uidNext);
    QCOMPARE(in->highestModSeq, before->highestModSeq + 1);
    QCOMPARE(m_ms->changesSince(inbox, before->highestModSeq)->expunged, (QList<qint64> { 1, 2 }));
    QVERIFY(m_ms->mailbox(m_ann, QStringLiteral("INBOX/child")).ok()); // children stay
    const auto old = m_ms->mailbox(m_ann, QStringLiteral("Old/Inbox"));
    QVERIFY(old.ok());
    QVERIFY(m_ms->mailbox(m_ann, QStringLiteral("Old")).ok());
    QCOMPARE(old->messages, 2);
    QCOMPARE(old->uidNext, 3);
    QCOMPARE(meta(old->id, 1).flags, quint32(FlagSeen));
    QCOMPARE(meta(old->id, 2).keywords, QStringList { QStringLiteral("$Work") });
    QCOMPARE(meta(old->id, 2).subject, QStringLiteral("Test 2"));
    QCOMPARE(*m_store->blobs().refcount(meta(old->id, 1).blobHash), 1);
}

void TestMailStore::subscriptions()
{
    // A user's default mailboxes start subscribed.
    const QStringList defaults { QStringLiteral("INBOX"), QStringLiteral("Archive"), QStringLiteral("Drafts"),
        QStringLiteral("Junk"), QStringLiteral("Sent"), QStringLiteral("Trash") };
    QCOMPARE(*m_ms->subscriptions(m_ann), defaults);
    QVERIFY(m_ms->createMailbox(m_ann, QStringLiteral("Lists")).ok());
    QCOMPARE(*m_ms->subscriptions(m_ann), defaults); // CREATE does not subscribe
    QVERIFY(m_ms->setSubscribed(m_ann, QStringLiteral("Not/There/Yet"), true).ok());
    QVERIFY(m_ms->setSubscribed(m_ann, QStringLiteral("Not/There/Yet"), true).ok()); // twice is fine
    QVERIFY(m_ms->setSubscribed(m_ann, QStringLiteral("Lists"), true).ok());
    QVERIFY(m_ms->setSubscribed(m_ann, QStringLiteral("inbox"), false).ok());
    QVERIFY(m_ms->setSubscribed(m_ann, QStringLiteral("Never"), false).ok());
    QCOMPARE(*m_ms->subscriptions(m_ann),
        (QStringList { QStringLiteral("Archive"), QStringLiteral("Drafts"), QStringLiteral("Junk"),
            QStringLiteral("Lists"), QStringLiteral("Not/There/Yet"), QStringLiteral("Sent"),
            QStringLiteral("Trash") }));
    QVERIFY(m_ms->setSubscribed(m_ann, QStringLiteral("INBOX"), true).ok());
    QCOMPARE(m_ms->subscriptions(m_ann)->first(), QStringLiteral("INBOX"));
    QVERIFY(m_ms->deleteMailbox(m_ann, QStringLiteral("Lists")).ok());
    QVERIFY(m_ms->subscriptions(m_ann)->contains(QStringLiteral("Lists"))); // untouched
    QVERIFY(!m_ms->subscriptions(m_bob)->contains(QStringLiteral("Lists")));
    QCOMPARE(m_ms->setSubscribed(987654, QStringLiteral("x"), true).error().code, ErrorCode::NotFound);
}

void TestMailStore::messagesPageAndCache()
{
    const qint64 inbox = box(QStringLiteral("INBOX"));
    for (int i = 1; i <= 5; ++i)
        QCOMPARE(add(inbox, i), i);
    const auto some = m_ms->messages(inbox, { 4, 2, 2, 9 });
    QCOMPARE(some->size(), 2);
    QCOMPARE(some->at(0).uid, 2);
    QCOMPARE(some->at(1).subject, QStringLiteral("Test 4"));
    QVERIFY(some->at(0).envelope.isEmpty());

    const qint64 h = highest(inbox);
    QVERIFY(m_ms->setCache({ { some->at(0).id, QByteArray("(\"env\")"), QByteArray("(\"text\" \"plain\")") } }).ok());
    const MessageMeta m = meta(inbox, 2);
    QCOMPARE(m.envelope, QByteArray("(\"env\")"));
    QCOMPARE(m.bodyStructure, QByteArray("(\"text\" \"plain\")"));
    QCOMPARE(m.modseq, some->at(0).modseq); // not a change clients see
    QCOMPARE(highest(inbox), h);

    const auto page = m_ms->page(inbox, 1, 2);
    QCOMPARE(page->size(), 2);
    QCOMPARE(page->at(0).uid, 4);
    QCOMPARE(page->at(1).uid, 3);
    QCOMPARE(page->at(0).from, QStringLiteral("Ann <ann@example.com>"));
    QCOMPARE(m_ms->page(inbox, 4, 10)->size(), 1);
}

void TestMailStore::blobReferences()
{
    const qint64 inbox = box(QStringLiteral("INBOX")), archive = box(QStringLiteral("Archive"));
    const qint64 trash = box(QStringLiteral("Trash"));
    const auto tmp = m_ms->createMailbox(m_ann, QStringLiteral("Tmp"));
    QCOMPARE(add(inbox, 1), 1);
    const QString hash = meta(inbox, 1).blobHash;
    BlobStore &blobs = m_store->blobs();
    QCOMPARE(*blobs.refcount(hash), 1);
    QVERIFY(m_ms->copy(inbox, { 1 }, archive, false).ok());
    QVERIFY(m_ms->copy(inbox, { 1 }, *tmp, false).ok());
    QCOMPARE(*blobs.refcount(hash), 3);
    QVERIFY(m_ms->copy(archive, { 1 }, trash, true).ok());
    QCOMPARE(*blobs.refcount(hash), 3);
    QVERIFY(m_ms->deleteMailbox(m_ann, QStringLiteral("Tmp")).ok());
    QCOMPARE(*blobs.refcount(hash), 2);
    QVERIFY(m_ms->storeFlags(trash, { 1 }, { FlagMode::Add, FlagDeleted, {}, -1 }).ok());
    QCOMPARE(m_ms->expunge(trash)->size(), 1);
    QCOMPARE(*blobs.refcount(hash), 1);
    QVERIFY(m_ms->renameMailbox(m_ann, QStringLiteral("INBOX"), QStringLiteral("Before")).ok());
    QCOMPARE(*blobs.refcount(hash), 1);
    const qint64 before = box(QStringLiteral("Before"));
    QVERIFY(m_ms->storeFlags(before, { 1 }, { FlagMode::Add, FlagDeleted, {}, -1 }).ok());
    QCOMPARE(m_ms->expunge(before)->size(), 1);
    QCOMPARE(*blobs.refcount(hash), 0);
    QCOMPARE(*blobs.collectGarbage(-1), 1);
}

void TestMailStore::severalThreads()
{
    const qint64 inbox = box(QStringLiteral("INBOX"));
    constexpr int kThreads = 4, kEach = 25;
    QList<QThread *> threads;
    QAtomicInt failures = 0;
    for (int t = 0; t < kThreads; ++t)
        threads << QThread::create([this, inbox, t, &failures] {
            for (int i = 0; i < kEach; ++i) {
                const int n = t * 1000 + i;
                if (!m_ms->append(inbox, message(n), 0, {}, {}).ok())
                    failures.fetchAndAddRelaxed(1);
                if (!m_ms->storeFlags(inbox, { i + 1 }, { FlagMode::Add, FlagSeen, {}, -1 }).ok())
                    failures.fetchAndAddRelaxed(1);
                if (!m_ms->snapshot(inbox).ok())
                    failures.fetchAndAddRelaxed(1);
            }
        });
    for (QThread *t : std::as_const(threads))
        t->start();
    for (QThread *t : std::as_const(threads)) {
        QVERIFY(t->wait(120000));
        delete t;
    }
    QCOMPARE(failures.loadRelaxed(), 0);
    const auto snap = m_ms->snapshot(inbox);
    QCOMPARE(snap->size(), kThreads * kEach);
    for (int i = 0; i < snap->size(); ++i)
        QCOMPARE(snap->at(i).uid, i + 1);
}

void TestMailStore::snapshotOf100kMessages()
{
    constexpr int kCount = 100000;
    const qint64 inbox = box(QStringLiteral("INBOX"));
    {
        // Straight through SQL: appending one by one would take minutes here.
        Database db(m_dir->filePath(QStringLiteral("mailroom.db")), Durability::Normal);
        QSqlDatabase c = *db.connection();
        const QString hash(64, u'a');
        Transaction tx(c);
        QVERIFY(tx.begun());
        QVERIFY(Query(c, QStringLiteral("INSERT INTO blobs (hash, size, created) VALUES (?, 100, 0)"))
                    .bind(hash)
                    .exec()
                    .ok());
        QVERIFY(Query(c,
            QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
                           " INSERT INTO messages (mailbox_id, uid, modseq, flags, keywords, internal_date, size,"
                           " blob_hash, env_subject) SELECT ?, i, 1, i % 2, CASE WHEN i % 10 = 0 THEN '$Forwarded'"
                           " ELSE '' END, 1700000000000, 100, ?, 'Subject ' || i FROM n"))
                    .bind(kCount)
                    .bind(inbox)
                    .bind(hash)
                    .exec()
                    .ok());
        QVERIFY(Query(c, QStringLiteral("UPDATE mailboxes SET uidnext = ?, highestmodseq = 1 WHERE id = ?"))
                    .bind(kCount + 1)
                    .bind(inbox)
                    .exec()
                    .ok());
        QVERIFY(tx.commit().ok());
    }
    QElapsedTimer timer;
    timer.start();
    const std::clock_t cpu = std::clock(); // the machine may be busy: CPU time too
    const auto snap = m_ms->snapshot(inbox);
    const qint64 snapshotMs = timer.elapsed();
    const qint64 snapshotCpuMs = qint64(std::clock() - cpu) * 1000 / CLOCKS_PER_SEC;
    QVERIFY(snap.ok());
    QCOMPARE(snap->size(), kCount);
    QCOMPARE(snap->at(9).keywords, QStringList { QStringLiteral("$Forwarded") });
    qDebug() << "snapshot() of" << kCount << "messages took" << snapshotMs << "ms," << snapshotCpuMs << "ms CPU";

    QList<qint64> all;
    all.reserve(kCount);
    for (int i = 1; i <= kCount; ++i)
        all << i;
    timer.restart();
    const auto r = m_ms->storeFlags(inbox, all, { FlagMode::Add, FlagSeen, {}, -1 });
    qDebug() << "storeFlags() on" << kCount << "UIDs took" << timer.elapsed() << "ms";
    QVERIFY(r.ok());
    QCOMPARE(r->updated.size(), kCount / 2);
    timer.restart();
    const auto c = m_ms->changesSince(inbox, 1);
    qDebug() << "changesSince() with" << c->changed.size() << "changes took" << timer.elapsed() << "ms";
    QCOMPARE(c->changed.size(), kCount / 2);
    timer.restart();
    const auto list = m_ms->mailboxes(m_ann);
    qDebug() << "mailboxes() took" << timer.elapsed() << "ms";
    QCOMPARE(list->first().unseen, 0);
}

QTEST_GUILESS_MAIN(TestMailStore)
#include "tst_mailstore.moc"
