#include "store/sql.h"

#include <unordered_map>

#include <QAtomicInteger>
#include <QSqlError>

#include "store/logging.h"

namespace mailroom::store
{

struct StatementCache {
    QMutex mutex; // the owning thread against ~Database; never contended
    bool closed = false; // the Database is gone
    std::unordered_map<QString, QSqlQuery> idle;
};

namespace
{
QAtomicInteger<quint64> g_instance;
QAtomicInteger<quint64> g_thread;

// The statement caches of this thread's connections, by connection name.
thread_local QHash<QString, std::shared_ptr<StatementCache>> t_statements;

// More distinct statements than this on one connection (SQL built with a
// varying number of binds) start the cache afresh.
constexpr std::size_t kMaxCachedStatements = 256;

// A number per thread that is never reused (pthread ids are), so a new
// thread never picks up a dead thread's connection. Threads that use the
// store are long-lived (the admin pool never expires its threads).
quint64 threadNumber()
{
    thread_local const quint64 n = g_thread.fetchAndAddRelaxed(1);
    return n;
}
} // namespace

Error sqlError(const QSqlError &e, const QString &what)
{
    const QString text = e.text();
    qCWarning(lcStore).noquote() << what << "failed:" << text;
    // SQLITE_FULL (13) and SQLITE_IOERR (10), SQLITE_READONLY (8), SQLITE_CANTOPEN (14)
    const QString code = e.nativeErrorCode();
    if (code == u"13")
        return Error(ErrorCode::QuotaExceeded,
            QStringLiteral("The disk holding the data folder is full; nothing was changed. Free some space "
                           "and try again."));
    if (code == u"8" || code == u"14" || code.startsWith(u"10"))
        return Error(ErrorCode::IoError,
            QStringLiteral("The database could not be written (%1). Check the data "
                           "folder's permissions and the disk.")
                .arg(text));
    return Error(
        ErrorCode::DatabaseError, QStringLiteral("The database failed while trying to %1: %2.").arg(what, text));
}

Database::Database(QString path, Durability durability)
    : m_path(std::move(path))
    , m_durability(durability)
    , m_prefix(QStringLiteral("mailroom-%1-").arg(g_instance.fetchAndAddRelaxed(1)))
{
}

Database::~Database()
{
    QMutexLocker lock(&m_mutex);
    // The threads that used these connections are done; their statements are
    // finalized first, then dropping the last reference closes each handle.
    for (const auto &cache : std::as_const(m_statements)) {
        QMutexLocker cacheLock(&cache->mutex);
        cache->closed = true;
        cache->idle.clear();
    }
    for (const QString &name : std::as_const(m_names))
        QSqlDatabase::removeDatabase(name);
}

Result<QSqlDatabase> Database::connection()
{
    const QString name = m_prefix + QString::number(threadNumber());
    {
        QMutexLocker lock(&m_mutex);
        if (m_names.contains(name)) {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            if (db.isOpen())
                return db;
        }
    }
    QSqlDatabase db = QSqlDatabase::contains(name) ? QSqlDatabase::database(name, false)
                                                   : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    {
        QMutexLocker lock(&m_mutex);
        m_names.insert(name);
    }
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!db.open())
        return Error(ErrorCode::IoError,
            QStringLiteral("Cannot open the database %1: %2. Check that the data folder "
                           "is readable and writable by the engine's user.")
                .arg(m_path, db.lastError().text()));
    // Reads through a memory map of the first 256 MiB (no copy per page read;
    // the pages are shared by every connection), and 8 MiB of page cache per
    // connection beyond it: a 100,000-message mailbox's rows are scanned by
    // SEARCH and SORT without a pread() per page.
    QStringList pragmas { QStringLiteral("PRAGMA foreign_keys = ON"), QStringLiteral("PRAGMA journal_mode = WAL"),
        QStringLiteral("PRAGMA mmap_size = 268435456"), QStringLiteral("PRAGMA cache_size = -8192") };
    pragmas << (m_durability == Durability::Full ? QStringLiteral("PRAGMA synchronous = FULL")
                                                 : QStringLiteral("PRAGMA synchronous = NORMAL"));
    if (auto s = execScript(db, pragmas); !s)
        return s.error();
    auto cache = std::make_shared<StatementCache>();
    {
        QMutexLocker lock(&m_mutex);
        m_statements.insert(name, cache);
    }
    t_statements.insert(name, std::move(cache));
    return db;
}

Query::Query(const QSqlDatabase &db, const QString &sql)
    : m_sql(sql)
{
    if (const auto found = t_statements.constFind(db.connectionName()); found != t_statements.cend()) {
        m_cache = *found;
        QMutexLocker lock(&m_cache->mutex);
        if (m_cache->closed) {
            lock.unlock();
            t_statements.remove(db.connectionName());
            m_cache.reset();
        } else if (auto idle = m_cache->idle.find(sql); idle != m_cache->idle.end()) {
            m_q = std::move(idle->second);
            m_cache->idle.erase(idle);
            m_prepared = true;
            return;
        }
    }
    m_q = QSqlQuery(db);
    m_q.setForwardOnly(true);
    m_prepared = m_q.prepare(sql);
}

Query::~Query()
{
    if (!m_cache || !m_prepared)
        return;
    QMutexLocker lock(&m_cache->mutex);
    if (m_cache->closed || m_cache->idle.count(m_sql) > 0)
        return;
    if (m_cache->idle.size() >= kMaxCachedStatements)
        m_cache->idle.clear();
    m_q.finish(); // resets the statement: no read transaction stays open
    m_cache->idle.emplace(m_sql, std::move(m_q));
}

Status Query::exec()
{
    if (!m_prepared)
        return sqlError(m_q.lastError(), QStringLiteral("prepare \"%1\"").arg(m_sql.left(80)));
    if (!m_q.exec())
        return sqlError(m_q.lastError(), QStringLiteral("run \"%1\"").arg(m_sql.left(80)));
    return {};
}

Result<QVariant> Query::scalar()
{
    if (auto s = exec(); !s)
        return s.error();
    if (!m_q.next())
        return QVariant();
    return m_q.value(0);
}

Status execScript(const QSqlDatabase &db, const QStringList &statements)
{
    for (const QString &sql : statements) {
        QSqlQuery q(db);
        if (!q.exec(sql))
            return sqlError(q.lastError(), QStringLiteral("run \"%1\"").arg(sql.simplified().left(80)));
    }
    return {};
}

} // namespace mailroom::store
