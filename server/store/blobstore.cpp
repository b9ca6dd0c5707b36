#include "store/blobstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "base/digest.h"
#include "base/durablefile.h"
#include "store/rows.h"
#include "store/sql.h"

namespace mailroom::store
{

namespace
{
bool validHash(const QString &hash)
{
    if (hash.size() != 64)
        return false;
    for (QChar c : hash)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    return true;
}
} // namespace

BlobStore::BlobStore(Database &db, QString folder)
    : m_db(db)
    , m_folder(std::move(folder))
{
}

QString BlobStore::path(const QString &hash) const
{
    return m_folder + u'/' + hash.left(2) + u'/' + hash.mid(2, 2) + u'/' + hash;
}

// "ab", then "ab/cd": each one made, if missing, after its parent.
Status BlobStore::ensureFolders(const QString &hash)
{
    bool ok1 = false, ok2 = false;
    const int top = hash.left(2).toInt(&ok1, 16);
    const int sub = hash.mid(2, 2).toInt(&ok2, 16);
    if (!ok1 || !ok2)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("\"%1\" is not a message id.").arg(hash.left(80)));
    const QString first = m_folder + u'/' + hash.left(2);
    if (auto s = ensureFolder(top, first); !s)
        return s;
    return ensureFolder(256 + top * 256 + sub, first + u'/' + hash.mid(2, 2));
}

// Makes one folder whose parent exists durably and syncs the parent, so that
// the new entry survives a crash. Another thread asking for the same folder
// meanwhile waits until the sync is done.
Status BlobStore::ensureFolder(int key, const QString &folder)
{
    QMutexLocker lock(&m_folderLock);
    while (m_making.contains(key))
        m_folderMade.wait(&m_folderLock);
    if (m_durable.testBit(key))
        return {};
    m_making.insert(key);
    lock.unlock();
    Status result;
    // A folder found on disk was made by an earlier run; whatever survived
    // its end is on disk.
    if (!QFileInfo::exists(folder)) {
        if (!QDir().mkpath(folder))
            result = Error(ErrorCode::IoError,
                QStringLiteral("Cannot create the folder %1. Check the data folder's "
                               "permissions and free disk space.")
                    .arg(folder));
        else
            result = DurableFile::syncFolder(QFileInfo(folder).absolutePath());
    }
    lock.relock();
    m_making.remove(key);
    if (result)
        m_durable.setBit(key);
    m_folderMade.wakeAll();
    return result;
}

Result<QString> BlobStore::put(const QByteArray &content)
{
    const QString hash = QString::fromLatin1(Sha256::hash(content).toHex());
    const QString file = path(hash);
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto known = Query(*db, QStringLiteral("SELECT 1 FROM blobs WHERE hash = ?")).bind(hash).scalar();
    if (!known)
        return known.error();
    // Same content, same name: an existing file is already durable.
    if (!QFileInfo::exists(file)) {
        if (auto s = ensureFolders(hash); !s)
            return s.error();
        if (auto s = DurableFile::writeAll(file, content); !s)
            return s.error();
    }
    if (!known->isValid()) {
        Query ins(
            *db, QStringLiteral("INSERT OR IGNORE INTO blobs (hash, size, refcount, created) VALUES (?, ?, 0, ?)"));
        if (auto s = ins.bind(hash).bind(content.size()).bind(nowMs()).exec(); !s)
            return s.error();
    }
    return hash;
}

Result<QString> BlobStore::writeFile(const QByteArray &content)
{
    const QString hash = QString::fromLatin1(Sha256::hash(content).toHex());
    const QString file = path(hash);
    if (QFileInfo::exists(file))
        return hash;
    if (auto s = ensureFolders(hash); !s)
        return s.error();
    if (auto s = DurableFile::writeAll(file, content); !s)
        return s.error();
    return hash;
}

Status BlobStore::registerInTransaction(const QSqlDatabase &db, const QString &hash, qint64 size)
{
    Query ins(db, QStringLiteral("INSERT OR IGNORE INTO blobs (hash, size, refcount, created) VALUES (?, ?, 0, ?)"));
    return ins.bind(hash).bind(size).bind(nowMs()).exec();
}

Result<QByteArray> BlobStore::read(const QString &hash)
{
    if (!validHash(hash))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("\"%1\" is not a message id.").arg(hash.left(80)));
    QFile f(path(hash));
    if (!f.open(QIODevice::ReadOnly))
        return Error(
            ErrorCode::NotFound, QStringLiteral("The message file %1 is missing: %2.").arg(hash, f.errorString()));
    return f.readAll();
}

Result<qint64> BlobStore::refcount(const QString &hash)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    auto v = Query(*db, QStringLiteral("SELECT refcount FROM blobs WHERE hash = ?")).bind(hash).scalar();
    if (!v)
        return v.error();
    if (!v->isValid())
        return Error(ErrorCode::NotFound, QStringLiteral("No message file %1.").arg(hash));
    return v->toLongLong();
}

Result<int> BlobStore::collectGarbage(qint64 graceSecs)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("SELECT hash FROM blobs WHERE refcount <= 0 AND created < ?"));
    if (auto s = q.bind(nowMs() - graceSecs * 1000).exec(); !s)
        return s.error();
    QStringList unused;
    while (q.next())
        unused << q.value(0).toString();
    int removed = 0;
    for (const QString &hash : std::as_const(unused)) {
        // Row first: a crash after it leaves an orphan file, never a row
        // pointing at nothing.
        Query del(*db, QStringLiteral("DELETE FROM blobs WHERE hash = ? AND refcount <= 0"));
        if (auto s = del.bind(hash).exec(); !s)
            return s.error();
        if (del.rowsAffected() == 1 && QFile::remove(path(hash)))
            ++removed;
    }
    return removed;
}

} // namespace mailroom::store
