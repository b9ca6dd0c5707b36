// EXPUNGE (RFC 9051 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1): removes the
// messages flagged \Deleted (only those in the UID set for UID EXPUNGE).
// The untagged EXPUNGE or VANISHED responses come from the session's sync.
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/parser/sequenceset.h"
#include "imap/session.h"
#include "store/mailstore.h"

namespace mailroom::imap::commands
{

void expunge(CommandContext &c)
{
    MailboxView *v = c.session.selected();
    const bool uid = c.uidMode();
    if (uid != (c.args().size() == 1) || (uid && !c.args()[0].isAtom()))
        return c.badSyntax(uid ? "UID EXPUNGE needs a UID set" : "EXPUNGE takes no arguments");
    if (v->readOnly())
        return c.no("[READ-ONLY] The mailbox is read-only");
    Result<QList<qint64>> gone = QList<qint64>();
    if (uid) {
        SequenceSet set;
        if (!SequenceSet::parse(c.args()[0].text, &set))
            return c.badSyntax("Invalid UID set");
        const QList<qint64> uids = v->resolve(set, true);
        gone = c.store().expunge(v->id(), &uids);
    } else {
        gone = c.store().expunge(v->id());
    }
    if (!gone)
        return c.fail(gone.error(), "Cannot expunge");
    c.ok("Expunge completed");
}

} // namespace mailroom::imap::commands
