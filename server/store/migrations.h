// Numbered schema migrations of mailroom.db and logs.db (STYLE rule 6). The
// schema version is PRAGMA user_version. Each migration runs in its own
// transaction together with the version bump, so a crash leaves the database
// at the previous or the next version, never between. A database newer than
// this code is refused. Trust level: internal.
#pragma once

#include <QSqlDatabase>
#include <QStringList>

#include "base/result.h"

namespace mailroom::store
{

struct Migration {
    int version;
    const char *what;
    QStringList statements;
};

const QList<Migration> &mailMigrations();
const QList<Migration> &logMigrations();
const QList<Migration> &spamMigrations();

// Brings db up to target (default: the newest). Returns the version it found.
Result<int> migrate(const QSqlDatabase &db, const QList<Migration> &migrations, int target = -1);
Result<int> schemaVersion(const QSqlDatabase &db);

} // namespace mailroom::store
