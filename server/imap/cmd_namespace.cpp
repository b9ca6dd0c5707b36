// NAMESPACE (RFC 2342, RFC 9051 §6.3.10): one personal namespace with "/"
// as the hierarchy separator; no other users' or shared folders.
// Trust level: talks to the Internet.
#include "imap/commands.h"

namespace mailroom::imap::commands
{

void namespaces(CommandContext &c)
{
    if (!c.args().isEmpty())
        return c.badSyntax("NAMESPACE takes no arguments");
    c.untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
    c.ok("Namespace completed");
}

} // namespace mailroom::imap::commands
