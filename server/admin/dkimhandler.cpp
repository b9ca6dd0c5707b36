// dkim.*: the DKIM signing keys of the local domains: list them with the TXT
// record to publish, make one, check that DNS publishes it, activate it (it
// signs from then on), delete it. RFC 6376 §3.6 (key records), RFC 8463
// (Ed25519). Trust level: local admins; private keys never leave the engine.
#include "admin/adminerror.h"
#include "admin/handlers.h"
#include "admin/json.h"
#include "store/dkimkeys.h"
#include "store/store.h"

namespace mailroom::admin::handlers
{

namespace
{
DkimService &service(const RequestContext &ctx)
{
    if (!ctx.services().dkim)
        raise(ErrorCode::Unavailable, QStringLiteral("The engine's DKIM signing is not running; see its log."));
    return *ctx.services().dkim;
}

QString str(const QJsonObject &p, const char *key)
{
    return p.value(QLatin1String(key)).toString().trimmed();
}

QString required(const QJsonObject &p, const char *key, const QString &what)
{
    const QString v = str(p, key);
    if (v.isEmpty())
        raise(ErrorCode::InvalidArgument, QStringLiteral("Give the %1.").arg(what));
    return v;
}

QJsonObject keyToJson(const store::DkimKeyRecord &k)
{
    return { { QStringLiteral("domain"), k.domain }, { QStringLiteral("selector"), k.selector },
        { QStringLiteral("algorithm"), k.algorithm }, { QStringLiteral("state"), k.state },
        { QStringLiteral("created"), json::isoTime(k.created) },
        { QStringLiteral("activated"), json::isoTime(k.activated) },
        { QStringLiteral("retired"), json::isoTime(k.retired) },
        { QStringLiteral("recordName"), QString(k.selector + QStringLiteral("._domainkey.") + k.domain) },
        { QStringLiteral("record"), QString::fromLatin1(k.record) } };
}
} // namespace

QJsonValue dkimList(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("dkim.read"));
    const auto keys = unwrap(ctx.services().store.dkimKeys().list(str(params, "domain")));
    QJsonArray items;
    for (const auto &k : keys)
        items.append(keyToJson(k));
    return QJsonObject { { QStringLiteral("items"), items } };
}

QJsonValue dkimCreate(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("dkim.write"));
    const QString domain = required(params, "domain", QStringLiteral("domain the key signs for"));
    const QString algorithm = str(params, "algorithm").toLower();
    if (!algorithm.isEmpty() && algorithm != u"rsa" && algorithm != u"ed25519")
        raise(ErrorCode::InvalidArgument,
            QStringLiteral("\"%1\" is not a DKIM key type: use rsa (RSA-2048) or ed25519.").arg(algorithm));
    return keyToJson(unwrap(service(ctx).createDkimKey(domain, algorithm == u"ed25519", str(params, "selector"))));
}

QJsonValue dkimCheck(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("dkim.read"));
    const QString domain = required(params, "domain", QStringLiteral("domain"));
    const QString selector = required(params, "selector", QStringLiteral("selector of the key"));
    const DkimCheckView c = unwrap(service(ctx).checkDkimKey(domain, selector));
    QJsonArray found;
    for (const QByteArray &f : c.found)
        found.append(QString::fromUtf8(f));
    return QJsonObject { { QStringLiteral("recordName"), c.recordName },
        { QStringLiteral("expected"), QString::fromLatin1(c.expected) }, { QStringLiteral("found"), found },
        { QStringLiteral("published"), c.published }, { QStringLiteral("matches"), c.matches },
        { QStringLiteral("detail"), c.detail } };
}

QJsonValue dkimActivate(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("dkim.write"));
    const QString domain = required(params, "domain", QStringLiteral("domain"));
    const QString selector = required(params, "selector", QStringLiteral("selector of the key"));
    const auto a
        = unwrap(service(ctx).activateDkimKey(domain, selector, params.value(QStringLiteral("force")).toBool(false)));
    QJsonObject out = keyToJson(a.key);
    out.insert(QStringLiteral("retiredSelector"), a.retiredSelector);
    return out;
}

QJsonValue dkimDelete(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("dkim.write"));
    const QString domain = required(params, "domain", QStringLiteral("domain"));
    const QString selector = required(params, "selector", QStringLiteral("selector of the key"));
    unwrap(service(ctx).deleteDkimKey(domain, selector, params.value(QStringLiteral("force")).toBool(false)));
    return QJsonObject {};
}

} // namespace mailroom::admin::handlers
