#include "store/transaction.h"

#include <QSqlError>
#include <QSqlQuery>

#include "store/sql.h"

namespace mailroom::store
{

Transaction::Transaction(QSqlDatabase db)
    : m_db(std::move(db))
{
    QSqlQuery q(m_db);
    if (q.exec(QStringLiteral("BEGIN IMMEDIATE")))
        m_active = true;
    else
        m_error = sqlError(q.lastError(), QStringLiteral("begin a transaction"));
}

Transaction::~Transaction()
{
    if (m_active)
        rollback();
}

Status Transaction::commit()
{
    if (!m_active)
        return m_error.message.isEmpty()
            ? Error(ErrorCode::Internal, QStringLiteral("Internal error: commit without a transaction."))
            : m_error;
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("COMMIT"))) {
        const Error e = sqlError(q.lastError(), QStringLiteral("commit"));
        rollback();
        return e;
    }
    m_active = false;
    return {};
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    QSqlQuery q(m_db);
    q.exec(QStringLiteral("ROLLBACK"));
    m_active = false;
}

} // namespace mailroom::store
