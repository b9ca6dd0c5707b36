// DkimKeys: the DKIM signing keys of the local domains (RFC 6376 §3.6). A
// row in mailroom.db per key (selector, algorithm, state, times, the public
// TXT record); the private key is a file dkim/<domain>/<selector>.pem in the
// data folder, mode 0600, written durably before its row is committed and
// removed after its row (or its domain) is gone. Files without a row, left by
// a crash between the two steps, are removed by sweep() at start.
// Trust level: input from local admins; the PEM files are secrets.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariantMap>

#include "base/events.h"
#include "base/result.h"

namespace mailroom::store
{

class Database;

struct DkimKeyRecord {
    QString domain; // ACE, lower case
    QString selector; // lower case
    QString algorithm; // "rsa-sha256" | "ed25519-sha256"
    QString state; // "pending" | "active" | "retired"
    QDateTime created, activated, retired; // invalid: not yet
    QByteArray record; // the TXT value to publish at <selector>._domainkey.<domain>
};

// An active key with its private key, for the signer.
struct DkimSigningKey {
    QString domain, selector, algorithm;
    QByteArray privatePem;
};

struct DkimActivation {
    DkimKeyRecord key;
    QString retiredSelector; // the key of the same algorithm it replaced; empty if none
};

class DkimKeys
{
public:
    // folder: the data folder's dkim/ (made on first use, mode 0700).
    DkimKeys(Database &db, QString folder, EventBus *bus);

    // Keys of one domain, or of all domains when domain is empty; by domain,
    // then newest first.
    Result<QList<DkimKeyRecord>> list(const QString &domain);
    Result<DkimKeyRecord> find(const QString &domain, const QString &selector);
    // Writes the private key file (0600, fsynced), then commits the row in
    // state pending. AlreadyExists when the domain has that selector.
    Result<DkimKeyRecord> add(const QString &domain,
        const QString &selector,
        const QString &algorithm,
        const QByteArray &record,
        const QByteArray &privatePem);
    // Makes the key the domain's active key of its algorithm and retires the
    // one it replaces, in one transaction.
    Result<DkimActivation> activate(const QString &domain, const QString &selector);
    // Removes the row, then the file. An active key only with force.
    Status remove(const QString &domain, const QString &selector, bool force);
    // Removes the keys retired before `before` (row, then file) and returns
    // them; each one logs dkim_key_expired with the DNS name to clean up.
    Result<QList<DkimKeyRecord>> removeRetired(const QDateTime &before);
    // Every active key with its PEM, read from the files.
    Result<QList<DkimSigningKey>> activeKeys();
    // The key files of a removed domain (Directory calls it after the commit).
    void removeDomainFiles(const QString &domain);
    // Removes key files that have no row; returns how many.
    int sweep();

    // A selector as stored, or InvalidArgument: DNS labels of letters, digits
    // and hyphens, at most 63 characters in all (RFC 6376 §3.1).
    static Result<QString> normalizeSelector(const QString &selector);

private:
    Status removeKey(const DkimKeyRecord &key, EventId event, QVariantMap fields);
    QString keyPath(const QString &domain, const QString &selector) const;
    Status writeKeyFile(const QString &domain, const QString &selector, const QByteArray &pem);

    Database &m_db;
    QString m_folder;
    EventBus *m_bus;
};

} // namespace mailroom::store
