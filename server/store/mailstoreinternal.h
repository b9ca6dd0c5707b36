// Helpers shared by the MailStore files (mailstore*.cpp): mailbox name rules
// (RFC 9051 §5.1: '/' separates levels, "INBOX" is case-insensitive),
// keyword lists (RFC 9051 §2.3.2: flag names compare case-insensitively),
// mailbox rows, UID-list lookups that stay fast on 100,000-message
// mailboxes, and the COPY/MOVE core that renaming INBOX reuses.
// Trust level: internal; every function runs inside the caller's
// transaction on the caller's thread's connection.
#pragma once

#include <functional>
#include <optional>

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include "base/result.h"
#include "store/mailstore.h"

namespace mailroom::store
{

class Query;

namespace mailstore
{

// "INBOX" in any case becomes "INBOX"; other names are kept as they are.
QString canonicalName(const QString &name);
// InvalidArgument unless the name is usable (no empty level, no leading or
// trailing '/', at most 512 UTF-8 bytes, no control characters).
Status checkName(const QString &name);
bool isInbox(const QString &canonical);
// The names above name: "a/b/c" gives "a", "a/b".
QStringList parentNames(const QString &name);

QStringList splitKeywords(const QString &stored);
QString joinKeywords(const QStringList &keywords);
// Drops repeats (case-insensitive), keeping the first spelling.
QStringList uniqueKeywords(const QStringList &keywords);

// Ascending, without repeats.
QList<qint64> sortedUids(QList<qint64> uids);

struct MailboxRow {
    qint64 id = 0;
    qint64 userId = 0;
    QString name;
    QString specialUse;
    qint64 uidValidity = 0;
    qint64 uidNext = 1;
    qint64 highestModSeq = 1;
};

Result<std::optional<MailboxRow>> loadMailbox(const QSqlDatabase &db, qint64 id);
Result<std::optional<MailboxRow>> findMailbox(const QSqlDatabase &db, qint64 userId, const QString &canonical);
Error mailboxGone();
Error noMailbox(const QString &name);
Status setCounters(const QSqlDatabase &db, qint64 mailboxId, qint64 uidNext, qint64 highestModSeq);
// Inserts a mailbox with the next UIDVALIDITY (RFC 9051 §2.3.1.1: it grows
// whenever a name is made again), not subscribed.
Result<qint64> insertMailbox(const QSqlDatabase &db, qint64 userId, const QString &name, const QString &specialUse);
// A user's quota in bytes (0: none) and the bytes their messages use now.
struct QuotaRow {
    qint64 limit = 0;
    qint64 used = 0;
};
Result<QuotaRow> quotaRow(const QSqlDatabase &db, qint64 userId);
Error quotaExceeded(qint64 used, qint64 limit);

// Calls onRow for every message of the mailbox whose UID is in uids
// (ascending, unique), in UID order. columns must start with "uid". A few
// UIDs are looked up one by one; many are read in one range scan.
Status forEachUid(const QSqlDatabase &db,
    qint64 mailboxId,
    const QList<qint64> &uids,
    const QString &columns,
    const std::function<void(const Query &)> &onRow);

// The columns basicMeta() and fullMeta() read, in their order, from column
// first on. Basic leaves the cached strings and display fields empty.
extern const QString kBasicColumns;
extern const QString kFullColumns;
MessageMeta basicMeta(const Query &q, int first = 0);
MessageMeta fullMeta(const Query &q, int first = 0);

// A deferred (read) transaction, so a multi-statement read sees one state of
// the database without taking the write lock.
class ReadTransaction
{
public:
    explicit ReadTransaction(QSqlDatabase db);
    ~ReadTransaction();
    ReadTransaction(const ReadTransaction &) = delete;
    ReadTransaction &operator=(const ReadTransaction &) = delete;

private:
    QSqlDatabase m_db;
    bool m_active = false;
};

struct CopyOutcome {
    QList<qint64> sourceUids; // ascending, only those that existed
    QList<qint64> destUids; // same order
    QStringList blobHashes; // same order
    qint64 destModSeq = 0;
};

// COPY or MOVE inside the caller's transaction: one new MODSEQ for each
// mailbox touched, new UIDs in source order, a move deletes the source rows
// and records them in expunged. checkQuota: the whole batch against the
// destination user's quota.
Result<CopyOutcome> copyInTransaction(const QSqlDatabase &db,
    const MailboxRow &from,
    const QList<qint64> &uids,
    const MailboxRow &to,
    bool move,
    bool checkQuota);

} // namespace mailstore
} // namespace mailroom::store
