// STARTTLS (RFC 9051 §6.2.1): refused when TLS is active or unavailable.
// Pipelined input after it is discarded by the session (CVE-2011-0411).
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/session.h"

namespace mailroom::imap::commands
{

void starttls(CommandContext &c)
{
    if (!c.args().isEmpty())
        return c.badSyntax("STARTTLS takes no arguments");
    if (c.session.isTls())
        return c.badSyntax("TLS is already active");
    if (!c.session.tlsAvailable())
        return c.no("TLS is not available");
    c.session.beginStartTls(c.tag());
}

} // namespace mailroom::imap::commands
