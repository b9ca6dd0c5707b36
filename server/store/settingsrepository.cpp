#include "store/settingsrepository.h"

#include "store/sql.h"

namespace mailroom::store
{

SettingsRepository::SettingsRepository(Database &db)
    : m_db(db)
{
}

Result<QHash<QString, QString>> SettingsRepository::loadAll()
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    Query q(*db, QStringLiteral("SELECT name, value FROM settings"));
    if (auto s = q.exec(); !s)
        return s.error();
    QHash<QString, QString> out;
    while (q.next())
        out.insert(q.value(0).toString(), q.value(1).toString());
    return out;
}

Status SettingsRepository::save(const QString &name, const QString &value)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    return Query(*db,
        QStringLiteral("INSERT INTO settings (name, value) VALUES (?, ?) "
                       "ON CONFLICT(name) DO UPDATE SET value = excluded.value"))
        .bind(name)
        .bind(value)
        .exec();
}

Status SettingsRepository::remove(const QString &name)
{
    auto db = m_db.connection();
    if (!db)
        return db.error();
    return Query(*db, QStringLiteral("DELETE FROM settings WHERE name = ?")).bind(name).exec();
}

} // namespace mailroom::store
