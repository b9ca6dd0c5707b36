// RENAME (RFC 9051 §6.3.6): children move with their parent; renaming INBOX
// moves its messages into the new mailbox and leaves INBOX empty.
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/session.h"
#include "store/mailstore.h"

namespace mailroom::imap::commands
{

void rename(CommandContext &c)
{
    QString from, to;
    if (c.args().size() != 2 || !c.session.decodeName(c.args()[0], &from) || !c.session.decodeName(c.args()[1], &to))
        return c.badSyntax("RENAME needs two mailbox names");
    while (to.endsWith(u'/'))
        to.chop(1);
    if (to == u"INBOX")
        return c.no("[ALREADYEXISTS] INBOX exists");
    if (auto st = c.store().renameMailbox(c.session.userId(), from, to); !st)
        return c.fail(st.error(), "Cannot rename the mailbox");
    c.ok("Rename completed");
}

} // namespace mailroom::imap::commands
