// Blob store: content addressing, deduplication, the folder layout, garbage
// collection of unreferenced files, and a clear error on an unwritable folder.
#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "store/blobstore.h"
#include "store/store.h"

using namespace mailroom;
using namespace mailroom::store;

class TestBlobStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contentAddressed();
    void garbageCollection();
    void unwritableFolder();
};

void TestBlobStore::contentAddressed()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.path(), nullptr);
    QVERIFY(store.ok());
    BlobStore &b = store.value()->blobs();
    const QByteArray msg = "Subject: hi\r\n\r\nhello\r\n";
    const auto h1 = b.put(msg);
    const auto h2 = b.put(msg);
    QVERIFY(h1.ok() && h2.ok());
    QCOMPARE(*h1, *h2);
    QCOMPARE(*h1, QString::fromLatin1(QCryptographicHash::hash(msg, QCryptographicHash::Sha256).toHex()));
    const QString path = b.path(*h1);
    QVERIFY(path.endsWith(QStringLiteral("blobs/%1/%2/%3").arg(h1->left(2), h1->mid(2, 2), *h1)));
    QVERIFY(QFile::exists(path));
    QCOMPARE(*b.read(*h1), msg);
    QCOMPARE(*b.refcount(*h1), 0);
    QVERIFY(!b.read(QStringLiteral("../../etc/passwd")).ok());
}

void TestBlobStore::garbageCollection()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.path(), nullptr);
    BlobStore &b = store.value()->blobs();
    const auto h = b.put("orphan");
    QCOMPARE(*b.collectGarbage(3600), 0); // too young: it may be about to be filed
    QCOMPARE(*b.collectGarbage(-1), 1);
    QVERIFY(!QFile::exists(b.path(*h)));
    QVERIFY(!b.refcount(*h).ok());
}

void TestBlobStore::unwritableFolder()
{
    // A file where the blob's shard folder must go: mkpath fails, for root too.
    QTemporaryDir dir;
    auto store = Store::open(dir.path(), nullptr);
    BlobStore &b = store.value()->blobs();
    const QByteArray content = "cannot be stored";
    const QString hash = QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
    QFile blocker(dir.filePath(QStringLiteral("blobs/") + hash.left(2)));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const auto h = b.put(content);
    QVERIFY(!h.ok());
    QCOMPARE(h.error().code, ErrorCode::IoError);
    QVERIFY(h.error().message.contains(QStringLiteral("permissions")));
    QVERIFY(!b.refcount(hash).ok()); // no row for a file that was never written
}

QTEST_GUILESS_MAIN(TestBlobStore)
#include "tst_blobstore.moc"
