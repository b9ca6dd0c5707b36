// BlobStore: message files, content-addressed by SHA-256 under
// blobs/ab/cd/<hash>, immutable, written durably (base DurableFile) and
// reference-counted in mailroom.db (messages' triggers keep the count). A
// message to twenty local users is stored once. Trust level: internal.
#pragma once

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>

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
    Status ensureFolder(const QString &folder);
    Database &m_db;
    QString m_folder;
};

} // namespace mailroom::store
