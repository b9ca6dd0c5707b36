// Transaction: RAII over BEGIN IMMEDIATE … COMMIT. It rolls back in its
// destructor unless commit() was called and succeeded (STYLE rule 6, Akonadi
// storage/transaction.h without its abortOnFailure escape hatch). IMMEDIATE
// takes the write lock at the start, so two writers never deadlock halfway.
#pragma once

#include <QSqlDatabase>

#include "base/result.h"

namespace mailroom::store
{

class Transaction
{
public:
    explicit Transaction(QSqlDatabase db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    // Whether BEGIN worked; when not, error() says why and commit() fails.
    bool begun() const
    {
        return m_active;
    }
    const Error &error() const
    {
        return m_error;
    }
    [[nodiscard]] Status commit();
    void rollback();

private:
    QSqlDatabase m_db;
    bool m_active = false;
    Error m_error;
};

} // namespace mailroom::store
