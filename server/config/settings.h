// Settings: the engine's current value of every registered setting, layered
// (lowest first) default < configuration file < admin change < command line.
// Trust level: internal; values from an admin or a file are validated against
// the registry before they are taken. Thread-safe for reading.
#pragma once

#include <QHash>
#include <QObject>
#include <QReadWriteLock>

#include "base/result.h"
#include "config/settingdefs.h"

namespace mailroom::config
{

enum class SettingSource { Default, File, Admin, CommandLine };
const char *settingSourceName(SettingSource s);

class Settings : public QObject
{
    Q_OBJECT
public:
    explicit Settings(QObject *parent = nullptr);

    // "name = value" lines; '#' starts a comment. Unknown names are an error.
    Status loadFile(const QString &path);
    // "name=value" from --set.
    Status applyOverride(const QString &assignment);
    // A change from the admin socket, or one loaded from the database at
    // start. The caller stores it first (see settingshandler.cpp).
    Status setAdminValue(const QString &name, const QString &text);
    // Checks text for the named setting without applying it.
    Status validate(const QString &name, const QString &text) const;
    Status resetAdminValue(const QString &name);

    QVariant value(const QString &name) const;
    qint64 intValue(const QString &name) const;
    bool boolValue(const QString &name) const;
    QString stringValue(const QString &name) const;
    SettingSource source(const QString &name) const;
    QString valueText(const QString &name) const; // as shown to admins; secrets masked

Q_SIGNALS:
    void changed(const QString &name, const QVariant &value);

private:
    Status setLayer(SettingSource layer, const QString &name, const QString &text);
    struct Layers {
        QHash<QString, QVariant> file, admin, commandLine;
    };
    mutable QReadWriteLock m_lock;
    Layers m_layers;
};

} // namespace mailroom::config
