// The settings registry: every setting of the engine, declared once with its
// name, type, default, allowed range and one line of documentation (STYLE
// rule 7, Postfix mail_params.h). docs/settings.md is generated from this
// table (mailroomd --print-settings) and a test fails when they differ or when
// a setting has no doc. Trust level: internal.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace mailroom::config
{

enum class SettingType { Bool, Int, String, Choice };

struct SettingDef {
    QString name; // "section.key"
    SettingType type;
    QVariant defaultValue;
    qint64 min = 0; // Int only, inclusive
    qint64 max = 0;
    QStringList choices; // Choice only
    QString unit; // shown in docs: "seconds", "bytes", ...
    QString doc; // one sentence
    bool restartRequired = false; // takes effect at the next start only
};

const QList<SettingDef> &allSettings();
const SettingDef *findSetting(const QString &name);
const char *settingTypeName(SettingType t);

// Parses text into a value of the setting's type and checks its range.
// On failure, error says what is allowed.
QVariant parseSettingValue(const SettingDef &def, const QString &text, QString *error);

// The Markdown reference that docs/settings.md holds.
QString settingsMarkdown();

} // namespace mailroom::config
