// Store: the data folder's databases and blobs behind one object (DESIGN §3).
// Trust level: internal. Opening creates the folder layout, runs the numbered
// migrations and refuses a database from a newer Mailroom.
#pragma once

#include <memory>

#include <QString>

#include "base/result.h"

namespace mailroom
{
class EventBus;
}

namespace mailroom::store
{

class Database;
class Directory;
class Mailboxes;
class MailStore;
class BlobStore;
class LogStore;
class SettingsRepository;
class QueueRepository;
class SpamStore;
class Greylist;
class DkimKeys;
class SpamPolicy;
class Transaction;

class Store
{
public:
    static Result<std::unique_ptr<Store>> open(const QString &dataFolder, EventBus *bus);
    // For migration tests: brings mailroom.db in dataFolder to exactly version.
    static Status migrateTo(const QString &dataFolder, int version);
    static int newestSchema();
    ~Store();

    Directory &directory();
    Mailboxes &mailboxes();
    // Mailboxes and messages for IMAP, POP3 and the console; its events()
    // object lives on the thread that opened the store.
    MailStore &mailStore();
    BlobStore &blobs();
    LogStore &logs();
    SettingsRepository &settings();
    QueueRepository &queue();
    // Bayes counts in spam.db.
    SpamStore &spam();
    // Greylisting's triplets, in mailroom.db.
    Greylist &greylist();
    // DKIM signing keys: rows in mailroom.db, private keys under dkim/.
    DkimKeys &dkimKeys();
    // Allow and block lists and score changes, in mailroom.db.
    SpamPolicy &spamPolicy();
    // Opens a transaction on this thread's connection to mailroom.db. While
    // it is open, every repository call on this thread runs inside it (as a
    // savepoint), so a batch of changes shares one commit and one fsync.
    // Nothing is durable until its commit() succeeds.
    Result<std::unique_ptr<Transaction>> beginBatch();
    QString dataFolder() const
    {
        return m_folder;
    }

private:
    Store();
    QString m_folder;
    std::unique_ptr<Database> m_mail;
    std::unique_ptr<Database> m_log;
    std::unique_ptr<Database> m_spamDb;
    std::unique_ptr<Directory> m_directory;
    std::unique_ptr<Mailboxes> m_mailboxes;
    std::unique_ptr<MailStore> m_mailStore;
    std::unique_ptr<BlobStore> m_blobs;
    std::unique_ptr<LogStore> m_logs;
    std::unique_ptr<SettingsRepository> m_settings;
    std::unique_ptr<QueueRepository> m_queue;
    std::unique_ptr<SpamStore> m_spam;
    std::unique_ptr<Greylist> m_greylist;
    std::unique_ptr<DkimKeys> m_dkimKeys;
    std::unique_ptr<SpamPolicy> m_spamPolicy;
};

} // namespace mailroom::store
