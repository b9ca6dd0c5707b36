// USER name (RFC 1939 §7): remembers the name for PASS. The answer is +OK
// whether or not the mailbox exists, so it cannot be used to probe for
// users; the check happens with the password.
#include "auth/sasl.h"
#include "pop3/commands.h"
#include "pop3/session.h"

namespace mailroom::pop3::commands
{

void user(Session &s, const QByteArray &args)
{
    if (args.isEmpty() || args.size() > auth::SaslMechanism::kMaxNameBytes || args.contains('\0')) {
        s.refuse(replies::syntax("USER name"), "USER", QStringLiteral("missing or over-long name"));
        return;
    }
    s.setUserArg(QString::fromUtf8(args));
    s.reply(replies::ok("Send PASS"));
}

} // namespace mailroom::pop3::commands
