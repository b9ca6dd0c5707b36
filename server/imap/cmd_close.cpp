// CLOSE (RFC 9051 §6.4.1): expunges \Deleted messages silently unless the
// mailbox is read-only, then leaves it; UNSELECT (RFC 3691) leaves it
// without expunging.
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/session.h"
#include "store/mailstore.h"

namespace mailroom::imap::commands
{

void close(CommandContext &c)
{
    if (!c.args().isEmpty())
        return c.badSyntax("Takes no arguments");
    MailboxView *v = c.session.selected();
    if (c.cmd.name == "CLOSE" && !v->readOnly()) {
        auto gone = c.store().expunge(v->id());
        if (!gone)
            return c.fail(gone.error(), "Cannot expunge the mailbox");
    }
    c.session.unselect();
    c.ok(c.cmd.name == "CLOSE" ? "Close completed" : "Unselect completed");
}

} // namespace mailroom::imap::commands
