// VRFY (RFC 5321 §3.5.3): 252 without saying whether the user exists, so the
// command cannot be used to harvest addresses.
#include "smtp/commands.h"
#include "smtp/session.h"

namespace mailroom::smtp::commands
{

void vrfy(Session &s, const QByteArray &args)
{
    if (args.trimmed().isEmpty()) {
        s.refuse(replies::syntax("VRFY: give an address"), "VRFY", QStringLiteral("VRFY without argument"));
        return;
    }
    s.reply({ 252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery" });
}

} // namespace mailroom::smtp::commands
