// IDLE (RFC 2177, RFC 9051 §6.3.13): the session reports changes as they
// happen until the client sends DONE.
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/session.h"

namespace mailroom::imap::commands
{

void idle(CommandContext &c)
{
    if (!c.args().isEmpty())
        return c.badSyntax("IDLE takes no arguments");
    c.session.beginIdle(c.tag());
}

} // namespace mailroom::imap::commands
