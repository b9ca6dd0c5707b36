// DELETE (RFC 9051 §6.3.5): INBOX cannot be deleted; children stay.
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/session.h"
#include "store/mailstore.h"

namespace mailroom::imap::commands
{

void deleteMailbox(CommandContext &c)
{
    QString name;
    if (c.args().size() != 1 || !c.session.decodeName(c.args()[0], &name))
        return c.badSyntax("DELETE needs a mailbox name");
    if (name == u"INBOX")
        return c.no("[CANNOT] INBOX cannot be deleted");
    if (c.session.selected() && c.session.selected()->name() == name)
        c.session.unselect(); // RFC 9051 §6.3.5 allows deleting the selected mailbox
    if (auto st = c.store().deleteMailbox(c.session.userId(), name); !st)
        return c.fail(st.error(), "Cannot delete the mailbox");
    c.ok("Delete completed");
}

} // namespace mailroom::imap::commands
