// Migrations: from an empty folder to the newest schema, and from every older
// version with rows in it; a failed migration leaves the old version; a
// database from a newer Mailroom is refused. Also the RAII transaction.
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "store/directory.h"
#include "store/mailstore.h"
#include "store/migrations.h"
#include "store/sql.h"
#include "store/store.h"
#include "store/transaction.h"

using namespace mailroom;
using namespace mailroom::store;

class TestMigrations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromEmpty();
    void fromEveryOlderVersion_data();
    void fromEveryOlderVersion();
    void imapStateFromVersion7();
    void newerDatabaseIsRefused();
    void failedMigrationChangesNothing();
    void transactionRollsBackUnlessCommitted();
};

namespace
{
int version(const QString &file)
{
    Database db(file, Durability::Normal);
    return *schemaVersion(*db.connection());
}
} // namespace

void TestMigrations::fromEmpty()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.path(), nullptr);
    QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
    store.value().reset();
    QCOMPARE(version(dir.filePath(QStringLiteral("mailroom.db"))), Store::newestSchema());
    QCOMPARE(version(dir.filePath(QStringLiteral("logs.db"))), logMigrations().last().version);
}

void TestMigrations::fromEveryOlderVersion_data()
{
    QTest::addColumn<int>("from");
    for (int v = 1; v < Store::newestSchema(); ++v)
        QTest::addRow("from %d", v) << v;
}

void TestMigrations::fromEveryOlderVersion()
{
    QFETCH(int, from);
    QTemporaryDir dir;
    QVERIFY(Store::migrateTo(dir.path(), from).ok());
    QCOMPARE(version(dir.filePath(QStringLiteral("mailroom.db"))), from);
    {
        // Rows that schema 1 already knows, written the way that version did.
        Database db(dir.filePath(QStringLiteral("mailroom.db")), Durability::Normal);
        QSqlDatabase c = *db.connection();
        QVERIFY(execScript(c,
            { QStringLiteral("INSERT INTO domains (name, created) VALUES ('old.example', 1)"),
                QStringLiteral("INSERT INTO users (domain_id, address, password_hash, created) VALUES "
                               "(1, 'ann@old.example', '$scrypt$x', 1)"),
                QStringLiteral("INSERT INTO aliases (domain_id, address, created) VALUES "
                               "(1, 'info@old.example', 1)"),
                QStringLiteral("INSERT INTO alias_targets VALUES (1, 0, 'ann@old.example')") })
                    .ok());
    }
    auto store = Store::open(dir.path(), nullptr);
    QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
    Directory &d = store.value()->directory();
    const auto ann = d.findUser(QStringLiteral("ann@old.example"));
    QVERIFY(ann.ok());
    QCOMPARE(ann->cramMd5Allowed, false); // a column added by migration 4
    QCOMPARE(*d.resolve(QStringLiteral("info@old.example")), QStringList { QStringLiteral("ann@old.example") });
    store.value().reset();
    QCOMPARE(version(dir.filePath(QStringLiteral("mailroom.db"))), Store::newestSchema());
}

void TestMigrations::imapStateFromVersion7()
{
    // Migration 8: subscriptions come from mailboxes.subscribed, messages
    // get an empty envelope cache, and the store works on the old rows.
    QTemporaryDir dir;
    QVERIFY(Store::migrateTo(dir.path(), 7).ok());
    {
        Database db(dir.filePath(QStringLiteral("mailroom.db")), Durability::Normal);
        QVERIFY(execScript(*db.connection(),
            { QStringLiteral("INSERT INTO domains (name, created) VALUES ('old.example', 1)"),
                QStringLiteral("INSERT INTO users (domain_id, address, password_hash, created) VALUES "
                               "(1, 'ann@old.example', '$scrypt$x', 1)"),
                QStringLiteral("INSERT INTO mailboxes (user_id, name, uidvalidity, uidnext, highestmodseq) VALUES "
                               "(1, 'INBOX', 7, 2, 5)"),
                QStringLiteral("INSERT INTO mailboxes (user_id, name, uidvalidity, subscribed) VALUES "
                               "(1, 'Hidden', 8, 0)"),
                QStringLiteral("INSERT INTO blobs (hash, size, created) VALUES ('h', 10, 1)"),
                QStringLiteral("INSERT INTO messages (mailbox_id, uid, modseq, flags, keywords, internal_date, size,"
                               " blob_hash) VALUES (1, 1, 5, 1, '$Old', 1, 10, 'h')") })
                    .ok());
    }
    auto opened = Store::open(dir.path(), nullptr);
    QVERIFY(opened.ok());
    MailStore &ms = opened.value()->mailStore();
    QCOMPARE(*ms.subscriptions(1), QStringList { QStringLiteral("INBOX") });
    const auto meta = ms.messages(1, { 1 });
    QCOMPARE(meta->size(), 1);
    QCOMPARE(meta->first().keywords, QStringList { QStringLiteral("$Old") });
    QVERIFY(meta->first().envelope.isEmpty());
    QVERIFY(ms.changesSince(1, 0)->expunged.isEmpty());
    QVERIFY(ms.createMailbox(1, QStringLiteral("New")).ok());
    QVERIFY(ms.mailbox(1, QStringLiteral("New"))->uidValidity > 8);
}

void TestMigrations::newerDatabaseIsRefused()
{
    QTemporaryDir dir;
    QVERIFY(Store::open(dir.path(), nullptr).ok());
    {
        Database db(dir.filePath(QStringLiteral("mailroom.db")), Durability::Normal);
        QVERIFY(execScript(*db.connection(), { QStringLiteral("PRAGMA user_version = 999") }).ok());
    }
    const auto store = Store::open(dir.path(), nullptr);
    QVERIFY(!store.ok());
    QVERIFY(store.error().message.contains(QStringLiteral("newer Mailroom")));
}

void TestMigrations::failedMigrationChangesNothing()
{
    QTemporaryDir dir;
    Database db(dir.filePath(QStringLiteral("t.db")), Durability::Normal);
    QSqlDatabase c = *db.connection();
    const QList<Migration> list {
        { 1, "good", { QStringLiteral("CREATE TABLE a (x INTEGER)") } },
        { 2, "bad",
            { QStringLiteral("CREATE TABLE b (y INTEGER)"), QStringLiteral("INSERT INTO nowhere VALUES (1)") } },
    };
    const auto r = migrate(c, list);
    QVERIFY(!r.ok());
    QVERIFY(r.error().message.contains(QStringLiteral("schema 2")));
    QCOMPARE(*schemaVersion(c), 1);
    QSqlQuery q(c);
    QVERIFY(!q.exec(QStringLiteral("SELECT * FROM b"))); // rolled back with its migration
}

void TestMigrations::transactionRollsBackUnlessCommitted()
{
    QTemporaryDir dir;
    Database db(dir.filePath(QStringLiteral("t.db")), Durability::Normal);
    QSqlDatabase c = *db.connection();
    QVERIFY(execScript(c, { QStringLiteral("CREATE TABLE t (x INTEGER NOT NULL)") }).ok());
    {
        Transaction tx(c);
        QVERIFY(tx.begun());
        QVERIFY(Query(c, QStringLiteral("INSERT INTO t VALUES (1)")).exec().ok());
    } // no commit
    QCOMPARE(Query(c, QStringLiteral("SELECT COUNT(*) FROM t")).scalar()->toInt(), 0);
    {
        Transaction tx(c);
        QVERIFY(Query(c, QStringLiteral("INSERT INTO t VALUES (2)")).exec().ok());
        QVERIFY(!Query(c, QStringLiteral("INSERT INTO t VALUES (NULL)")).exec().ok()); // fails mid-way
    }
    QCOMPARE(Query(c, QStringLiteral("SELECT COUNT(*) FROM t")).scalar()->toInt(), 0);
    {
        Transaction tx(c);
        QVERIFY(Query(c, QStringLiteral("INSERT INTO t VALUES (3)")).exec().ok());
        QVERIFY(tx.commit().ok());
    }
    QCOMPARE(Query(c, QStringLiteral("SELECT COUNT(*) FROM t")).scalar()->toInt(), 1);
}

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
