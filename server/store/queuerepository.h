// QueueRepository: the queue's rows in mailroom.db (DESIGN §3): accepted
// messages, their recipients with a state each, and a short history per
// message for the console. Trust level: internal. The queue module is its
// only writer; every change is one transaction, and a local delivery files
// the message and marks its recipient done in the same transaction, so a
// crash can neither lose nor duplicate it.
#pragma once

#include <QDateTime>
#include <QList>
#include <QSet>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include "base/result.h"
#include "store/mailboxes.h"

namespace mailroom::store
{

class Database;

struct NewRecipient {
    QString address;
    QString originalRecipient;
    quint8 notify = 0;
    QString verdict; // "" = the message's; "quarantine" makes it wait in quarantine
};

struct NewQueueMessage {
    QString blobHash;
    qint64 size = 0; // of the whole file
    qint64 bodyOffset = 0; // bytes of the Return-Path line at the file's start
    QString sender;
    QString clientAddress, clientHelo, authUser, service;
    QString envid, ret;
    bool smtpUtf8 = false, body8bit = false;
    QString verdict = QStringLiteral("accept");
    bool spamScored = false; // the spam filter looked at it
    double spamScore = 0;
    QString spamTags; // "TAG:points,TAG:points"
    EnvelopeFields env;
    QList<NewRecipient> recipients;
};

struct QueuedIds {
    qint64 id = 0;
    QString queueId;
};

// A recipient due for an attempt, with what a delivery needs of its message.
struct DueRecipient {
    qint64 id = 0, messageId = 0;
    QString address, originalRecipient;
    quint8 notify = 0;
    int attempts = 0;
    QString queueId, blobHash, sender, envid, ret;
    QString verdict; // the recipient's own, else the message's
    qint64 size = 0, bodyOffset = 0;
    bool smtpUtf8 = false, body8bit = false;
    QDateTime received;
    EnvelopeFields env;
};

struct QueueRecipientRow {
    qint64 id = 0;
    QString address, originalRecipient, state, status, diagnostic, remoteMta;
    int attempts = 0;
    QDateTime nextAttempt, lastAttempt;
    int notify = 0;
};

struct QueueMessageRow {
    qint64 id = 0;
    QString queueId, sender, subject, clientAddress, authUser, service, verdict;
    qint64 size = 0;
    QDateTime received;
    QString state; // summary: "active" (queued/deferred), "held", "deferred"
    QString lastError;
    QDateTime nextAttempt;
    QList<QueueRecipientRow> recipients;
};

// A message in quarantine, with the recipients it waits for there.
struct QuarantineRow {
    qint64 id = 0;
    QString queueId, sender, from, subject, blobHash, spamTags;
    QStringList recipients;
    qint64 size = 0, bodyOffset = 0;
    double score = 0;
    QDateTime received;
};

struct QueueHistoryRow {
    QDateTime time;
    QString recipient, text;
};

struct QueueFilter {
    QString state; // "", "queued", "deferred", "held"
    QString text; // substring of sender, recipient, subject or queue id
    qint64 offset = 0;
    qint64 limit = 100;
};

// One local user a message is filed for, and in which special-use mailbox
// ("" = INBOX, "\\Junk").
struct LocalFiling {
    QString user;
    QString specialUse;
};

// Recipients of a message (state "" = all), for the repository's own files.
Result<QList<QueueRecipientRow>> selectRecipients(const QSqlDatabase &db, qint64 messageId, const QString &state);
// A line of a message's history, for the repository's own files.
Status addHistoryRow(const QSqlDatabase &db, qint64 messageId, const QString &recipient, const QString &text);
// The recipient states that keep a message in the queue, as an SQL list.
extern const char *const kWaitingStates;

class QueueRepository
{
public:
    explicit QueueRepository(Database &db);

    // Registers the blobs and inserts every message with its recipients in
    // one transaction (group commit: one fsync for the whole batch).
    Result<QList<QueuedIds>> insertBatch(const QList<NewQueueMessage> &messages);

    Result<QList<DueRecipient>> due(qint64 nowMs, int limit, const QSet<qint64> &exclude);
    Result<qint64> nextDueMs();
    // The message's fields (recipient fields empty), for reports.
    Result<DueRecipient> message(qint64 messageId);
    // Messages with failed recipients not reported yet (after a restart).
    Result<QList<qint64>> messagesToReport(); // earliest next_attempt of a waiting recipient, or -1
    Result<bool> isLocalDomain(const QString &domain);

    // Files the message for local users, adds forwarding recipients (aliases
    // to outside addresses) to the same message and marks the recipient
    // delivered, all in one transaction. Users over quota or disabled are
    // returned in skipped and nothing is filed for them. filedMailboxes (may
    // be null) gets the ids of the mailboxes the message went into, for
    // MailStore::events() once this has returned.
    Status deliverLocal(const DueRecipient &r,
        const QList<LocalFiling> &filings,
        const QStringList &forwards,
        QStringList *skipped,
        QList<qint64> *filedMailboxes = nullptr);
    Status defer(qint64 recipientId,
        qint64 nextAttemptMs,
        const QString &status,
        const QString &diagnostic,
        const QString &remoteMta);
    // state: "delivered" or "failed"
    Status finish(qint64 recipientId,
        const QString &state,
        const QString &status,
        const QString &diagnostic,
        const QString &remoteMta);
    Status markDelayNotified(qint64 recipientId);
    Result<bool> delayNotified(qint64 recipientId);
    Status addHistory(qint64 messageId, const QString &recipient, const QString &text);
    // Removes messages none of whose recipients still waits; their blobs
    // lose the queue's reference. Returns the queue ids removed.
    Result<QStringList> removeFinished(qint64 messageId);
    // The same for every message (after a restart: a crash can come between
    // a delivery's commit and the removal of its message).
    Result<QStringList> removeAllFinished();
    // The failed (not yet reported) recipients of a message, for a bounce.
    Result<QList<QueueRecipientRow>> recipientsInState(qint64 messageId, const QString &state);
    Status setState(qint64 recipientId, const QString &state);

    // Admin views and actions (queue.*).
    Result<QList<QueueMessageRow>> list(const QueueFilter &f, qint64 *total);
    Result<QueueMessageRow> find(const QString &queueId);
    Result<QList<QueueHistoryRow>> history(const QString &queueId);
    // action: "retry", "hold", "release"; returns recipients changed.
    Result<int> apply(const QString &queueId, const QString &action);
    Result<int> remove(const QString &queueId);
    // Marks every waiting recipient failed with the given reason (admin bounce).
    Result<int> failAll(const QString &queueId, const QString &status, const QString &diagnostic);
    Result<qint64> waitingCount();

    // Quarantine (state 'quarantined'): newest first; f.state is ignored.
    Result<QList<QuarantineRow>> quarantine(const QueueFilter &f, qint64 *total);
    Result<QuarantineRow> quarantined(const QString &queueId); // NotFound unless in quarantine
    // Sends the quarantined recipients on to delivery with the verdict
    // "accept"; returns how many. The scheduler must be woken.
    Result<int> releaseQuarantine(const QString &queueId);
    // Ends the quarantined recipients without delivery or bounce (state
    // 'discarded') and removes the message when nothing else waits.
    Result<int> discardQuarantine(const QString &queueId, const QString &why);
    // Discards what has been in quarantine since before the given time;
    // returns the queue ids.
    Result<QStringList> expireQuarantine(qint64 receivedBeforeMs);

private:
    Database &m_db;
};

} // namespace mailroom::store
