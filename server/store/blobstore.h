// BlobStore: message files, content-addressed by SHA-256 under
// blobs/ab/cd/<hash>, immutable, written durably (base DurableFile) and
// reference-counted in mailroom.db (messages' triggers keep the count). A
// message to twenty local users is stored once. Trust level: internal.
#pragma once

#include <QBitArray>
#include <QByteArray>
#include <QMutex>
#include <QSet>
#include <QSqlDatabase>
#include <QString>
#include <QWaitCondition>

#include "base/result.h"

namespace mailroom::store
{

class Database;

class BlobStore
{
public:
    BlobStore(Database &db, QString folder);

    // Stores content (if not stored yet) and returns its hash. Only when this
    // returns ok is the file on disk and its folder entry synced.
    Result<QString> put(const QByteArray &content);
    // Only the durable file, no row: the queue writes many files, then
    // registers them all in one transaction (one fsync of the database).
    Result<QString> writeFile(const QByteArray &content);
    static Status registerInTransaction(const QSqlDatabase &db, const QString &hash, qint64 size);
    Result<QByteArray> read(const QString &hash);
    QString path(const QString &hash) const;
    Result<qint64> refcount(const QString &hash);
    // Removes files no message refers to and that are older than graceSecs
    // (a blob just put is about to be referenced). Returns how many went.
    Result<int> collectGarbage(qint64 graceSecs = 3600);

private:
    Status ensureFolders(const QString &hash);
    Status ensureFolder(int key, const QString &folder);
    Database &m_db;
    QString m_folder;
    // Which folders are known to exist with a synced entry: 256 "ab" then
    // 65,536 "ab/cd". A writer that finds a folder being made waits for its
    // parent's sync, so no file is acknowledged in a folder that a crash
    // could still take away.
    QMutex m_folderLock;
    QWaitCondition m_folderMade;
    QBitArray m_durable { 256 + 65536 };
    QSet<int> m_making;
};

} // namespace mailroom::store
