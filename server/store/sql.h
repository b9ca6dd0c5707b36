// Database and Query: thin, checked wrappers over Qt Sql for SQLite.
// Trust level: internal. A Database hands each thread its own connection
// (SQLite connections must not be shared across threads; WAL lets readers
// and the writer run side by side). Every failure becomes an Error whose
// sentence says what the admin can do (disk full, permissions).
#pragma once

#include <memory>

#include <QHash>
#include <QMutex>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include "base/result.h"

namespace mailroom::store
{

enum class Durability { Full, Normal }; // synchronous=FULL on the mail path

struct StatementCache;

class Database
{
public:
    Database(QString path, Durability durability);
    ~Database(); // removes every connection it made; all threads using it must be done
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // This thread's connection, opened and configured on first use.
    Result<QSqlDatabase> connection();
    QString path() const
    {
        return m_path;
    }

private:
    QString m_path;
    Durability m_durability;
    QString m_prefix;
    QMutex m_mutex;
    QSet<QString> m_names;
    // Each connection's prepared statements, used only by its thread; kept
    // here too so that they are finalized before the connection is removed.
    QHash<QString, std::shared_ptr<StatementCache>> m_statements;
};

Error sqlError(const QSqlError &e, const QString &what);

// A prepared statement with positional binds. On a connection made by
// Database the statement is prepared once per connection and reused: the
// same SQL text finds it again (SQLite parsing was a sixth of the engine's
// CPU time per message). A statement in use is not shared, so the same
// query may run nested.
class Query
{
public:
    Query(const QSqlDatabase &db, const QString &sql);
    ~Query();
    Query(const Query &) = delete;
    Query &operator=(const Query &) = delete;
    // A null QString binds as '' (not NULL): text columns are NOT NULL.
    Query &bind(const QVariant &v)
    {
        if (v.typeId() == QMetaType::QString && v.toString().isNull())
            m_q.addBindValue(QStringLiteral(""));
        else
            m_q.addBindValue(v);
        return *this;
    }
    Status exec();
    bool next()
    {
        return m_q.next();
    }
    QVariant value(int i) const
    {
        return m_q.value(i);
    }
    qint64 lastInsertId() const
    {
        return m_q.lastInsertId().toLongLong();
    }
    int rowsAffected() const
    {
        return m_q.numRowsAffected();
    }
    // Runs the query and returns the first column of the first row.
    Result<QVariant> scalar();

private:
    QSqlQuery m_q;
    QString m_sql;
    bool m_prepared = false;
    std::shared_ptr<StatementCache> m_cache; // where m_q goes back to; null when not cached
};

// Runs statements that take no binds (schema, pragmas).
Status execScript(const QSqlDatabase &db, const QStringList &statements);

} // namespace mailroom::store
