// mailroomctl tls commands: show the certificates the mail listeners present
// (the default one and per-domain ones chosen by SNI), replace one with a PEM
// pair or a PKCS#12 bundle (passphrase from the terminal or stdin, never
// argv), and remove a domain's. Trust level: local admins.
#include <QFile>
#include <QJsonArray>

#include "ctl/ctlcontext.h"
#include "ctl/output.h"
#include "ctl/password.h"
#include "ctl/verbs.h"

namespace mailroom::ctl
{

namespace
{
QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw CtlError { exitcode::Failed, QStringLiteral("Cannot read %1: %2.").arg(path, f.errorString()) };
    if (f.size() > 1024 * 1024)
        throw CtlError { exitcode::Failed,
            QStringLiteral("%1 is larger than 1 MiB; that is not a certificate or a key.").arg(path) };
    return f.readAll();
}

void printCertificate(const QJsonObject &c)
{
    printLine(QStringLiteral("subject:     ") + c.value(QStringLiteral("subject")).toString());
    printLine(QStringLiteral("issuer:      ") + c.value(QStringLiteral("issuer")).toString()
        + (c.value(QStringLiteral("selfSigned")).toBool() ? QStringLiteral(" (self-signed)") : QString()));
    QStringList names;
    for (const QJsonValue &n : c.value(QStringLiteral("dnsNames")).toArray())
        names << n.toString();
    printLine(QStringLiteral("names:       ") + names.join(QStringLiteral(", ")));
    printLine(
        QStringLiteral("valid:       %1 to %2")
            .arg(c.value(QStringLiteral("notBefore")).toString(), c.value(QStringLiteral("notAfter")).toString()));
    printLine(QStringLiteral("key:         ") + c.value(QStringLiteral("keyType")).toString());
    printLine(QStringLiteral("sha256:      ") + c.value(QStringLiteral("sha256")).toString());
}
} // namespace

void cmdTlsShow(CtlContext &ctx)
{
    const QJsonObject c = ctx.call(QStringLiteral("tls.get"), {});
    if (ctx.json())
        return printJson(c);
    printCertificate(c);
    for (const QJsonValue &d : c.value(QStringLiteral("domains")).toArray()) {
        printLine(QString());
        printLine(QStringLiteral("domain:      ") + d.toObject().value(QStringLiteral("domain")).toString());
        printCertificate(d.toObject());
    }
}

void cmdTlsRemove(CtlContext &ctx)
{
    const QString domain = ctx.arg(0, "domain");
    const QJsonObject r = ctx.call(QStringLiteral("tls.remove"), { { QStringLiteral("domain"), domain } });
    if (ctx.json())
        return printJson(r);
    printLine(QStringLiteral("certificate of %1 removed; its clients get the default certificate").arg(domain));
}

void cmdTlsReplace(CtlContext &ctx)
{
    QJsonObject params;
    if (ctx.has(QStringLiteral("domain")))
        params.insert(QStringLiteral("domain"), ctx.option(QStringLiteral("domain")));
    if (ctx.has(QStringLiteral("pkcs12"))) {
        params.insert(
            QStringLiteral("pkcs12"), QString::fromLatin1(readFile(ctx.option(QStringLiteral("pkcs12"))).toBase64()));
        params.insert(QStringLiteral("passphrase"), readPassword(QStringLiteral("Passphrase of the bundle: ")));
    } else if (ctx.has(QStringLiteral("cert")) && ctx.has(QStringLiteral("key"))) {
        params.insert(QStringLiteral("certificate"), QString::fromUtf8(readFile(ctx.option(QStringLiteral("cert")))));
        params.insert(QStringLiteral("key"), QString::fromUtf8(readFile(ctx.option(QStringLiteral("key")))));
    } else {
        throw CtlError { exitcode::Usage, QStringLiteral("Give --cert FILE and --key FILE (PEM), or --pkcs12 FILE.") };
    }
    const QJsonObject c = ctx.call(QStringLiteral("tls.replace"), params);
    if (ctx.json())
        return printJson(c);
    if (ctx.has(QStringLiteral("domain")))
        printLine(QStringLiteral("certificate of %1 installed; new connections asking for its names get it")
                      .arg(ctx.option(QStringLiteral("domain"))));
    else
        printLine(QStringLiteral("certificate replaced; new connections use it now"));
    printCertificate(c);
}

} // namespace mailroom::ctl
