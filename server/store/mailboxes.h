// Mailboxes and the messages in them: UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ,
// per-message UID, flags and MODSEQ (RFC 9051, RFC 7162), with the cached
// envelope fields IMAP needs without re-parsing. Trust level: internal. This
// is the minimum the foundation needs; the IMAP work extends it.
#pragma once

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include "base/result.h"

namespace mailroom::store
{

class Database;

enum MessageFlag : quint32 {
    FlagSeen = 1,
    FlagAnswered = 2,
    FlagFlagged = 4,
    FlagDeleted = 8,
    FlagDraft = 16,
};

struct MailboxInfo {
    qint64 id = 0;
    QString name;
    QString specialUse; // "\\Sent", "\\Junk", ... or empty
    qint64 uidValidity = 0;
    qint64 uidNext = 1;
    qint64 highestModSeq = 1;
    qint64 messages = 0;
    qint64 unseen = 0;
    qint64 bytes = 0;
};

struct EnvelopeFields {
    QString date, subject, from, to, cc, messageId, inReplyTo;
};

class Mailboxes
{
public:
    explicit Mailboxes(Database &db);
    Result<QList<MailboxInfo>> list(const QString &userAddress);
    // Files a stored blob into a mailbox: allocates the next UID and MODSEQ
    // and takes a reference on the blob, in one transaction. Refused with
    // QuotaExceeded when the user's quota would be passed.
    Result<qint64> append(qint64 mailboxId,
        const QString &blobHash,
        qint64 size,
        quint32 flags,
        const QDateTime &internalDate,
        const EnvelopeFields &env);

    // The same inside a transaction the caller holds (BEGIN IMMEDIATE), so a
    // delivery can file a message and mark its queue recipient done at once.
    static Result<qint64> appendInTransaction(const QSqlDatabase &db,
        qint64 mailboxId,
        const QString &blobHash,
        qint64 size,
        quint32 flags,
        const QDateTime &internalDate,
        const EnvelopeFields &env);

private:
    Database &m_db;
};

} // namespace mailroom::store
