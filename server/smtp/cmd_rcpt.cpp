// RCPT TO (RFC 5321 §4.1.1.3) with NOTIFY and ORCPT (RFC 3461 §4.1, §4.2).
// No open relay: a recipient outside our domains is taken only from a
// logged-in user or a client in smtp.trusted_networks; one inside must
// exist (aliases, catch-alls and plus-addressing count). The classic relay
// tricks (%-hack, bang paths, quoted local parts holding an "@", source
// routes) all end here as an unknown local user or an outside domain.
#include "config/settings.h"
#include "queue/deliveryagent.h"
#include "smtp/commands.h"
#include "smtp/parser/command.h"
#include "smtp/server.h"
#include "smtp/session.h"

namespace mailroom::smtp::commands
{

namespace
{
bool trustedClient(Session &s)
{
    const QString nets = s.ctx().settings.stringValue(QStringLiteral("smtp.trusted_networks"));
    for (const QString &n : nets.split(u',', Qt::SkipEmptyParts)) {
        const auto subnet = QHostAddress::parseSubnet(n.trimmed());
        if (subnet.second >= 0 && s.peer().isInSubnet(subnet))
            return true;
    }
    return false;
}

bool parseNotify(const QByteArray &value, quint8 *out)
{
    quint8 bits = 0;
    for (const QByteArray &word : value.toUpper().split(',')) {
        if (word == "NEVER")
            bits |= queue::NotifyNever;
        else if (word == "SUCCESS")
            bits |= queue::NotifySuccess;
        else if (word == "FAILURE")
            bits |= queue::NotifyFailure;
        else if (word == "DELAY")
            bits |= queue::NotifyDelay;
        else
            return false;
    }
    // NEVER must stand alone (RFC 3461 §4.1).
    if ((bits & queue::NotifyNever) && bits != queue::NotifyNever)
        return false;
    *out = bits;
    return true;
}
} // namespace

void rcpt(Session &s, const QByteArray &args)
{
    if (!s.tx().active) {
        s.refuse(replies::badSequence("need MAIL before RCPT"), "RCPT", QStringLiteral("RCPT without MAIL"));
        return;
    }
    if (s.tx().recipients.size() >= s.limits().recipients) {
        s.refuse({ 452, "4.5.3", "Too many recipients" }, "RCPT", QStringLiteral("over smtp.max_recipients"));
        return;
    }
    const ParsedPath p = parsePath(args, "TO:", false);
    if (!p.ok) {
        s.refuse(replies::syntax("recipient " + p.problem), "RCPT", QString::fromLatin1(p.problem));
        return;
    }
    queue::EnvelopeRecipient r;
    for (const EsmtpParam &param : p.params) {
        if (param.keyword == "NOTIFY") {
            if (!parseNotify(param.value, &r.notify)) {
                s.refuse({ 501, "5.5.4", "Bad NOTIFY parameter" }, "RCPT", QStringLiteral("bad NOTIFY"));
                return;
            }
        } else if (param.keyword == "ORCPT") {
            bool ok = false;
            const QByteArray v = decodeXtext(param.value, &ok);
            const qsizetype semi = v.indexOf(';');
            if (!ok || semi <= 0 || v.size() > 500) {
                s.refuse({ 501, "5.5.4", "Bad ORCPT parameter" }, "RCPT", QStringLiteral("bad ORCPT"));
                return;
            }
            r.originalRecipient = QString::fromUtf8(v);
        } else {
            s.refuse({ 555, "5.5.4", "Unsupported parameter" }, "RCPT",
                QStringLiteral("unknown parameter %1").arg(QString::fromLatin1(param.keyword.left(20))));
            return;
        }
    }
    if (p.utf8 && !s.tx().smtpUtf8) {
        s.refuse({ 553, "5.6.7", "Non-ASCII address needs SMTPUTF8" }, "RCPT",
            QStringLiteral("UTF-8 recipient without SMTPUTF8"));
        return;
    }
    Directory &directory = s.ctx().directory;
    auto local = p.addressLiteral ? Result<bool>(false) : directory.isLocalDomain(p.domain);
    if (!local) {
        s.refuse(replies::tempFailure(), "RCPT", local.error().message);
        return;
    }
    if (*local) {
        if (p.quotedLocal) {
            s.refuse(replies::noSuchUser(), "RCPT", QStringLiteral("quoted local part <%1>").arg(p.mailbox()));
            return;
        }
        auto targets = directory.resolve(p.mailbox());
        if (!targets) {
            if (targets.error().code == ErrorCode::NotFound || targets.error().code == ErrorCode::InvalidArgument)
                s.refuse(replies::noSuchUser(), "RCPT", QStringLiteral("no local recipient <%1>").arg(p.mailbox()));
            else
                s.refuse(replies::tempFailure(), "RCPT", targets.error().message);
            return;
        }
        r.address = p.mailbox().toLower();
    } else {
        if (s.authUser().isEmpty() && !trustedClient(s)) {
            s.refuse(replies::relayDenied(), "RCPT", QStringLiteral("relay to <%1> refused").arg(p.mailbox()));
            return;
        }
        // The domain is compared case-insensitively; the local part of an
        // outside address is passed on as given (RFC 5321 §2.4).
        r.address = p.local + u'@' + p.domain;
    }
    s.tx().recipients.append(r);
    s.reply({ 250, "2.1.5", "OK" });
}

} // namespace mailroom::smtp::commands
