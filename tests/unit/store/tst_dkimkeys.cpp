// DKIM keys in the store: a key is a row plus a 0600 PEM file; selectors are
// unique per domain and checked; activation retires the active key of the
// same algorithm only (RSA and Ed25519 sign side by side); an active key is
// deleted only with force; a removed domain takes its key files along; files
// without a row are swept.
#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "store/directory.h"
#include "store/dkimkeys.h"
#include "store/store.h"

using namespace mailroom;
using namespace mailroom::store;

class TestDkimKeys : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void addWritesOwnerOnlyFile();
    void selectorsAreCheckedAndUnique();
    void activationRetiresOnlyTheSameAlgorithm();
    void activeKeyIsDeletedOnlyWithForce();
    void retiredKeysGoAfterTheirTime();
    void removingTheDomainRemovesItsKeyFiles();
    void sweepRemovesFilesWithoutRow();
};

namespace
{
const QByteArray pem = QByteArrayLiteral("-----BEGIN PRIVATE KEY-----\nnot a real key\n-----END PRIVATE KEY-----\n");

std::unique_ptr<Store> openWithDomain(const QTemporaryDir &dir)
{
    auto store = Store::open(dir.path(), nullptr);
    if (!store)
        return nullptr;
    if (!store.value()->directory().addDomain(QStringLiteral("example.com"), {}))
        return nullptr;
    return std::move(store).value();
}

QString keyFile(const QTemporaryDir &dir, const char *domain, const char *selector)
{
    return dir.filePath(QStringLiteral("dkim/%1/%2.pem").arg(QLatin1String(domain), QLatin1String(selector)));
}

Result<DkimKeyRecord> add(Store &s, const char *selector, const char *algorithm, const char *domain = "example.com")
{
    return s.dkimKeys().add(QLatin1String(domain), QLatin1String(selector), QLatin1String(algorithm),
        QByteArrayLiteral("v=DKIM1; k=rsa; p=AAAA"), pem);
}
} // namespace

void TestDkimKeys::addWritesOwnerOnlyFile()
{
    QTemporaryDir dir;
    auto store = openWithDomain(dir);
    QVERIFY(store);
    auto k = add(*store, "Sel1", "rsa-sha256");
    QVERIFY2(k.ok(), qPrintable(k.ok() ? QString() : k.error().message));
    QCOMPARE(k->selector, QStringLiteral("sel1"));
    QCOMPARE(k->state, QStringLiteral("pending"));
    QVERIFY(k->created.isValid());
    QVERIFY(!k->activated.isValid());
    QCOMPARE(k->record, QByteArrayLiteral("v=DKIM1; k=rsa; p=AAAA"));
    QFile f(keyFile(dir, "example.com", "sel1"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), pem);
    struct stat st {
    };
    QCOMPARE(::stat(QFile::encodeName(f.fileName()).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0600);
    QCOMPARE(::stat(QFile::encodeName(dir.filePath(QStringLiteral("dkim"))).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0700);

    auto all = store->dkimKeys().list({});
    QVERIFY(all.ok());
    QCOMPARE(all->size(), 1);
    QCOMPARE(all->first().domain, QStringLiteral("example.com"));
    QCOMPARE(store->dkimKeys().list(QStringLiteral("nowhere.example")).error().code, ErrorCode::NotFound);
    QCOMPARE(add(*store, "s", "rsa-sha256", "nowhere.example").error().code, ErrorCode::NotFound);
}

void TestDkimKeys::selectorsAreCheckedAndUnique()
{
    QTemporaryDir dir;
    auto store = openWithDomain(dir);
    QVERIFY(store);
    QVERIFY(add(*store, "a.b-c", "ed25519-sha256").ok());
    QCOMPARE(add(*store, "A.B-C", "rsa-sha256").error().code, ErrorCode::AlreadyExists);
    for (const char *bad : { "", "../x", "a/b", "-a", "a..b", "a_b", "sel ector" })
        QCOMPARE(add(*store, bad, "rsa-sha256").error().code, ErrorCode::InvalidArgument);
    QCOMPARE(add(*store, "x", "rsa-sha1").error().code, ErrorCode::InvalidArgument);
    QVERIFY(!QDir(dir.filePath(QStringLiteral("dkim/x"))).exists());
}

void TestDkimKeys::activationRetiresOnlyTheSameAlgorithm()
{
    QTemporaryDir dir;
    auto store = openWithDomain(dir);
    QVERIFY(store);
    DkimKeys &keys = store->dkimKeys();
    QVERIFY(add(*store, "r1", "rsa-sha256").ok());
    QVERIFY(add(*store, "r2", "rsa-sha256").ok());
    QVERIFY(add(*store, "e1", "ed25519-sha256").ok());
    auto r1 = keys.activate(QStringLiteral("example.com"), QStringLiteral("r1"));
    QVERIFY(r1.ok());
    QCOMPARE(r1->key.state, QStringLiteral("active"));
    QVERIFY(r1->retiredSelector.isEmpty());
    QVERIFY(keys.activate(QStringLiteral("example.com"), QStringLiteral("e1")).ok());
    auto active = keys.activeKeys();
    QVERIFY(active.ok());
    QCOMPARE(active->size(), 2);
    QCOMPARE(active->first().privatePem, pem);

    auto r2 = keys.activate(QStringLiteral("example.com"), QStringLiteral("r2"));
    QVERIFY(r2.ok());
    QCOMPARE(r2->retiredSelector, QStringLiteral("r1"));
    auto old = keys.find(QStringLiteral("example.com"), QStringLiteral("r1"));
    QCOMPARE(old->state, QStringLiteral("retired"));
    QVERIFY(old->retired.isValid());
    QCOMPARE(keys.find(QStringLiteral("example.com"), QStringLiteral("e1"))->state, QStringLiteral("active"));
    active = keys.activeKeys();
    QCOMPARE(active->size(), 2);
    QStringList selectors;
    for (const auto &k : std::as_const(*active))
        selectors << k.selector;
    selectors.sort();
    QCOMPARE(selectors, (QStringList { QStringLiteral("e1"), QStringLiteral("r2") }));
    QCOMPARE(keys.activate(QStringLiteral("example.com"), QStringLiteral("nope")).error().code, ErrorCode::NotFound);
}

void TestDkimKeys::activeKeyIsDeletedOnlyWithForce()
{
    QTemporaryDir dir;
    auto store = openWithDomain(dir);
    QVERIFY(store);
    DkimKeys &keys = store->dkimKeys();
    QVERIFY(add(*store, "r1", "rsa-sha256").ok());
    QVERIFY(add(*store, "r2", "rsa-sha256").ok());
    QVERIFY(keys.activate(QStringLiteral("example.com"), QStringLiteral("r1")).ok());
    QVERIFY(keys.remove(QStringLiteral("example.com"), QStringLiteral("r2"), false).ok());
    QVERIFY(!QFile::exists(keyFile(dir, "example.com", "r2")));
    QCOMPARE(keys.remove(QStringLiteral("example.com"), QStringLiteral("r1"), false).error().code, ErrorCode::Conflict);
    QVERIFY(QFile::exists(keyFile(dir, "example.com", "r1")));
    QVERIFY(keys.remove(QStringLiteral("example.com"), QStringLiteral("r1"), true).ok());
    QVERIFY(!QFile::exists(keyFile(dir, "example.com", "r1")));
    QVERIFY(!QDir(dir.filePath(QStringLiteral("dkim/example.com"))).exists());
    QCOMPARE(keys.activeKeys()->size(), 0);
}

void TestDkimKeys::retiredKeysGoAfterTheirTime()
{
    QTemporaryDir dir;
    auto store = openWithDomain(dir);
    QVERIFY(store);
    DkimKeys &keys = store->dkimKeys();
    QVERIFY(add(*store, "r1", "rsa-sha256").ok());
    QVERIFY(add(*store, "r2", "rsa-sha256").ok());
    QVERIFY(add(*store, "e1", "ed25519-sha256").ok()); // pending: never expires
    QVERIFY(keys.activate(QStringLiteral("example.com"), QStringLiteral("r1")).ok());
    QVERIFY(keys.activate(QStringLiteral("example.com"), QStringLiteral("r2")).ok()); // retires r1

    // Retired just now: not before a day ago.
    auto none = keys.removeRetired(QDateTime::currentDateTimeUtc().addDays(-1));
    QVERIFY(none.ok());
    QVERIFY(none->isEmpty());
    QVERIFY(QFile::exists(keyFile(dir, "example.com", "r1")));

    auto gone = keys.removeRetired(QDateTime::currentDateTimeUtc().addSecs(60));
    QVERIFY(gone.ok());
    QCOMPARE(gone->size(), 1);
    QCOMPARE(gone->first().selector, QStringLiteral("r1"));
    QCOMPARE(keys.find(QStringLiteral("example.com"), QStringLiteral("r1")).error().code, ErrorCode::NotFound);
    QVERIFY(!QFile::exists(keyFile(dir, "example.com", "r1")));
    QCOMPARE(keys.find(QStringLiteral("example.com"), QStringLiteral("r2"))->state, QStringLiteral("active"));
    QCOMPARE(keys.find(QStringLiteral("example.com"), QStringLiteral("e1"))->state, QStringLiteral("pending"));
    QVERIFY(QFile::exists(keyFile(dir, "example.com", "r2")));
}

void TestDkimKeys::removingTheDomainRemovesItsKeyFiles()
{
    QTemporaryDir dir;
    auto store = openWithDomain(dir);
    QVERIFY(store);
    QVERIFY(store->directory().addDomain(QStringLiteral("example.org"), {}).ok());
    QVERIFY(add(*store, "r1", "rsa-sha256").ok());
    QVERIFY(add(*store, "o1", "rsa-sha256", "example.org").ok());
    QVERIFY(store->dkimKeys().activate(QStringLiteral("example.com"), QStringLiteral("r1")).ok());
    QVERIFY(store->directory().removeDomain(QStringLiteral("example.com"), false).ok());
    QVERIFY(!QDir(dir.filePath(QStringLiteral("dkim/example.com"))).exists());
    QVERIFY(QFile::exists(keyFile(dir, "example.org", "o1")));
    auto all = store->dkimKeys().list({});
    QCOMPARE(all->size(), 1);
    QCOMPARE(all->first().domain, QStringLiteral("example.org"));
    QCOMPARE(store->dkimKeys().activeKeys()->size(), 0);
}

void TestDkimKeys::sweepRemovesFilesWithoutRow()
{
    QTemporaryDir dir;
    {
        auto store = openWithDomain(dir);
        QVERIFY(store);
        QVERIFY(add(*store, "kept", "rsa-sha256").ok());
    }
    // A crash after the file was written and before its row was committed.
    QFile orphan(keyFile(dir, "example.com", "orphan"));
    QVERIFY(orphan.open(QIODevice::WriteOnly));
    orphan.write(pem);
    orphan.close();
    QDir().mkpath(dir.filePath(QStringLiteral("dkim/gone.example")));
    QFile gone(keyFile(dir, "gone.example", "x"));
    QVERIFY(gone.open(QIODevice::WriteOnly));
    gone.close();
    auto store = Store::open(dir.path(), nullptr);
    QVERIFY(store.ok());
    QVERIFY(!QFile::exists(keyFile(dir, "example.com", "orphan")));
    QVERIFY(!QDir(dir.filePath(QStringLiteral("dkim/gone.example"))).exists());
    QVERIFY(QFile::exists(keyFile(dir, "example.com", "kept")));
}

QTEST_GUILESS_MAIN(TestDkimKeys)
#include "tst_dkimkeys.moc"
