#include "config/settings.h"

#include <QFile>

#include "base/events.h"
#include "config/logging.h"

namespace mailroom::config
{

const char *settingSourceName(SettingSource s)
{
    switch (s) {
    case SettingSource::Default:
        return "default";
    case SettingSource::File:
        return "file";
    case SettingSource::Admin:
        return "admin";
    case SettingSource::CommandLine:
        return "command line";
    }
    return "default";
}

Settings::Settings(QObject *parent)
    : QObject(parent)
{
}

Status Settings::setLayer(SettingSource layer, const QString &name, const QString &text)
{
    const SettingDef *def = findSetting(name);
    if (!def)
        return Error(ErrorCode::NotFound,
            QStringLiteral("There is no setting named \"%1\". See docs/settings.md for the list.").arg(name));
    QString why;
    const QVariant v = parseSettingValue(*def, text, &why);
    if (!v.isValid())
        return Error(ErrorCode::InvalidArgument, why);
    {
        QWriteLocker lock(&m_lock);
        switch (layer) {
        case SettingSource::File:
            m_layers.file.insert(name, v);
            break;
        case SettingSource::Admin:
            m_layers.admin.insert(name, v);
            break;
        case SettingSource::CommandLine:
            m_layers.commandLine.insert(name, v);
            break;
        case SettingSource::Default:
            break;
        }
    }
    Q_EMIT changed(name, value(name));
    return {};
}

Status Settings::loadFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return Error(ErrorCode::IoError,
            QStringLiteral("Cannot read the configuration file %1: %2.").arg(path, file.errorString()));
    int lineNo = 0;
    while (!file.atEnd()) {
        ++lineNo;
        QString line = QString::fromUtf8(file.readLine(8192));
        if (const auto hash = line.indexOf(QLatin1Char('#')); hash >= 0)
            line.truncate(hash);
        line = line.trimmed();
        if (line.isEmpty())
            continue;
        const auto eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("%1 line %2: expected \"name = value\".").arg(path).arg(lineNo));
        if (auto s = setLayer(SettingSource::File, line.left(eq).trimmed(), line.mid(eq + 1)); !s)
            return Error(s.error().code, QStringLiteral("%1 line %2: %3").arg(path).arg(lineNo).arg(s.error().message));
    }
    return {};
}

Status Settings::applyOverride(const QString &assignment)
{
    const auto eq = assignment.indexOf(QLatin1Char('='));
    if (eq <= 0)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("--set takes name=value, not \"%1\".").arg(assignment));
    return setLayer(SettingSource::CommandLine, assignment.left(eq).trimmed(), assignment.mid(eq + 1));
}

Status Settings::setAdminValue(const QString &name, const QString &text)
{
    return setLayer(SettingSource::Admin, name, text);
}

Status Settings::validate(const QString &name, const QString &text) const
{
    const SettingDef *def = findSetting(name);
    if (!def)
        return Error(ErrorCode::NotFound,
            QStringLiteral("There is no setting named \"%1\". See docs/settings.md for the list.").arg(name));
    QString why;
    if (!parseSettingValue(*def, text, &why).isValid())
        return Error(ErrorCode::InvalidArgument, why);
    return {};
}

Status Settings::resetAdminValue(const QString &name)
{
    if (!findSetting(name))
        return Error(ErrorCode::NotFound, QStringLiteral("There is no setting named \"%1\".").arg(name));
    {
        QWriteLocker lock(&m_lock);
        m_layers.admin.remove(name);
    }
    Q_EMIT changed(name, value(name));
    return {};
}

QVariant Settings::value(const QString &name) const
{
    QReadLocker lock(&m_lock);
    if (auto it = m_layers.commandLine.constFind(name); it != m_layers.commandLine.cend())
        return *it;
    if (auto it = m_layers.admin.constFind(name); it != m_layers.admin.cend())
        return *it;
    if (auto it = m_layers.file.constFind(name); it != m_layers.file.cend())
        return *it;
    const SettingDef *def = findSetting(name);
    Q_ASSERT_X(def, "Settings::value", qPrintable(name));
    return def ? def->defaultValue : QVariant();
}

qint64 Settings::intValue(const QString &name) const
{
    return value(name).toLongLong();
}

bool Settings::boolValue(const QString &name) const
{
    return value(name).toBool();
}

QString Settings::stringValue(const QString &name) const
{
    return value(name).toString();
}

SettingSource Settings::source(const QString &name) const
{
    QReadLocker lock(&m_lock);
    if (m_layers.commandLine.contains(name))
        return SettingSource::CommandLine;
    if (m_layers.admin.contains(name))
        return SettingSource::Admin;
    if (m_layers.file.contains(name))
        return SettingSource::File;
    return SettingSource::Default;
}

QString Settings::valueText(const QString &name) const
{
    const QVariant v = value(name);
    // Secrets (relay.password) are write-only: admins, logs and the console
    // see that one is set, never what it is.
    if (EventBus::isSecretKey(name))
        return v.toString().isEmpty() ? QString() : QStringLiteral("********");
    if (v.typeId() == QMetaType::Bool)
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return v.toString();
}

} // namespace mailroom::config
