#include "store/transaction.h"

#include <map>
#include <memory>

#include <QHash>
#include <QMutex>
#include <QSqlError>
#include <QSqlQuery>

#include "store/sql.h"

namespace mailroom::store
{

namespace
{
// Open transactions per connection. A connection belongs to one thread
// (Database::connection), so the count needs no lock.
thread_local QHash<QString, int> t_depth;

// One writer at a time per database file, queued on a mutex. SQLite would
// serialize them too, but its busy handler polls with sleeps of up to 100 ms,
// which puts milliseconds between two commits that could follow at once.
QMutex *writerLock(const QString &file)
{
    static QMutex guard;
    static std::map<QString, std::unique_ptr<QMutex>> locks; // one per database file
    QMutexLocker lock(&guard);
    std::unique_ptr<QMutex> &m = locks[file];
    if (!m)
        m = std::make_unique<QMutex>();
    return m.get();
}
} // namespace

Transaction::Transaction(QSqlDatabase db)
    : m_db(std::move(db))
{
    m_level = t_depth.value(m_db.connectionName());
    if (m_level == 0) {
        m_writer = writerLock(m_db.databaseName());
        m_writer->lock();
    }
    QSqlQuery q(m_db);
    const QString sql
        = m_level == 0 ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("SAVEPOINT sp%1").arg(m_level);
    if (q.exec(sql)) {
        m_active = true;
        ++t_depth[m_db.connectionName()];
    } else {
        m_error = sqlError(q.lastError(), QStringLiteral("begin a transaction"));
        if (m_writer)
            m_writer->unlock();
        m_writer = nullptr;
    }
}

Transaction::~Transaction()
{
    if (m_active)
        rollback();
}

void Transaction::leave()
{
    m_active = false;
    const QString name = m_db.connectionName();
    if (--t_depth[name] <= 0)
        t_depth.remove(name);
    if (m_writer)
        m_writer->unlock();
    m_writer = nullptr;
}

Status Transaction::commit()
{
    if (!m_active)
        return m_error.message.isEmpty()
            ? Error(ErrorCode::Internal, QStringLiteral("Internal error: commit without a transaction."))
            : m_error;
    QSqlQuery q(m_db);
    if (!q.exec(m_level == 0 ? QStringLiteral("COMMIT") : QStringLiteral("RELEASE sp%1").arg(m_level))) {
        const Error e = sqlError(q.lastError(), QStringLiteral("commit"));
        rollback();
        return e;
    }
    leave();
    return {};
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    QSqlQuery q(m_db);
    if (m_level == 0) {
        q.exec(QStringLiteral("ROLLBACK"));
    } else {
        q.exec(QStringLiteral("ROLLBACK TO sp%1").arg(m_level));
        q.exec(QStringLiteral("RELEASE sp%1").arg(m_level));
    }
    leave();
}

} // namespace mailroom::store
