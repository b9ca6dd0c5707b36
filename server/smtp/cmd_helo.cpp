// HELO and EHLO (RFC 5321 §4.1.1.1): greet, reset the transaction, and for
// EHLO list the extensions that work on this connection now.
#include "auth/sasl.h"
#include "config/settings.h"
#include "smtp/commands.h"
#include "smtp/server.h"
#include "smtp/session.h"

namespace mailroom::smtp::commands
{

namespace
{
bool greet(Session &s, const QByteArray &args, const char *verb)
{
    const QByteArray name = args.trimmed();
    if (name.isEmpty() || name.contains(' ') || name.size() > 255) {
        s.refuse(replies::syntax("HELO/EHLO: give your host name"), verb, QStringLiteral("missing or bad host name"));
        return false;
    }
    for (char c : name)
        if (uchar(c) < 33 || uchar(c) == 127) {
            s.refuse(replies::syntax("HELO/EHLO host name"), verb, QStringLiteral("control character in host name"));
            return false;
        }
    s.resetTransaction();
    return true;
}
} // namespace

void helo(Session &s, const QByteArray &args)
{
    if (!greet(s, args, "HELO"))
        return;
    s.setHelo(QString::fromUtf8(args.trimmed()), false);
    s.reply({ 250, {}, s.ctx().hostname.toUtf8() });
}

void ehlo(Session &s, const QByteArray &args)
{
    if (!greet(s, args, "EHLO"))
        return;
    s.setHelo(QString::fromUtf8(args.trimmed()), true);
    QByteArrayList lines { s.ctx().hostname.toUtf8() + " Hello " + args.trimmed().left(255) };
    lines << "PIPELINING"
          << "SIZE " + QByteArray::number(s.limits().messageBytes) << "8BITMIME"
          << "SMTPUTF8"
          << "ENHANCEDSTATUSCODES";
    if (!s.isTls() && s.tlsAvailable())
        lines << "STARTTLS";
    if (s.plaintextAuthAllowed() && s.authUser().isEmpty()) {
        const auto mechs = auth::saslMechanismNames(s.isTls(), true, s.ctx().credentials.cramMd5Offered());
        if (!mechs.isEmpty())
            lines << "AUTH " + mechs.join(' ');
    }
    lines << "CHUNKING"
          << "DSN";
    s.replyRaw(formatMultiline(250, lines));
}

} // namespace mailroom::smtp::commands
