#include "store/migrations.h"

#include "store/sql.h"
#include "store/transaction.h"

namespace mailroom::store
{

namespace
{
QStringList sql(std::initializer_list<const char *> parts)
{
    QStringList out;
    for (const char *p : parts)
        out << QString::fromUtf8(p);
    return out;
}
} // namespace

const QList<Migration> &mailMigrations()
{
    static const QList<Migration> list {
        { 1, "directory: domains, users, aliases",
            sql({ "CREATE TABLE domains (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
                  " description TEXT NOT NULL DEFAULT '', created INTEGER NOT NULL)",
                "CREATE TABLE users (id INTEGER PRIMARY KEY,"
                " domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,"
                " address TEXT NOT NULL UNIQUE COLLATE NOCASE, display_name TEXT NOT NULL DEFAULT '',"
                " password_hash TEXT NOT NULL, quota_bytes INTEGER NOT NULL DEFAULT 0,"
                " enabled INTEGER NOT NULL DEFAULT 1, created INTEGER NOT NULL)",
                "CREATE INDEX users_domain ON users(domain_id)",
                "CREATE TABLE aliases (id INTEGER PRIMARY KEY,"
                " domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,"
                " address TEXT NOT NULL UNIQUE COLLATE NOCASE, created INTEGER NOT NULL)",
                "CREATE INDEX aliases_domain ON aliases(domain_id)",
                "CREATE TABLE alias_targets (alias_id INTEGER NOT NULL REFERENCES aliases(id) ON DELETE CASCADE,"
                " position INTEGER NOT NULL, target TEXT NOT NULL COLLATE NOCASE, PRIMARY KEY (alias_id, target))",
                "CREATE INDEX alias_targets_target ON alias_targets(target)" }) },
        { 2, "mailboxes, messages and content-addressed blobs",
            sql({ "CREATE TABLE blobs (hash TEXT PRIMARY KEY, size INTEGER NOT NULL, refcount INTEGER NOT NULL DEFAULT "
                  "0,"
                  " created INTEGER NOT NULL)",
                "CREATE TABLE mailboxes (id INTEGER PRIMARY KEY,"
                " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT NOT NULL,"
                " special_use TEXT NOT NULL DEFAULT '', uidvalidity INTEGER NOT NULL, uidnext INTEGER NOT NULL DEFAULT "
                "1,"
                " highestmodseq INTEGER NOT NULL DEFAULT 1, subscribed INTEGER NOT NULL DEFAULT 1,"
                " UNIQUE (user_id, name))",
                "CREATE TABLE messages (id INTEGER PRIMARY KEY,"
                " mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE, uid INTEGER NOT NULL,"
                " modseq INTEGER NOT NULL, flags INTEGER NOT NULL DEFAULT 0, keywords TEXT NOT NULL DEFAULT '',"
                " internal_date INTEGER NOT NULL, size INTEGER NOT NULL, blob_hash TEXT NOT NULL REFERENCES "
                "blobs(hash),"
                " env_date TEXT, env_subject TEXT, env_from TEXT, env_to TEXT, env_cc TEXT, env_message_id TEXT,"
                " env_in_reply_to TEXT, bodystructure TEXT, UNIQUE (mailbox_id, uid))",
                "CREATE INDEX messages_blob ON messages(blob_hash)",
                // Reference counts follow the rows, also through ON DELETE CASCADE.
                "CREATE TRIGGER messages_blob_ref AFTER INSERT ON messages BEGIN"
                " UPDATE blobs SET refcount = refcount + 1 WHERE hash = NEW.blob_hash; END",
                "CREATE TRIGGER messages_blob_unref AFTER DELETE ON messages BEGIN"
                " UPDATE blobs SET refcount = refcount - 1 WHERE hash = OLD.blob_hash; END" }) },
        { 3, "settings changed by admins",
            sql({ "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)" }) },
        { 4, "CRAM-MD5 opt-in per user",
            sql({ "ALTER TABLE users ADD COLUMN cram_md5 INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE users ADD COLUMN cram_secret BLOB" }) },
        // Each new mailbox takes MAX(uidvalidity) + 1; without an index that is
        // a scan of every mailbox for each new user.
        { 5, "index for the next UIDVALIDITY",
            sql({ "CREATE INDEX mailboxes_uidvalidity ON mailboxes(uidvalidity)" }) },
        // SCRAM-SHA-256 (RFC 5802, 7677) needs keys derived when the password is
        // set; the scrypt hash cannot produce them.
        { 6, "SCRAM-SHA-256 credentials per user",
            sql({ "ALTER TABLE users ADD COLUMN scram TEXT NOT NULL DEFAULT ''" }) },
        // The durable queue (DESIGN §3): one row per accepted message, one per
        // recipient with its own state. A message holds a reference on its
        // blob, like a mailbox message does.
        { 7, "mail queue",
            sql({ "CREATE TABLE queue_messages (id INTEGER PRIMARY KEY, queue_id TEXT NOT NULL UNIQUE,"
                  " blob_hash TEXT NOT NULL REFERENCES blobs(hash), body_offset INTEGER NOT NULL DEFAULT 0,"
                  " size INTEGER NOT NULL, sender TEXT NOT NULL, received INTEGER NOT NULL,"
                  " client_address TEXT NOT NULL DEFAULT '', client_helo TEXT NOT NULL DEFAULT '',"
                  " auth_user TEXT NOT NULL DEFAULT '', service TEXT NOT NULL DEFAULT '',"
                  " envid TEXT NOT NULL DEFAULT '', ret TEXT NOT NULL DEFAULT '',"
                  " smtputf8 INTEGER NOT NULL DEFAULT 0, body8bit INTEGER NOT NULL DEFAULT 0,"
                  " verdict TEXT NOT NULL DEFAULT 'accept', subject TEXT NOT NULL DEFAULT '',"
                  " env_from TEXT NOT NULL DEFAULT '', env_to TEXT NOT NULL DEFAULT '',"
                  " env_cc TEXT NOT NULL DEFAULT '', env_date TEXT NOT NULL DEFAULT '',"
                  " env_message_id TEXT NOT NULL DEFAULT '', env_in_reply_to TEXT NOT NULL DEFAULT '')",
                "CREATE TABLE queue_recipients (id INTEGER PRIMARY KEY,"
                " message_id INTEGER NOT NULL REFERENCES queue_messages(id) ON DELETE CASCADE,"
                " address TEXT NOT NULL, orig_rcpt TEXT NOT NULL DEFAULT '', notify INTEGER NOT NULL DEFAULT 0,"
                " state TEXT NOT NULL DEFAULT 'queued', attempts INTEGER NOT NULL DEFAULT 0,"
                " next_attempt INTEGER NOT NULL DEFAULT 0, last_attempt INTEGER NOT NULL DEFAULT 0,"
                " status TEXT NOT NULL DEFAULT '', diagnostic TEXT NOT NULL DEFAULT '',"
                " remote_mta TEXT NOT NULL DEFAULT '', delay_notified INTEGER NOT NULL DEFAULT 0,"
                " updated INTEGER NOT NULL DEFAULT 0)",
                "CREATE INDEX queue_recipients_message ON queue_recipients(message_id)",
                "CREATE INDEX queue_recipients_due ON queue_recipients(state, next_attempt)",
                "CREATE TABLE queue_history (id INTEGER PRIMARY KEY,"
                " message_id INTEGER NOT NULL REFERENCES queue_messages(id) ON DELETE CASCADE,"
                " time INTEGER NOT NULL, recipient TEXT NOT NULL DEFAULT '', text TEXT NOT NULL)",
                "CREATE INDEX queue_history_message ON queue_history(message_id)",
                "CREATE TRIGGER queue_blob_ref AFTER INSERT ON queue_messages BEGIN"
                " UPDATE blobs SET refcount = refcount + 1 WHERE hash = NEW.blob_hash; END",
                "CREATE TRIGGER queue_blob_unref AFTER DELETE ON queue_messages BEGIN"
                " UPDATE blobs SET refcount = refcount - 1 WHERE hash = OLD.blob_hash; END" }) },
        // IMAP state (RFC 9051, RFC 7162): the cached ENVELOPE beside the
        // BODYSTRUCTURE, an index for CONDSTORE's "modseq > n", the expunged
        // UIDs QRESYNC reports as VANISHED, and subscriptions as names (one
        // may subscribe to a name that does not exist). mailboxes.subscribed
        // stays but only says, at insert, whether the new mailbox starts
        // subscribed: a user's default mailboxes do, IMAP CREATE's do not.
        { 8, "IMAP state",
            sql({ "ALTER TABLE messages ADD COLUMN envelope BLOB",
                "CREATE INDEX messages_modseq ON messages(mailbox_id, modseq)",
                "CREATE TABLE expunged (mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,"
                " uid INTEGER NOT NULL, modseq INTEGER NOT NULL, PRIMARY KEY (mailbox_id, uid)) WITHOUT ROWID",
                "CREATE TABLE subscriptions (user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
                " name TEXT NOT NULL, PRIMARY KEY (user_id, name))",
                "INSERT OR IGNORE INTO subscriptions (user_id, name) SELECT user_id, name FROM mailboxes"
                " WHERE subscribed = 1",
                "CREATE TRIGGER mailboxes_subscribe AFTER INSERT ON mailboxes WHEN NEW.subscribed = 1 BEGIN"
                " INSERT OR IGNORE INTO subscriptions (user_id, name) VALUES (NEW.user_id, NEW.name); END" }) },
        // Bytes per mailbox, kept by triggers: a quota check or a user's usage
        // sums a few mailbox rows instead of every message (with 100,000
        // messages the sum made each delivery and APPEND take milliseconds).
        // A mailbox deleted with its messages takes its count with it.
        { 9, "mailbox sizes",
            sql({ "ALTER TABLE mailboxes ADD COLUMN used_bytes INTEGER NOT NULL DEFAULT 0",
                "UPDATE mailboxes SET used_bytes = (SELECT COALESCE(SUM(size), 0) FROM messages"
                " WHERE mailbox_id = mailboxes.id)",
                "CREATE TRIGGER messages_size_add AFTER INSERT ON messages BEGIN"
                " UPDATE mailboxes SET used_bytes = used_bytes + NEW.size WHERE id = NEW.mailbox_id; END",
                "CREATE TRIGGER messages_size_remove AFTER DELETE ON messages BEGIN"
                " UPDATE mailboxes SET used_bytes = used_bytes - OLD.size WHERE id = OLD.mailbox_id; END",
                "CREATE TRIGGER messages_size_move AFTER UPDATE OF mailbox_id, size ON messages BEGIN"
                " UPDATE mailboxes SET used_bytes = used_bytes - OLD.size WHERE id = OLD.mailbox_id;"
                " UPDATE mailboxes SET used_bytes = used_bytes + NEW.size WHERE id = NEW.mailbox_id; END" }) },
        { 10, "greylisting",
            sql({ "CREATE TABLE greylist (network TEXT NOT NULL, sender TEXT NOT NULL, recipient TEXT NOT NULL,"
                  " first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, passed INTEGER NOT NULL DEFAULT 0,"
                  " PRIMARY KEY (network, sender, recipient)) WITHOUT ROWID",
                "CREATE INDEX greylist_last_seen ON greylist(last_seen)",
                "CREATE TABLE greylist_allowed (network TEXT PRIMARY KEY, passes INTEGER NOT NULL,"
                " last_seen INTEGER NOT NULL) WITHOUT ROWID" }) },
        // DKIM signing keys per domain (RFC 6376). The private keys are files
        // under dkim/<domain>/<selector>.pem, mode 0600; a row holds the public
        // TXT record to publish. The partial index allows one active key per
        // domain and algorithm (RSA and Ed25519 may both sign, RFC 8463 §2).
        // Times are milliseconds; 0 = not yet.
        { 11, "DKIM keys",
            sql({ "CREATE TABLE dkim_keys (id INTEGER PRIMARY KEY,"
                  " domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,"
                  " selector TEXT NOT NULL COLLATE NOCASE,"
                  " algorithm TEXT NOT NULL CHECK (algorithm IN ('rsa-sha256', 'ed25519-sha256')),"
                  " state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'active', 'retired')),"
                  " created INTEGER NOT NULL, activated INTEGER NOT NULL DEFAULT 0,"
                  " retired INTEGER NOT NULL DEFAULT 0, record TEXT NOT NULL, UNIQUE (domain_id, selector))",
                "CREATE UNIQUE INDEX dkim_keys_active ON dkim_keys(domain_id, algorithm) WHERE state = 'active'" }) },
        // Spam policy (DESIGN §6): the filter's score and tags on each queued
        // message (for the quarantine and the queue's details), a verdict per
        // recipient where allow and block lists made recipients differ, the
        // admins' allow and block lists, and their changes to the score table.
        // A quarantined recipient waits in state 'quarantined'.
        { 12, "spam quarantine, lists and scores",
            sql({ "ALTER TABLE queue_messages ADD COLUMN spam_score REAL",
                "ALTER TABLE queue_messages ADD COLUMN spam_tags TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE queue_recipients ADD COLUMN verdict TEXT NOT NULL DEFAULT ''",
                "CREATE INDEX queue_recipients_state ON queue_recipients(state, message_id)",
                "CREATE TABLE spam_lists (id INTEGER PRIMARY KEY, scope TEXT NOT NULL, kind TEXT NOT NULL"
                " CHECK (kind IN ('allow', 'block')), pattern TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',"
                " created INTEGER NOT NULL, hits INTEGER NOT NULL DEFAULT 0, last_hit INTEGER NOT NULL DEFAULT 0,"
                " UNIQUE (scope, kind, pattern))",
                "CREATE TABLE spam_scores (tag TEXT PRIMARY KEY, score REAL NOT NULL) WITHOUT ROWID" }) },
    };
    return list;
}

const QList<Migration> &logMigrations()
{
    static const QList<Migration> list {
        { 1, "event log",
            sql({ "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL,"
                  " level INTEGER NOT NULL, module TEXT NOT NULL, event TEXT NOT NULL, text TEXT NOT NULL,"
                  " fields TEXT NOT NULL DEFAULT '{}')",
                "CREATE INDEX events_time ON events(time)", "CREATE INDEX events_module ON events(module, id)",
                "CREATE INDEX events_level ON events(level, id)" }) },
    };
    return list;
}

const QList<Migration> &spamMigrations()
{
    static const QList<Migration> list {
        { 1, "bayes tokens",
            sql({ "CREATE TABLE tokens (scope INTEGER NOT NULL, hash INTEGER NOT NULL, spam INTEGER NOT NULL,"
                  " ham INTEGER NOT NULL, PRIMARY KEY (scope, hash)) WITHOUT ROWID",
                "CREATE TABLE totals (scope INTEGER PRIMARY KEY, spam INTEGER NOT NULL, ham INTEGER NOT NULL)",
                "CREATE TABLE trained (scope INTEGER NOT NULL, digest TEXT NOT NULL, class TEXT NOT NULL,"
                " time INTEGER NOT NULL, PRIMARY KEY (scope, digest)) WITHOUT ROWID" }) },
        // Per-sender reputation: the scores of past messages from one
        // authenticated domain, or from one address and network.
        { 2, "sender reputation",
            sql({ "CREATE TABLE reputation (key TEXT PRIMARY KEY, messages INTEGER NOT NULL, score_sum REAL NOT NULL,"
                  " last INTEGER NOT NULL) WITHOUT ROWID",
                "CREATE INDEX reputation_last ON reputation(last)" }) },
    };
    return list;
}

Result<int> schemaVersion(const QSqlDatabase &db)
{
    auto v = Query(db, QStringLiteral("PRAGMA user_version")).scalar();
    if (!v)
        return v.error();
    return v->toInt();
}

Result<int> migrate(const QSqlDatabase &db, const QList<Migration> &migrations, int target)
{
    const int newest = migrations.isEmpty() ? 0 : migrations.last().version;
    if (target < 0)
        target = newest;
    auto found = schemaVersion(db);
    if (!found)
        return found.error();
    if (*found > newest)
        return Error(ErrorCode::Conflict,
            QStringLiteral("The database %1 was made by a newer Mailroom (schema %2; this version knows up to "
                           "%3). Install that newer version again, or restore a backup.")
                .arg(db.databaseName())
                .arg(*found)
                .arg(newest));
    for (const Migration &m : migrations) {
        if (m.version <= *found || m.version > target)
            continue;
        Transaction tx(db);
        if (!tx.begun())
            return tx.error();
        if (auto s = execScript(db, m.statements); !s)
            return Error(s.error().code,
                QStringLiteral("Upgrading %1 to schema %2 (%3) failed: %4")
                    .arg(db.databaseName())
                    .arg(m.version)
                    .arg(QLatin1String(m.what), s.error().message));
        if (auto s = execScript(db, { QStringLiteral("PRAGMA user_version = %1").arg(m.version) }); !s)
            return s.error();
        if (auto s = tx.commit(); !s)
            return s.error();
    }
    return *found;
}

} // namespace mailroom::store
