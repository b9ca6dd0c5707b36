// Directory: domains, users and aliases (catch-alls, distribution lists).
// Trust level: input from local admins; every name is checked (address.h)
// and every refusal is a sentence saying what to do. Each change runs in one
// transaction and raises its event only after the commit.
#pragma once

#include <functional>
#include <optional>

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include "base/result.h"

namespace mailroom
{
class EventBus;
}

namespace mailroom::store
{

class Database;

struct Domain {
    qint64 id = 0;
    QString name;
    QString description;
    int userCount = 0;
    int aliasCount = 0;
    QString catchAllTarget; // empty if none
    QDateTime created;
};

struct User {
    qint64 id = 0;
    QString address;
    QString displayName;
    qint64 quotaBytes = 0; // 0 = unlimited
    qint64 usedBytes = 0;
    bool enabled = true;
    bool cramMd5Allowed = false;
    QDateTime created;
};

struct Alias {
    qint64 id = 0;
    QString address; // "@example.com" = catch-all
    QStringList targets;
    QDateTime created;
};

template<class T> struct Page {
    QList<T> items;
    qint64 total = 0;
};

struct ListQuery {
    QString domain;
    QString filter; // substring, case-insensitive
    qint64 offset = 0;
    qint64 limit = 100;
};

struct UserPatch {
    std::optional<QString> displayName;
    std::optional<bool> enabled;
    std::optional<qint64> quotaBytes;
    std::optional<bool> cramMd5Allowed;
};

// What a login needs to know of a user (auth::CredentialSource reads it).
struct LoginSecrets {
    QString address;
    QString passwordHash; // PHC scrypt string
    QString scram; // "iterations$salt$storedKey$serverKey", base64 fields; empty when not made yet
    QByteArray cramKey; // only for users who opted in to CRAM-MD5
    bool enabled = true;
    bool cramMd5Allowed = false;
};

struct Counts {
    qint64 domains = 0, users = 0, aliases = 0, messages = 0, blobBytes = 0;
};

class Directory
{
public:
    Directory(Database &db, EventBus *bus);

    Result<Domain> addDomain(const QString &name, const QString &description);
    Status updateDomain(const QString &name, const QString &description);
    Status removeDomain(const QString &name, bool force);
    // Runs after a domain's removal is committed, with its name: the Store
    // removes the files that belong to the domain (its DKIM keys).
    void setDomainRemovedHook(std::function<void(const QString &domain)> hook)
    {
        m_domainRemoved = std::move(hook);
    }
    Result<Domain> findDomain(const QString &name);
    Result<Page<Domain>> listDomains(const ListQuery &q);

    // Creates the user and its six default mailboxes in one transaction.
    Result<User> addUser(
        const QString &address, const QString &passwordHash, const QString &displayName, qint64 quotaBytes);
    Status updateUser(const QString &address, const UserPatch &patch);
    Status setPasswordHash(const QString &address, const QString &hash);
    Result<QString> passwordHash(const QString &address);
    // Secrets derived from the password when it is set: SCRAM-SHA-256 keys
    // and, for CRAM-MD5 opt-ins, the shared key. Empty values clear them.
    Status setLoginSecrets(const QString &address, const QString &scram, const QByteArray &cramKey);
    Result<LoginSecrets> loginSecrets(const QString &address);
    // Whether any enabled user opted in to CRAM-MD5 and has its key: only
    // then is the mechanism offered (clients such as curl pick it first).
    Result<bool> anyCramMd5User();
    Status removeUser(const QString &address);
    Result<User> findUser(const QString &address);
    Result<Page<User>> listUsers(const ListQuery &q);

    Result<Alias> addAlias(const QString &address, const QStringList &targets);
    Status updateAlias(const QString &address, const QStringList &targets);
    Status removeAlias(const QString &address);
    Result<Page<Alias>> listAliases(const ListQuery &q);

    // Final recipients of an address: local users and external addresses,
    // through aliases, distribution lists, plus-addressing (user+tag@) and
    // catch-alls. NotFound when a local domain has no such recipient.
    Result<QStringList> resolve(const QString &recipient);

    Result<Counts> counts();

private:
    enum class Kind { None, User, Alias };
    // The id of a local domain, or NotFound saying to add it first.
    Result<qint64> localDomainId(const QSqlDatabase &db, const QString &domain);
    // Whether an address is taken, and by what.
    Result<Kind> addressKind(const QSqlDatabase &db, const QString &address);
    Status checkTargets(
        const QSqlDatabase &db, const QString &alias, const QStringList &targets, QStringList *normalized);
    Status setTargets(const QSqlDatabase &db, qint64 aliasId, const QStringList &targets);
    // Removes targets that point at gone addresses; aliases left with no
    // target go too, and so on up the chain.
    Status dropTargetsTo(const QSqlDatabase &db, QStringList gone);

    Database &m_db;
    EventBus *m_bus;
    std::function<void(const QString &)> m_domainRemoved;
};

} // namespace mailroom::store
