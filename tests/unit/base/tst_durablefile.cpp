// DurableFile: the success path, and each system call failing in turn. After
// any failure the old content is untouched, no temp file is left, and the
// error says what to check.
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "base/durablefile.h"

using namespace mailroom;

namespace
{
// Which call fails, and how often a call to it succeeds first (for fsync:
// the file's fsync comes before the folder's).
enum class Step { None, Open, Write, Fsync, Close, Rename, FolderFsync };
Step g_fail = Step::None;
int g_errno = EIO;
int g_fsyncs = 0;

int fOpen(const char *p, int f, mode_t m)
{
    const bool folder = (f & O_DIRECTORY) != 0;
    if (g_fail == Step::Open && !folder) {
        errno = g_errno;
        return -1;
    }
    return ::open(p, f, m);
}
ssize_t fWrite(int fd, const void *b, size_t n)
{
    if (g_fail == Step::Write) {
        errno = g_errno;
        return -1;
    }
    // short writes must be continued, not taken as the end
    return ::write(fd, b, n > 3 ? 3 : n);
}
int fFsync(int fd)
{
    ++g_fsyncs;
    if ((g_fail == Step::Fsync && g_fsyncs == 1) || (g_fail == Step::FolderFsync && g_fsyncs == 2)) {
        errno = g_errno;
        return -1;
    }
    return ::fsync(fd);
}
int fClose(int fd)
{
    const int r = ::close(fd);
    if (g_fail == Step::Close) {
        errno = g_errno;
        return -1;
    }
    return r;
}
int fRename(const char *a, const char *b)
{
    if (g_fail == Step::Rename) {
        errno = g_errno;
        return -1;
    }
    return ::rename(a, b);
}
const FileOps kFaulty { fOpen, fWrite, fFsync, fClose, fRename, ::unlink };

QByteArray content(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}
} // namespace

class TestDurableFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        g_fail = Step::None;
        g_fsyncs = 0;
        g_errno = EIO;
    }
    void writesAndReplaces();
    void streaming();
    void failures_data();
    void failures();
    void missingFolder();
    void abortRemovesTemp();
};

void TestDurableFile::writesAndReplaces()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("msg"));
    QVERIFY(DurableFile::writeAll(path, "first version", kFaulty).ok());
    QCOMPARE(content(path), QByteArray("first version"));
    QVERIFY(DurableFile::writeAll(path, "second", kFaulty).ok());
    QCOMPARE(content(path), QByteArray("second"));
    QCOMPARE(g_fsyncs, 4); // file and folder, twice
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
}

void TestDurableFile::streaming()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big"));
    DurableFile f(path);
    QVERIFY(f.open().ok());
    QByteArray expected;
    for (int i = 0; i < 1000; ++i) {
        const QByteArray chunk = QByteArray::number(i) + "\r\n";
        QVERIFY(f.append(chunk).ok());
        expected += chunk;
    }
    QVERIFY(!QFile::exists(path)); // not visible before commit
    QVERIFY(f.commit().ok());
    QCOMPARE(content(path), expected);
    QCOMPARE(f.bytesWritten(), expected.size());
}

void TestDurableFile::failures_data()
{
    QTest::addColumn<int>("step");
    QTest::addColumn<int>("err");
    QTest::addColumn<bool>("targetReplaced");
    QTest::newRow("open EACCES") << int(Step::Open) << EACCES << false;
    QTest::newRow("write ENOSPC") << int(Step::Write) << ENOSPC << false;
    QTest::newRow("fsync EIO") << int(Step::Fsync) << EIO << false;
    QTest::newRow("close EIO") << int(Step::Close) << EIO << false;
    QTest::newRow("rename EXDEV") << int(Step::Rename) << EXDEV << false;
    // The rename has happened; the caller must still not acknowledge.
    QTest::newRow("folder fsync EIO") << int(Step::FolderFsync) << EIO << true;
}

void TestDurableFile::failures()
{
    QFETCH(int, step);
    QFETCH(int, err);
    QFETCH(bool, targetReplaced);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("msg"));
    QVERIFY(DurableFile::writeAll(path, "old content").ok());
    g_fail = Step(step);
    g_errno = err;
    g_fsyncs = 0;
    const Status s = DurableFile::writeAll(path, "new content", kFaulty);
    QVERIFY(!s.ok());
    QVERIFY(!s.error().message.isEmpty());
    QCOMPARE(s.error().code, err == ENOSPC ? ErrorCode::QuotaExceeded : ErrorCode::IoError);
    QCOMPARE(content(path), targetReplaced ? QByteArray("new content") : QByteArray("old content"));
    const QStringList left = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);
    QCOMPARE(left, QStringList { QStringLiteral("msg") }); // no temp file behind
}

void TestDurableFile::missingFolder()
{
    QTemporaryDir dir;
    const Status s = DurableFile::writeAll(dir.filePath(QStringLiteral("no/such/folder/msg")), "x");
    QVERIFY(!s.ok());
    QVERIFY(s.error().message.contains(QStringLiteral("create")));
}

void TestDurableFile::abortRemovesTemp()
{
    QTemporaryDir dir;
    {
        DurableFile f(dir.filePath(QStringLiteral("msg")));
        QVERIFY(f.open().ok());
        QVERIFY(f.append("partial").ok());
    } // destroyed without commit, as when a client disconnects mid-message
    QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
}

QTEST_GUILESS_MAIN(TestDurableFile)
#include "tst_durablefile.moc"
