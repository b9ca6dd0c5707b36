// tls.*: the certificates the mail listeners present (the default one and
// per-domain ones chosen by SNI), and replacing them with a PEM pair or a
// PKCS#12 bundle. Trust level: local admins; the private key
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
QJsonObject domainCertificate(TlsManager &tls, const QString &domain)
{
    for (const auto &[name, view] : tls.domainCertificates())
        if (name == domain) {
            QJsonObject c = certificateJson(view);
            c.insert(QStringLiteral("domain"), name);
            return c;
        }
    raise(ErrorCode::NotFound, QStringLiteral("%1 has no certificate of its own.").arg(domain));
}
} // namespace

QJsonValue tlsGet(const RequestContext &ctx, const QJsonObject &)
{
    ctx.require(QStringLiteral("tls.read"));
    TlsManager &tls = manager(ctx);
    QJsonObject out = certificateJson(tls.certificate());
    QJsonArray domains;
    for (const auto &[name, view] : tls.domainCertificates()) {
        QJsonObject c = certificateJson(view);
        c.insert(QStringLiteral("domain"), name);
        domains.append(c);
    }
    out.insert(QStringLiteral("domains"), domains);
    return out;
}

QJsonValue tlsRemove(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("tls.write"));
    const QString domain = params.value(QStringLiteral("domain")).toString().trimmed().toLower();
    if (domain.isEmpty())
        raise(ErrorCode::InvalidArgument, QStringLiteral("Give the domain whose certificate to remove."));
    unwrap(manager(ctx).removeDomainCertificate(domain));
    return QJsonObject {};
}

QJsonValue tlsReplace(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("tls.write"));
    TlsManager &tls = manager(ctx);
    const QString domain = params.value(QStringLiteral("domain")).toString().trimmed().toLower();
    const QString pkcs12 = params.value(QStringLiteral("pkcs12")).toString();
    if (!pkcs12.isEmpty()) {
        auto bundle = QByteArray::fromBase64Encoding(pkcs12.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!bundle)
            raise(ErrorCode::InvalidArgument, QStringLiteral("pkcs12 must be the bundle's bytes in base64."));
        unwrap(tls.replacePkcs12(*bundle, params.value(QStringLiteral("passphrase")).toString(), domain));
    } else {
        const QString cert = params.value(QStringLiteral("certificate")).toString();
        const QString key = params.value(QStringLiteral("key")).toString();
        if (cert.isEmpty() || key.isEmpty())
            raise(ErrorCode::InvalidArgument,
                QStringLiteral("Give the certificate and its private key (PEM), or a PKCS#12 bundle."));
        unwrap(tls.replacePem(cert.toUtf8(), key.toUtf8(), domain));
    }
    return domain.isEmpty() ? certificateJson(tls.certificate()) : domainCertificate(tls, domain);
}

} // namespace mailroom::admin::handlers
