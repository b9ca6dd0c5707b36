// SpamPolicy: what admins decide about spam, in mailroom.db (DESIGN §6): the
// allow and block lists (global, per local domain, per local user) and their
// changes to the score table over the rule files. The spam module keeps a
// copy in memory and reloads it when these change.
// Trust level: entries come from admins through the admin API, which checks
// their form; the store checks uniqueness.
#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include "base/result.h"

namespace mailroom::store
{

class Database;

struct SpamListEntry {
    qint64 id = 0;
    QString scope; // "global", "domain:example.com", "user:alice@example.com"
    QString kind; // "allow" or "block"
    QString pattern; // address, domain, IP address or network (already normalized)
    QString note;
    QDateTime created, lastHit;
    qint64 hits = 0;
};

struct SpamListFilter {
    QString scope, kind;
    QString text; // substring of pattern or note
    qint64 offset = 0;
    qint64 limit = 100;
};

class SpamPolicy
{
public:
    explicit SpamPolicy(Database &db);

    Result<QList<SpamListEntry>> lists(const SpamListFilter &filter, qint64 *total);
    Result<QList<SpamListEntry>> allLists();
    // AlreadyExists when the same scope, kind and pattern is there.
    Result<qint64> addList(const SpamListEntry &entry);
    Result<int> removeLists(const QList<qint64> &ids);
    // Counts a match of each entry (the console shows hits and the last one).
    Status recordHits(const QList<qint64> &ids);

    Result<QHash<QString, double>> scoreOverrides();
    Status setScores(const QHash<QString, double> &scores);
    Status resetScores(const QStringList &tags);

private:
    Database &m_db;
};

} // namespace mailroom::store
