// Transaction: RAII over BEGIN IMMEDIATE … COMMIT. It rolls back in its
// destructor unless commit() was called and succeeded (STYLE rule 6, Akonadi
// storage/transaction.h without its abortOnFailure escape hatch). IMMEDIATE
// takes the write lock at the start, so two writers never deadlock halfway;
// writers of this process queue on a mutex before it, not in SQLite's
// sleeping busy handler.
//
// Opened while another Transaction is open on the same connection (the same
// thread), it becomes a SAVEPOINT inside it: its commit releases the
// savepoint and its rollback undoes only its own changes, while the outer
// transaction's COMMIT makes everything durable with one fsync. That is how
// a batch of deliveries shares one commit (DESIGN §2, group commit).
#pragma once

#include <QSqlDatabase>

class QMutex;

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
    // True when this is a savepoint inside an outer transaction: its commit
    // is durable only once the outermost one commits.
    bool nested() const
    {
        return m_level > 0;
    }
    [[nodiscard]] Status commit();
    void rollback();

private:
    void leave();

    QSqlDatabase m_db;
    QMutex *m_writer = nullptr; // held by the outermost transaction
    int m_level = 0; // 0: BEGIN … COMMIT; n > 0: SAVEPOINT sp<n>
    bool m_active = false;
    Error m_error;
};

} // namespace mailroom::store
