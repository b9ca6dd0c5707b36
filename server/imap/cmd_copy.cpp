// COPY (RFC 9051 §6.4.7) and MOVE (RFC 6851), with UID variants and
// UIDPLUS's COPYUID (RFC 4315 §3):
//   copy = "COPY" SP sequence-set SP mailbox ; move = "MOVE" SP sequence-set SP mailbox
// A move's expunges reach the client through the session's sync, after the
// untagged OK [COPYUID] (RFC 6851 §4.3). Into or out of Junk raises the
// store's junkMoved event for spam training.
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/parser/sequenceset.h"
#include "imap/session.h"
#include "store/mailstore.h"

namespace mailroom::imap::commands
{

void copy(CommandContext &c)
{
    const bool move = c.cmd.name.endsWith("MOVE");
    MailboxView *v = c.session.selected();
    QString name;
    if (c.args().size() != 2 || !c.args()[0].isAtom())
        return c.badSyntax("Needs a message set and a mailbox");
    SequenceSet set;
    if (!SequenceSet::parse(c.args()[0].text, &set))
        return c.badSyntax("Invalid message set");
    if (!c.session.decodeName(c.args()[1], &name))
        return c.badSyntax("Invalid mailbox name");
    if (move && v->readOnly())
        return c.no("[READ-ONLY] The mailbox is read-only");
    auto dest = c.store().mailbox(c.session.userId(), name, store::MailStore::Counts::Without);
    if (!dest)
        return c.no("[TRYCREATE] Mailbox does not exist");
    const QList<qint64> uids = v->resolve(set, c.uidMode());
    if (uids.isEmpty())
        return c.ok(move ? "Move completed" : "Copy completed");
    auto r = c.store().copy(v->id(), uids, dest->id, move);
    if (!r)
        return c.fail(r.error(), move ? "Cannot move the messages" : "Cannot copy the messages");
    const QByteArray copyUid = "[COPYUID " + QByteArray::number(r->destUidValidity) + ' '
        + SequenceSet::toText(r->sourceUids) + ' ' + SequenceSet::toText(r->destUids) + ']';
    if (move) {
        c.untagged("OK " + copyUid + " Moved");
        return c.ok("Move completed");
    }
    c.ok(copyUid + " Copy completed");
}

} // namespace mailroom::imap::commands
