// SUBSCRIBE and UNSUBSCRIBE (RFC 9051 §6.3.7, §6.3.8). Names, not mailboxes:
// a subscription may outlive its mailbox.
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/session.h"
#include "store/mailstore.h"

namespace mailroom::imap::commands
{

void subscribe(CommandContext &c)
{
    QString name;
    if (c.args().size() != 1 || !c.session.decodeName(c.args()[0], &name))
        return c.badSyntax("Needs a mailbox name");
    const bool on = c.cmd.name == "SUBSCRIBE";
    if (on) {
        auto box = c.store().mailbox(c.session.userId(), name, store::MailStore::Counts::Without);
        if (!box)
            return c.fail(box.error(), "Mailbox does not exist");
    }
    if (auto st = c.store().setSubscribed(c.session.userId(), name, on); !st)
        return c.fail(st.error(), "Cannot change the subscription");
    c.ok(on ? "Subscribe completed" : "Unsubscribe completed");
}

} // namespace mailroom::imap::commands
