// LOGOUT (RFC 9051 §6.1.3): BYE, the tagged OK, and the connection closes.
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/session.h"

namespace mailroom::imap::commands
{

void logout(CommandContext &c)
{
    if (!c.args().isEmpty())
        return c.badSyntax("LOGOUT takes no arguments");
    c.session.beginLogout(c.tag());
}

} // namespace mailroom::imap::commands
