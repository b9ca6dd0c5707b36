// MailStore: what IMAP, POP3 and the console need of a user's mailboxes and
// messages (RFC 9051 §2.3, RFC 7162 CONDSTORE/QRESYNC, RFC 9208 QUOTA).
// Trust level: internal; callers have authenticated the user and pass its
// id, and every call is scoped to that user's mailboxes. Each change runs in
// one transaction, takes a new MODSEQ from the mailbox, and after its commit
// tells MailboxEvents, so other sessions on the mailbox can report it.
// Mailbox names are UTF-8 with '/' as the hierarchy separator; "INBOX" is
// case-insensitive. Callable from any thread (each thread has its own
// SQLite connection).
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include "base/result.h"
#include "store/mailboxes.h"

namespace mailroom::store
{

class Database;
class BlobStore;

// Raised after a commit; connect with Qt::QueuedConnection from other
// threads. Emitted from whichever thread made the change.
class MailboxEvents : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    void notifyChanged(qint64 mailboxId)
    {
        emit changed(mailboxId);
    }

signals:
    // New, changed or expunged messages, or the mailbox went away.
    void changed(qint64 mailboxId);
    // A message was copied or moved into the user's \Junk mailbox from
    // another mailbox (intoJunk), or out of \Junk into one that is not
    // \Trash (!intoJunk). The spam issue trains on it (DESIGN §6).
    void junkMoved(qint64 userId, const QString &blobHash, bool intoJunk);
};

struct MailboxEntry {
    qint64 id = 0;
    QString name; // "INBOX", "Sent", "Projects/2026"
    QString specialUse; // "\\Sent", "\\Junk", "\\Trash", "\\Drafts", "\\Archive" or empty
    qint64 uidValidity = 0;
    qint64 uidNext = 1;
    qint64 highestModSeq = 1;
    qint64 messages = 0;
    qint64 unseen = 0;
    qint64 deleted = 0; // messages with \Deleted
    qint64 bytes = 0;
};

struct MessageMeta {
    qint64 id = 0; // row id, stable while the message is in this mailbox
    qint64 uid = 0;
    qint64 modseq = 0;
    quint32 flags = 0; // MessageFlag bits
    QStringList keywords; // as the client wrote them ("$Forwarded", "NonJunk")
    qint64 size = 0;
    QDateTime internalDate; // UTC
    QString blobHash;
    // Cached IMAP strings (DESIGN §3): empty until someone fills them with
    // setCache(); the IMAP module renders them from the message once.
    QByteArray envelope;
    QByteArray bodyStructure;
    // Decoded display fields, filled at delivery (console lists, SORT).
    QString date, subject, from, to, cc, messageId, inReplyTo;
};

struct MailboxChanges {
    qint64 highestModSeq = 0;
    qint64 uidNext = 0;
    QList<MessageMeta> changed; // modseq > since: new or with changed flags; uid, modseq, flags, keywords only
    QList<qint64> expunged; // UIDs expunged with modseq > since, ascending
    bool gone = false; // the mailbox was deleted or renamed away
};

enum class FlagMode { Replace, Add, Remove };

struct FlagChange {
    FlagMode mode = FlagMode::Replace;
    quint32 flags = 0;
    QStringList keywords;
    qint64 unchangedSince = -1; // CONDSTORE UNCHANGEDSINCE; -1 when absent
};

struct FlagResult {
    QList<MessageMeta> updated; // uid, modseq, flags, keywords after the change (only rows that changed)
    QList<qint64> failed; // UNCHANGEDSINCE refused these UIDs (RFC 7162 §3.1.3 MODIFIED)
    qint64 highestModSeq = 0;
};

struct CopyResult {
    qint64 destUidValidity = 0;
    QList<qint64> sourceUids; // ascending, only those that existed
    QList<qint64> destUids; // the new UID of each, same order (UIDPLUS COPYUID)
    QList<qint64> expungedUids; // MOVE: source UIDs now gone
};

struct AppendResult {
    qint64 uidValidity = 0;
    qint64 uid = 0;
};

struct QuotaUse {
    qint64 usedBytes = 0;
    qint64 limitBytes = 0; // 0: no limit
    qint64 messages = 0;
};

class MailStore
{
public:
    MailStore(Database &db, BlobStore &blobs);

    MailboxEvents &events()
    {
        return m_events;
    }

    // The enabled user's id, or NotFound.
    Result<qint64> userId(const QString &address);

    // Mailboxes, ordered by name (INBOX first), with their counts.
    Result<QList<MailboxEntry>> mailboxes(qint64 userId);
    // Without counts, messages/unseen/deleted are 0 and nothing is scanned:
    // for APPEND, COPY and the like, which only need the mailbox itself.
    enum class Counts { With, Without };
    Result<MailboxEntry> mailbox(qint64 userId, const QString &name, Counts counts = Counts::With);
    // AlreadyExists, InvalidArgument (empty part, leading/trailing '/',
    // longer than 512 bytes). Parents are not created (IMAP CREATE makes
    // them; see createMailboxPath). A new mailbox takes a fresh UIDVALIDITY.
    Result<qint64> createMailbox(qint64 userId, const QString &name, const QString &specialUse = {});
    // Creates the missing parents too ("a/b/c" makes "a" and "a/b").
    Result<qint64> createMailboxPath(qint64 userId, const QString &name, const QString &specialUse = {});
    // INBOX cannot be deleted (InvalidArgument). Its messages go with it;
    // children stay (RFC 9051 §6.3.5).
    Status deleteMailbox(qint64 userId, const QString &name);
    // Renames the mailbox and its children. Renaming INBOX moves its
    // messages into a new mailbox of that name and leaves INBOX empty.
    Status renameMailbox(qint64 userId, const QString &from, const QString &to);
    // Subscriptions are names, not mailboxes: one may subscribe to a name
    // that does not exist (RFC 9051 §6.3.7).
    Status setSubscribed(qint64 userId, const QString &name, bool subscribed);
    Result<QStringList> subscriptions(qint64 userId);

    // Every message of the mailbox, ascending UID; uid, modseq, flags and
    // keywords only (SELECT builds its sequence map from this).
    Result<QList<MessageMeta>> snapshot(qint64 mailboxId);
    // What changed since a MODSEQ (untagged updates, CONDSTORE, QRESYNC).
    Result<MailboxChanges> changesSince(qint64 mailboxId, qint64 modseq);
    // Metadata for these UIDs, ascending: in full (cached strings, display
    // fields); or only what FLAGS, UID, MODSEQ, INTERNALDATE, RFC822.SIZE and
    // the message file need (Basic), or that and the Date text and subject
    // (Search: what SEARCH and SORT read); the rest stays empty.
    enum class MetaDetail { Basic, Search, Full };
    Result<QList<MessageMeta>> messages(
        qint64 mailboxId, const QList<qint64> &uids, MetaDetail detail = MetaDetail::Full);
    // Full metadata for a page of the mailbox, newest first (console lists).
    Result<QList<MessageMeta>> page(qint64 mailboxId, qint64 offset, qint64 limit);
    // Stores the rendered IMAP ENVELOPE and BODYSTRUCTURE of messages (row
    // ids); does not change MODSEQ.
    struct CacheEntry {
        qint64 id;
        QByteArray envelope, bodyStructure;
    };
    Status setCache(const QList<CacheEntry> &entries);

    Result<FlagResult> storeFlags(qint64 mailboxId, const QList<qint64> &uids, const FlagChange &change);
    // COPY and MOVE (RFC 6851): new UIDs in the destination, one blob
    // reference each; a move expunges the source messages in the same
    // transaction. Quota is checked for a copy (QuotaExceeded).
    Result<CopyResult> copy(qint64 fromMailboxId, const QList<qint64> &uids, qint64 toMailboxId, bool move);
    // Expunges messages flagged \Deleted; with uids, only those among them
    // (UID EXPUNGE, RFC 4315). Returns the expunged UIDs, ascending.
    Result<QList<qint64>> expunge(qint64 mailboxId, const QList<qint64> *uids = nullptr);
    // Stores the bytes as a blob and files them (APPEND). QuotaExceeded
    // when the user's quota would be passed.
    Result<AppendResult> append(qint64 mailboxId,
        const QByteArray &content,
        quint32 flags,
        const QStringList &keywords,
        const QDateTime &internalDate);
    // The message file's bytes.
    Result<QByteArray> content(const QString &blobHash);
    Result<QuotaUse> quota(qint64 userId);

private:
    Database &m_db;
    BlobStore &m_blobs;
    MailboxEvents m_events;
};

} // namespace mailroom::store
