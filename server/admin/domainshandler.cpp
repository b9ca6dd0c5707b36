// domains.*: list, add, update, remove local domains. Trust level: local admins.
#include "admin/adminerror.h"
#include "admin/handlers.h"
#include "admin/json.h"
#include "store/store.h"

namespace mailroom::admin::handlers
{

namespace
{
QString str(const QJsonObject &p, const char *key)
{
    return p.value(QLatin1String(key)).toString();
}
} // namespace

QJsonValue domainsList(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("domains.read"));
    const auto page = unwrap(ctx.services().store.directory().listDomains(json::listQuery(params)));
    QJsonArray items;
    for (const auto &d : page.items)
        items.append(json::domainToJson(d));
    return QJsonObject { { QStringLiteral("total"), page.total }, { QStringLiteral("items"), items } };
}

QJsonValue domainsAdd(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("domains.write"));
    const auto d = unwrap(ctx.services().store.directory().addDomain(str(params, "name"), str(params, "description")));
    return QJsonObject { { QStringLiteral("domain"), json::domainToJson(d) } };
}

QJsonValue domainsUpdate(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("domains.write"));
    unwrap(ctx.services().store.directory().updateDomain(str(params, "name"), str(params, "description")));
    return QJsonObject {};
}

QJsonValue domainsRemove(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("domains.write"));
    unwrap(ctx.services().store.directory().removeDomain(
        str(params, "name"), params.value(QStringLiteral("force")).toBool(false)));
    return QJsonObject {};
}

} // namespace mailroom::admin::handlers
