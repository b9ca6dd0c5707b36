// MAIL FROM (RFC 5321 §4.1.1.2) with SIZE (RFC 1870), BODY (RFC 6152),
// SMTPUTF8 (RFC 6531), RET and ENVID (RFC 3461) and AUTH= (RFC 4954 §5).
// On submission ports AUTH comes first; a logged-in sender may only send as
// itself or as an alias that delivers to it (smtp.sender_login_check).
#include "config/settings.h"
#include "smtp/commands.h"
#include "smtp/parser/command.h"
#include "smtp/server.h"
#include "smtp/session.h"

namespace mailroom::smtp::commands
{

namespace
{
bool senderAllowed(Session &s, const QString &sender)
{
    if (sender.isEmpty() || !s.ctx().settings.boolValue(QStringLiteral("smtp.sender_login_check")))
        return true;
    const QString user = s.authUser().toLower();
    if (sender.toLower() == user)
        return true;
    auto targets = s.ctx().directory.resolve(sender);
    if (!targets)
        return false;
    for (const QString &t : std::as_const(*targets))
        if (t.toLower() == user)
            return true;
    return false;
}
} // namespace

void mail(Session &s, const QByteArray &args)
{
    if (s.tx().active) {
        s.refuse(replies::badSequence("nested MAIL command"), "MAIL", QStringLiteral("MAIL inside a transaction"));
        return;
    }
    if (s.service().requireAuth && s.authUser().isEmpty()) {
        s.refuse(s.isTls() || s.plaintextAuthAllowed() ? replies::authRequired() : replies::encryptionRequired(),
            "MAIL", QStringLiteral("MAIL before AUTH on the submission port"));
        return;
    }
    const ParsedPath p = parsePath(args, "FROM:", true);
    if (!p.ok) {
        s.refuse(replies::syntax("sender " + p.problem), "MAIL", QString::fromLatin1(p.problem));
        return;
    }
    Session::Transaction tx;
    for (const EsmtpParam &param : p.params) {
        if (param.keyword == "SIZE") {
            bool ok = false;
            tx.declaredSize = param.value.toLongLong(&ok);
            if (!ok || tx.declaredSize < 0) {
                s.refuse(replies::syntax("SIZE parameter"), "MAIL", QStringLiteral("bad SIZE"));
                return;
            }
            if (tx.declaredSize > s.limits().messageBytes) {
                s.refuse({ 552, "5.3.4", "Message size exceeds fixed maximum message size" }, "MAIL",
                    QStringLiteral("declared SIZE over smtp.message_size_limit"));
                return;
            }
        } else if (param.keyword == "BODY") {
            const QByteArray v = param.value.toUpper();
            if (v != "7BIT" && v != "8BITMIME") {
                s.refuse({ 555, "5.5.4", "Unsupported BODY type" }, "MAIL",
                    QStringLiteral("BODY=%1").arg(QString::fromLatin1(v.left(20))));
                return;
            }
            tx.body8bit = v == "8BITMIME";
        } else if (param.keyword == "SMTPUTF8" && !param.hasValue) {
            tx.smtpUtf8 = true;
        } else if (param.keyword == "RET") {
            const QByteArray v = param.value.toUpper();
            if (v != "FULL" && v != "HDRS") {
                s.refuse({ 501, "5.5.4", "RET must be FULL or HDRS" }, "MAIL", QStringLiteral("bad RET"));
                return;
            }
            tx.ret = QString::fromLatin1(v);
        } else if (param.keyword == "ENVID") {
            bool ok = false;
            const QByteArray v = decodeXtext(param.value, &ok);
            if (!ok || v.size() > 100) {
                s.refuse({ 501, "5.5.4", "Bad ENVID" }, "MAIL", QStringLiteral("bad ENVID"));
                return;
            }
            tx.envid = QString::fromLatin1(v);
        } else if (param.keyword == "AUTH") {
            // RFC 4954 §5: the original submitter; we keep our own record.
        } else {
            s.refuse({ 555, "5.5.4", "Unsupported parameter" }, "MAIL",
                QStringLiteral("unknown parameter %1").arg(QString::fromLatin1(param.keyword.left(20))));
            return;
        }
    }
    if (p.utf8 && !tx.smtpUtf8) {
        s.refuse({ 553, "5.6.7", "Non-ASCII address needs the SMTPUTF8 parameter" }, "MAIL",
            QStringLiteral("UTF-8 sender without SMTPUTF8"));
        return;
    }
    tx.sender = p.mailbox();
    if (!s.authUser().isEmpty() && !senderAllowed(s, tx.sender)) {
        s.refuse({ 553, "5.7.1", "Sender address not owned by the logged-in user" }, "MAIL",
            QStringLiteral("%1 may not send as <%2>").arg(s.authUser(), tx.sender));
        return;
    }
    tx.active = true;
    s.tx() = tx;
    s.reply(replies::ok());
}

} // namespace mailroom::smtp::commands
