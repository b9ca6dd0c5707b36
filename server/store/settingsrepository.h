// SettingsRepository: settings changed through the admin socket, kept in
// mailroom.db so they survive a restart. Trust level: internal.
#pragma once

#include <QHash>
#include <QString>

#include "base/result.h"

namespace mailroom::store
{

class Database;

class SettingsRepository
{
public:
    explicit SettingsRepository(Database &db);
    Result<QHash<QString, QString>> loadAll();
    Status save(const QString &name, const QString &value);
    Status remove(const QString &name);

private:
    Database &m_db;
};

} // namespace mailroom::store
