// QUOTA (RFC 9208): one quota root "" per user with the STORAGE resource in
// KiB, as the users.quota_bytes limit; SETQUOTA is for admins (the console),
// so it is refused here.
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/fetch/format.h"
#include "imap/session.h"
#include "store/mailstore.h"

namespace mailroom::imap::commands
{

void getQuota(CommandContext &c)
{
    if (c.cmd.name == "SETQUOTA")
        return c.no("[NOPERM] Quotas are set by the administrator");
    if (c.args().size() != 1 || !c.args()[0].isAString())
        return c.badSyntax("Needs one argument");
    if (c.cmd.name == "GETQUOTAROOT") {
        QString name;
        if (!c.session.decodeName(c.args()[0], &name))
            return c.badSyntax("Invalid mailbox name");
        auto box = c.store().mailbox(c.session.userId(), name);
        if (!box)
            return c.fail(box.error(), "Mailbox does not exist");
        c.untagged("QUOTAROOT " + astring(c.session.encodeName(box->name), c.session.utf8()) + " \"\"");
    } else if (!c.args()[0].text.isEmpty()) {
        return c.no("[NONEXISTENT] No such quota root");
    }
    auto q = c.store().quota(c.session.userId());
    if (!q)
        return c.fail(q.error(), "Cannot read the quota");
    if (q->limitBytes > 0)
        c.untagged("QUOTA \"\" (STORAGE " + QByteArray::number((q->usedBytes + 1023) / 1024) + ' '
            + QByteArray::number(q->limitBytes / 1024) + ')');
    else
        c.untagged("QUOTA \"\" ()");
    c.ok("Getquota completed");
}

} // namespace mailroom::imap::commands
