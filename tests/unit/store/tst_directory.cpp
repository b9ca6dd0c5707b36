// Directory: domains, users and aliases; every refusal leaves the directory
// as it was; resolution through aliases, lists, plus-addressing, catch-alls.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "base/events.h"
#include "store/blobstore.h"
#include "store/directory.h"
#include "store/mailboxes.h"
#include "store/store.h"

using namespace mailroom;
using namespace mailroom::store;

class TestDirectory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void domains();
    void users();
    void refusalsChangeNothing_data();
    void refusalsChangeNothing();
    void aliasesAndResolution();
    void removingCleansUp();
    void paging();
    void mailboxesAndQuota();

private:
    QString snapshot();
    QTemporaryDir *m_dir = nullptr;
    EventBus m_bus;
    std::unique_ptr<Store> m_store;
    Directory *d = nullptr;
};

void TestDirectory::init()
{
    m_dir = new QTemporaryDir;
    auto s = Store::open(m_dir->path(), &m_bus);
    QVERIFY(s.ok());
    m_store = std::move(s).value();
    d = &m_store->directory();
    QVERIFY(d->addDomain(QStringLiteral("example.com"), QStringLiteral("HQ")).ok());
    QVERIFY(d->addUser(QStringLiteral("ann@example.com"), QStringLiteral("$h"), QStringLiteral("Ann"), 0).ok());
    QVERIFY(d->addUser(QStringLiteral("bob@example.com"), QStringLiteral("$h"), QString(), 1000).ok());
}

void TestDirectory::cleanup()
{
    m_store.reset();
    delete m_dir;
}

QString TestDirectory::snapshot()
{
    // Each page is held in a variable: ranging over result->items of a
    // temporary would dangle (the Result dies before the loop body).
    QStringList out;
    const auto domainPage = d->listDomains({});
    const auto userPage = d->listUsers({});
    const auto aliasPage = d->listAliases({});
    for (const auto &x : domainPage->items)
        out << x.name + u' ' + x.description + u' ' + QString::number(x.userCount);
    for (const auto &x : userPage->items)
        out << x.address + u' ' + x.displayName + u' ' + QString::number(x.quotaBytes) + u' '
                + QString::number(x.enabled);
    for (const auto &x : aliasPage->items)
        out << x.address + u'>' + x.targets.join(u',');
    return out.join(u'\n');
}

void TestDirectory::domains()
{
    QSignalSpy events(&m_bus, &EventBus::eventRaised);
    const auto idn = d->addDomain(QStringLiteral("Bücher.Example."), QString());
    QVERIFY(idn.ok());
    QCOMPARE(idn->name, QStringLiteral("xn--bcher-kva.example"));
    QCOMPARE(events.count(), 1);
    QCOMPARE(events.first().first().value<Event>().id, EventId::DomainAdded);
    QVERIFY(d->updateDomain(QStringLiteral("EXAMPLE.com"), QStringLiteral("Head office")).ok());
    const auto ex = d->findDomain(QStringLiteral("example.com"));
    QCOMPARE(ex->description, QStringLiteral("Head office"));
    QCOMPARE(ex->userCount, 2);
    QCOMPARE(d->listDomains({})->total, 2);
    QCOMPARE(d->listDomains({ QString(), QStringLiteral("BÜCH"), 0, 100 })->total, 0); // filter is on the ACE name
    QCOMPARE(d->listDomains({ QString(), QStringLiteral("bcher"), 0, 100 })->total, 1);
}

void TestDirectory::users()
{
    const auto ann = d->findUser(QStringLiteral("ANN@Example.COM"));
    QVERIFY(ann.ok());
    QCOMPARE(ann->address, QStringLiteral("ann@example.com"));
    QCOMPARE(ann->displayName, QStringLiteral("Ann"));
    QVERIFY(ann->enabled);
    UserPatch p;
    p.enabled = false;
    p.quotaBytes = 5000;
    QVERIFY(d->updateUser(QStringLiteral("ann@example.com"), p).ok());
    QCOMPARE(d->findUser(QStringLiteral("ann@example.com"))->quotaBytes, 5000);
    QVERIFY(!d->findUser(QStringLiteral("ann@example.com"))->enabled);
    QVERIFY(d->setPasswordHash(QStringLiteral("ann@example.com"), QStringLiteral("$new")).ok());
    QCOMPARE(*d->passwordHash(QStringLiteral("ann@example.com")), QStringLiteral("$new"));
    QCOMPARE(d->counts()->users, 2);
}

void TestDirectory::refusalsChangeNothing_data()
{
    QTest::addColumn<int>("op");
    QTest::addColumn<QString>("arg");
    QTest::addColumn<int>("code");
    QTest::newRow("duplicate user") << 0 << QStringLiteral("ann@example.com") << int(ErrorCode::AlreadyExists);
    QTest::newRow("user case variant") << 0 << QStringLiteral("Bob@EXAMPLE.com") << int(ErrorCode::AlreadyExists);
    QTest::newRow("unknown domain") << 0 << QStringLiteral("eve@nowhere.org") << int(ErrorCode::NotFound);
    QTest::newRow("no at") << 0 << QStringLiteral("eve") << int(ErrorCode::InvalidArgument);
    QTest::newRow("double at") << 0 << QStringLiteral("eve@@example.com") << int(ErrorCode::InvalidArgument);
    QTest::newRow("leading dot") << 0 << QStringLiteral(".eve@example.com") << int(ErrorCode::InvalidArgument);
    QTest::newRow("space") << 0 << QStringLiteral("e ve@example.com") << int(ErrorCode::InvalidArgument);
    QTest::newRow("long local") << 0 << QString(65, QLatin1Char('e')) + QStringLiteral("@example.com")
                                << int(ErrorCode::InvalidArgument);
    QTest::newRow("user is alias") << 0 << QStringLiteral("info@example.com") << int(ErrorCode::Conflict);
    QTest::newRow("duplicate domain") << 1 << QStringLiteral("Example.com") << int(ErrorCode::AlreadyExists);
    QTest::newRow("bad domain") << 1 << QStringLiteral("exa_mple.com") << int(ErrorCode::InvalidArgument);
    QTest::newRow("numeric tld") << 1 << QStringLiteral("10.0.0.1") << int(ErrorCode::InvalidArgument);
    QTest::newRow("single label") << 1 << QStringLiteral("localhost") << int(ErrorCode::InvalidArgument);
    QTest::newRow("alias loop") << 2 << QStringLiteral("info@example.com") << int(ErrorCode::Conflict);
    QTest::newRow("alias is user") << 3 << QStringLiteral("ann@example.com") << int(ErrorCode::Conflict);
    QTest::newRow("alias to ghost") << 4 << QStringLiteral("ghost@example.com") << int(ErrorCode::NotFound);
    QTest::newRow("domain not empty") << 5 << QStringLiteral("example.com") << int(ErrorCode::Conflict);
    QTest::newRow("remove missing user") << 6 << QStringLiteral("ghost@example.com") << int(ErrorCode::NotFound);
}

void TestDirectory::refusalsChangeNothing()
{
    QFETCH(int, op);
    QFETCH(QString, arg);
    QFETCH(int, code);
    QVERIFY(d->addAlias(QStringLiteral("sales@example.com"), { QStringLiteral("ann@example.com") }).ok());
    QVERIFY(d->addAlias(QStringLiteral("info@example.com"), { QStringLiteral("sales@example.com") }).ok());
    const QString before = snapshot();
    Error e;
    switch (op) {
    case 0:
        e = d->addUser(arg, QStringLiteral("$h"), QString(), 0).error();
        break;
    case 1:
        e = d->addDomain(arg, QString()).error();
        break;
    case 2:
        e = d->updateAlias(QStringLiteral("sales@example.com"), { arg }).error();
        break;
    case 3:
        e = d->addAlias(arg, { QStringLiteral("bob@example.com") }).error();
        break;
    case 4:
        e = d->addAlias(QStringLiteral("new@example.com"), { arg }).error();
        break;
    case 5:
        e = d->removeDomain(arg, false).error();
        break;
    case 6:
        e = d->removeUser(arg).error();
        break;
    }
    QCOMPARE(int(e.code), code);
    QVERIFY(!e.message.isEmpty());
    QCOMPARE(snapshot(), before);
}

void TestDirectory::aliasesAndResolution()
{
    QVERIFY(d->addAlias(QStringLiteral("sales@example.com"), { QStringLiteral("ann@example.com") }).ok());
    QVERIFY(d->addAlias(QStringLiteral("team@example.com"),
                 { QStringLiteral("sales@example.com"), QStringLiteral("bob@example.com"),
                     QStringLiteral("partner@elsewhere.org"), QStringLiteral("ann@example.com") })
                .ok());
    QVERIFY(d->addAlias(QStringLiteral("@example.com"), { QStringLiteral("bob@example.com") }).ok());
    QCOMPARE(*d->resolve(QStringLiteral("ann@example.com")), QStringList { QStringLiteral("ann@example.com") });
    QCOMPARE(*d->resolve(QStringLiteral("Sales@example.com")), QStringList { QStringLiteral("ann@example.com") });
    // a list, with a nested alias and a duplicate: each recipient once
    QCOMPARE(*d->resolve(QStringLiteral("team@example.com")),
        (QStringList { QStringLiteral("ann@example.com"), QStringLiteral("bob@example.com"),
            QStringLiteral("partner@elsewhere.org") }));
    QCOMPARE(
        *d->resolve(QStringLiteral("ann+invoices@example.com")), QStringList { QStringLiteral("ann@example.com") });
    QCOMPARE(*d->resolve(QStringLiteral("sales+x@example.com")), QStringList { QStringLiteral("ann@example.com") });
    QCOMPARE(*d->resolve(QStringLiteral("whoever@example.com")), QStringList { QStringLiteral("bob@example.com") });
    QCOMPARE(
        *d->resolve(QStringLiteral("someone@elsewhere.org")), QStringList { QStringLiteral("someone@elsewhere.org") });
    QVERIFY(d->removeAlias(QStringLiteral("@example.com")).ok());
    QCOMPARE(d->resolve(QStringLiteral("whoever@example.com")).error().code, ErrorCode::NotFound);
    const auto domain = d->findDomain(QStringLiteral("example.com"));
    QCOMPARE(domain->aliasCount, 2);
    QVERIFY(domain->catchAllTarget.isEmpty());
}

void TestDirectory::removingCleansUp()
{
    QVERIFY(d->addAlias(QStringLiteral("solo@example.com"), { QStringLiteral("ann@example.com") }).ok());
    QVERIFY(d->addAlias(QStringLiteral("both@example.com"),
                 { QStringLiteral("ann@example.com"), QStringLiteral("bob@example.com") })
                .ok());
    QVERIFY(d->removeUser(QStringLiteral("ann@example.com")).ok());
    const auto aliases = d->listAliases({})->items;
    QCOMPARE(aliases.size(), 1); // solo lost its only target
    QCOMPARE(aliases.first().targets, QStringList { QStringLiteral("bob@example.com") });
    QVERIFY(d->removeDomain(QStringLiteral("example.com"), true).ok());
    const auto c = d->counts();
    QCOMPARE(c->domains, 0);
    QCOMPARE(c->users, 0);
    QCOMPARE(c->aliases, 0);
}

void TestDirectory::paging()
{
    for (int i = 0; i < 250; ++i)
        QVERIFY(d->addUser(QStringLiteral("u%1@example.com").arg(i, 3, 10, QLatin1Char('0')), QStringLiteral("$h"),
                     QString(), 0)
                    .ok());
    const auto first = d->listUsers({ QStringLiteral("example.com"), QString(), 0, 100 });
    QCOMPARE(first->total, 252);
    QCOMPARE(first->items.size(), 100);
    const auto last = d->listUsers({ QStringLiteral("example.com"), QString(), 200, 100 });
    QCOMPARE(last->items.size(), 52);
    QCOMPARE(last->items.last().address, QStringLiteral("u249@example.com"));
    QCOMPARE(d->listUsers({ QString(), QStringLiteral("u1_"), 0, 100 })->total, 0); // '_' is literal, not a wildcard
    QCOMPARE(d->listUsers({ QString(), QStringLiteral("u12"), 0, 100 })->total, 10); // u120 … u129
}

void TestDirectory::mailboxesAndQuota()
{
    const auto boxes = m_store->mailboxes().list(QStringLiteral("bob@example.com"));
    QVERIFY(boxes.ok());
    QStringList names, uses;
    for (const auto &b : *boxes) {
        names << b.name;
        uses << b.specialUse;
    }
    QCOMPARE(names,
        (QStringList { QStringLiteral("INBOX"), QStringLiteral("Sent"), QStringLiteral("Drafts"),
            QStringLiteral("Junk"), QStringLiteral("Trash"), QStringLiteral("Archive") }));
    QCOMPARE(uses.mid(1),
        (QStringList { QStringLiteral("\\Sent"), QStringLiteral("\\Drafts"), QStringLiteral("\\Junk"),
            QStringLiteral("\\Trash"), QStringLiteral("\\Archive") }));
    const qint64 inbox = boxes->first().id;
    const QByteArray msg(600, 'x');
    const auto hash = m_store->blobs().put(msg);
    QVERIFY(hash.ok());
    const auto uid1 = m_store->mailboxes().append(inbox, *hash, msg.size(), 0, QDateTime::currentDateTimeUtc(), {});
    QCOMPARE(*uid1, 1);
    // bob's quota is 1000 bytes: a second 600-byte message does not fit
    const auto uid2 = m_store->mailboxes().append(inbox, *hash, msg.size(), 0, QDateTime::currentDateTimeUtc(), {});
    QCOMPARE(uid2.error().code, ErrorCode::QuotaExceeded);
    const auto annInbox = m_store->mailboxes().list(QStringLiteral("ann@example.com"))->first().id;
    QCOMPARE(*m_store->mailboxes().append(annInbox, *hash, msg.size(), 0, QDateTime::currentDateTimeUtc(), {}), 1);
    QCOMPARE(*m_store->mailboxes().append(annInbox, *hash, msg.size(), 0, QDateTime::currentDateTimeUtc(), {}), 2);
    QCOMPARE(*m_store->blobs().refcount(*hash), 3); // one file, three messages
    const auto after = m_store->mailboxes().list(QStringLiteral("ann@example.com"))->first();
    QCOMPARE(after.uidNext, 3);
    QCOMPARE(after.messages, 2);
    QCOMPARE(after.unseen, 2);
    QCOMPARE(d->findUser(QStringLiteral("ann@example.com"))->usedBytes, 1200);
    QVERIFY(d->removeUser(QStringLiteral("ann@example.com")).ok());
    QCOMPARE(*m_store->blobs().refcount(*hash), 1); // released with her messages
}

QTEST_GUILESS_MAIN(TestDirectory)
#include "tst_directory.moc"
