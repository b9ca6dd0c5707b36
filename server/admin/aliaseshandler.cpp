// aliases.*: aliases, catch-alls (@domain) and distribution lists (several
// targets). Trust level: local admins.
#include "admin/adminerror.h"
#include "admin/handlers.h"
#include "admin/json.h"
#include "store/store.h"

namespace mailroom::admin::handlers
{

namespace
{
QString address(const QJsonObject &p)
{
    return p.value(QStringLiteral("address")).toString();
}

QStringList targets(const QJsonObject &p)
{
    QStringList out;
    for (const QJsonValue &v : p.value(QStringLiteral("targets")).toArray())
        out << v.toString();
    return out;
}
} // namespace

QJsonValue aliasesList(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("aliases.read"));
    const auto page = unwrap(ctx.services().store.directory().listAliases(json::listQuery(params)));
    QJsonArray items;
    for (const auto &a : page.items)
        items.append(json::aliasToJson(a));
    return QJsonObject { { QStringLiteral("total"), page.total }, { QStringLiteral("items"), items } };
}

QJsonValue aliasesAdd(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("aliases.write"));
    const auto a = unwrap(ctx.services().store.directory().addAlias(address(params), targets(params)));
    return QJsonObject { { QStringLiteral("alias"), json::aliasToJson(a) } };
}

QJsonValue aliasesUpdate(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("aliases.write"));
    unwrap(ctx.services().store.directory().updateAlias(address(params), targets(params)));
    return QJsonObject {};
}

QJsonValue aliasesRemove(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("aliases.write"));
    unwrap(ctx.services().store.directory().removeAlias(address(params)));
    return QJsonObject {};
}

} // namespace mailroom::admin::handlers
