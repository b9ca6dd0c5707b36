// users.*: list, add, update, passwd, quota, remove. Passwords arrive in the
// request, are checked against the policy, hashed (scrypt) on the worker
// thread and never stored, logged or echoed. Trust level: local admins.
#include "admin/adminerror.h"
#include "admin/handlers.h"
#include "admin/json.h"
#include "auth/passwordhash.h"
#include "auth/storecredentials.h"
#include "config/settings.h"
#include "store/store.h"

namespace mailroom::admin::handlers
{

namespace
{
constexpr qint64 kMiB = 1024 * 1024;
constexpr qint64 kMaxQuotaMb = qint64(1024) * 1024 * 1024; // 1 PiB

QString address(const QJsonObject &p)
{
    return p.value(QStringLiteral("address")).toString();
}

qint64 quotaBytes(qint64 mb)
{
    if (mb < 0 || mb > kMaxQuotaMb)
        raise(ErrorCode::InvalidArgument,
            QStringLiteral("The quota must be between 0 (no limit) and %1 MiB.").arg(kMaxQuotaMb));
    return mb * kMiB;
}

QString hashChecked(const RequestContext &ctx, const QString &password)
{
    const config::Settings &settings = ctx.services().settings;
    unwrap(auth::checkPasswordPolicy(password, int(settings.intValue(QStringLiteral("auth.min_password_length")))));
    return unwrap(auth::hashPassword(password, int(settings.intValue(QStringLiteral("auth.scrypt_log2n")))));
}
} // namespace

QJsonValue usersList(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("users.read"));
    const auto page = unwrap(ctx.services().store.directory().listUsers(json::listQuery(params)));
    QJsonArray items;
    for (const auto &u : page.items)
        items.append(json::userToJson(u));
    return QJsonObject { { QStringLiteral("total"), page.total }, { QStringLiteral("items"), items } };
}

QJsonValue usersGet(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("users.read"));
    return json::userToJson(unwrap(ctx.services().store.directory().findUser(address(params))));
}

QJsonValue usersAdd(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("users.write"));
    const qint64 quotaMb = params.value(QStringLiteral("quotaMb"))
                               .toInteger(ctx.services().settings.intValue(QStringLiteral("users.default_quota_mb")));
    const qint64 quota = quotaBytes(quotaMb);
    // Check the address before paying for a password hash.
    auto &dir = ctx.services().store.directory();
    if (dir.findUser(address(params)).ok())
        raise(ErrorCode::AlreadyExists,
            QStringLiteral("The user %1 exists already. Choose another address or edit that user.")
                .arg(address(params)));
    const QString hash = hashChecked(ctx, params.value(QStringLiteral("password")).toString());
    const auto user
        = unwrap(dir.addUser(address(params), hash, params.value(QStringLiteral("displayName")).toString(), quota));
    const auto secrets = auth::makeLoginSecrets(params.value(QStringLiteral("password")).toString(), false);
    unwrap(dir.setLoginSecrets(user.address, secrets.scram, secrets.cramKey));
    return QJsonObject { { QStringLiteral("user"), json::userToJson(user) } };
}

QJsonValue usersUpdate(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("users.write"));
    store::UserPatch patch;
    if (params.contains(QStringLiteral("displayName")))
        patch.displayName = params.value(QStringLiteral("displayName")).toString();
    if (params.contains(QStringLiteral("enabled")))
        patch.enabled = params.value(QStringLiteral("enabled")).toBool();
    if (params.contains(QStringLiteral("cramMd5")))
        patch.cramMd5Allowed = params.value(QStringLiteral("cramMd5")).toBool();
    auto &dir = ctx.services().store.directory();
    unwrap(dir.updateUser(address(params), patch));
    // Turning CRAM-MD5 off drops its password-equivalent key at once; turning
    // it on takes effect with the next password change (the key comes from it).
    if (patch.cramMd5Allowed && !*patch.cramMd5Allowed) {
        const auto secrets = unwrap(dir.loginSecrets(address(params)));
        unwrap(dir.setLoginSecrets(address(params), secrets.scram, {}));
    }
    return QJsonObject {};
}

QJsonValue usersPasswd(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("users.write"));
    auto &dir = ctx.services().store.directory();
    unwrap(dir.findUser(address(params))); // a clear "no such user" before hashing
    const QString hash = hashChecked(ctx, params.value(QStringLiteral("password")).toString());
    unwrap(dir.setPasswordHash(address(params), hash));
    const bool cram = unwrap(dir.findUser(address(params))).cramMd5Allowed;
    const auto secrets = auth::makeLoginSecrets(params.value(QStringLiteral("password")).toString(), cram);
    unwrap(dir.setLoginSecrets(address(params), secrets.scram, secrets.cramKey));
    return QJsonObject {};
}

QJsonValue usersQuota(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("users.write"));
    store::UserPatch patch;
    patch.quotaBytes = quotaBytes(params.value(QStringLiteral("quotaMb")).toInteger());
    auto &dir = ctx.services().store.directory();
    unwrap(dir.updateUser(address(params), patch));
    // Turning CRAM-MD5 off drops its password-equivalent key at once; turning
    // it on takes effect with the next password change (the key comes from it).
    if (patch.cramMd5Allowed && !*patch.cramMd5Allowed) {
        const auto secrets = unwrap(dir.loginSecrets(address(params)));
        unwrap(dir.setLoginSecrets(address(params), secrets.scram, {}));
    }
    return QJsonObject {};
}

QJsonValue usersRemove(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("users.write"));
    unwrap(ctx.services().store.directory().removeUser(address(params)));
    return QJsonObject {};
}

} // namespace mailroom::admin::handlers
