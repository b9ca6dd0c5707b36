// NOOP and CHECK (RFC 9051 §6.1.2; CHECK from RFC 3501 §6.4.1, a NOOP here
// since every change is committed when it is made). Either one reports the
// selected mailbox's changes (done by the session after every command).
// Trust level: talks to the Internet.
#include "imap/commands.h"

namespace mailroom::imap::commands
{

void noop(CommandContext &c)
{
    if (!c.args().isEmpty())
        return c.badSyntax("NOOP takes no arguments");
    c.ok("NOOP completed");
}

void check(CommandContext &c)
{
    if (!c.args().isEmpty())
        return c.badSyntax("CHECK takes no arguments");
    c.ok("CHECK completed");
}

} // namespace mailroom::imap::commands
