// settings.*: read and change engine settings. A change is validated by the
// registry, applied, and stored by the engine (Settings::adminValueChanged).
// Trust level: local admins.
#include <QJsonArray>

#include "admin/adminerror.h"
#include "admin/handlers.h"
#include "base/events.h"
#include "config/settings.h"
#include "store/settingsrepository.h"
#include "store/store.h"

namespace mailroom::admin::handlers
{

namespace
{
QJsonObject settingToJson(const config::Settings &settings, const config::SettingDef &def)
{
    QJsonObject o { { QStringLiteral("name"), def.name },
        { QStringLiteral("type"), QLatin1String(config::settingTypeName(def.type)) },
        { QStringLiteral("value"), settings.valueText(def.name) },
        { QStringLiteral("default"),
            def.type == config::SettingType::Bool
                ? (def.defaultValue.toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                : def.defaultValue.toString() },
        { QStringLiteral("source"), QLatin1String(config::settingSourceName(settings.source(def.name))) },
        { QStringLiteral("unit"), def.unit }, { QStringLiteral("restart"), def.restartRequired },
        { QStringLiteral("doc"), def.doc } };
    if (def.type == config::SettingType::Int) {
        o.insert(QStringLiteral("min"), def.min);
        o.insert(QStringLiteral("max"), def.max);
    }
    if (def.type == config::SettingType::Choice)
        o.insert(QStringLiteral("choices"), QJsonArray::fromStringList(def.choices));
    return o;
}

const config::SettingDef &definition(const QJsonObject &params)
{
    const QString name = params.value(QStringLiteral("name")).toString();
    const config::SettingDef *def = config::findSetting(name);
    if (!def)
        raise(ErrorCode::NotFound,
            QStringLiteral("There is no setting named \"%1\". Run \"mailroomctl settings list\" to see them.")
                .arg(name.left(100)));
    return *def;
}
} // namespace

QJsonValue settingsList(const RequestContext &ctx, const QJsonObject &)
{
    ctx.require(QStringLiteral("settings.read"));
    QJsonArray items;
    for (const auto &def : config::allSettings())
        items.append(settingToJson(ctx.services().settings, def));
    return QJsonObject { { QStringLiteral("items"), items } };
}

QJsonValue settingsGet(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("settings.read"));
    return settingToJson(ctx.services().settings, definition(params));
}

QJsonValue settingsSet(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("settings.write"));
    const config::SettingDef &def = definition(params);
    config::Settings &settings = ctx.services().settings;
    const QString text = params.value(QStringLiteral("value")).toString();
    // Check, store, then apply: the reply says "done" only once the change
    // would survive a restart.
    unwrap(settings.validate(def.name, text));
    unwrap(ctx.services().store.settings().save(def.name, text.trimmed()));
    unwrap(settings.setAdminValue(def.name, text));
    ctx.services().bus.raise(EventId::SettingChanged,
        { { QStringLiteral("name"), def.name }, { QStringLiteral("value"), settings.valueText(def.name) } });
    QJsonObject out { { QStringLiteral("name"), def.name }, { QStringLiteral("value"), settings.valueText(def.name) },
        { QStringLiteral("restartRequired"), def.restartRequired } };
    if (settings.source(def.name) == config::SettingSource::CommandLine)
        out.insert(QStringLiteral("note"),
            QStringLiteral("Saved, but the engine was started with --set %1, which wins until it is restarted "
                           "without it.")
                .arg(def.name));
    return out;
}

QJsonValue settingsReset(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("settings.write"));
    const config::SettingDef &def = definition(params);
    unwrap(ctx.services().store.settings().remove(def.name));
    unwrap(ctx.services().settings.resetAdminValue(def.name));
    ctx.services().bus.raise(EventId::SettingChanged,
        { { QStringLiteral("name"), def.name },
            { QStringLiteral("value"), ctx.services().settings.valueText(def.name) } });
    return QJsonObject { { QStringLiteral("name"), def.name },
        { QStringLiteral("value"), ctx.services().settings.valueText(def.name) } };
}

} // namespace mailroom::admin::handlers
