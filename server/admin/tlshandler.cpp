// tls.*: the certificate the mail listeners present, and replacing it with a
// PEM pair or a PKCS#12 bundle. Trust level: local admins; the private key
// and the passphrase are secrets (masked in logs, never echoed back).
#include "admin/adminerror.h"
#include "admin/handlers.h"
#include "admin/json.h"

namespace mailroom::admin::handlers
{

namespace
{
TlsManager &manager(const RequestContext &ctx)
{
    if (!ctx.services().tls)
        raise(ErrorCode::Unavailable, QStringLiteral("The engine has no TLS certificate loaded; see its log."));
    return *ctx.services().tls;
}

QJsonObject certificateJson(const CertificateView &c)
{
    return { { QStringLiteral("subject"), c.subject }, { QStringLiteral("issuer"), c.issuer },
        { QStringLiteral("dnsNames"), QJsonArray::fromStringList(c.dnsNames) },
        { QStringLiteral("notBefore"), json::isoTime(c.notBefore) },
        { QStringLiteral("notAfter"), json::isoTime(c.notAfter) }, { QStringLiteral("sha256"), c.sha256Fingerprint },
        { QStringLiteral("selfSigned"), c.selfSigned }, { QStringLiteral("keyType"), c.keyType } };
}
} // namespace

QJsonValue tlsGet(const RequestContext &ctx, const QJsonObject &)
{
    ctx.require(QStringLiteral("tls.read"));
    return certificateJson(manager(ctx).certificate());
}

QJsonValue tlsReplace(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("tls.write"));
    TlsManager &tls = manager(ctx);
    const QString pkcs12 = params.value(QStringLiteral("pkcs12")).toString();
    if (!pkcs12.isEmpty()) {
        auto bundle = QByteArray::fromBase64Encoding(pkcs12.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!bundle)
            raise(ErrorCode::InvalidArgument, QStringLiteral("pkcs12 must be the bundle's bytes in base64."));
        unwrap(tls.replacePkcs12(*bundle, params.value(QStringLiteral("passphrase")).toString()));
    } else {
        const QString cert = params.value(QStringLiteral("certificate")).toString();
        const QString key = params.value(QStringLiteral("key")).toString();
        if (cert.isEmpty() || key.isEmpty())
            raise(ErrorCode::InvalidArgument,
                QStringLiteral("Give the certificate and its private key (PEM), or a PKCS#12 bundle."));
        unwrap(tls.replacePem(cert.toUtf8(), key.toUtf8()));
    }
    return certificateJson(tls.certificate());
}

} // namespace mailroom::admin::handlers
