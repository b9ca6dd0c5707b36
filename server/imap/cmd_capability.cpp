// CAPABILITY (RFC 9051 §6.1.1): what this connection may use now.
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/session.h"

namespace mailroom::imap::commands
{

void capability(CommandContext &c)
{
    if (!c.args().isEmpty())
        return c.badSyntax("CAPABILITY takes no arguments");
    c.untagged("CAPABILITY " + c.session.capabilities());
    c.ok("Capability completed");
}

} // namespace mailroom::imap::commands
