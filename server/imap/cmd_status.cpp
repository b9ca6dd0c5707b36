// STATUS (RFC 9051 §6.3.11, RFC 7162 HIGHESTMODSEQ, RFC 8438 SIZE):
//   status     = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"
//   status-att = "MESSAGES" / "UIDNEXT" / "UIDVALIDITY" / "UNSEEN" /
//                "DELETED" / "SIZE" / "RECENT" / "HIGHESTMODSEQ"
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/fetch/format.h"
#include "imap/session.h"
#include "store/mailstore.h"

namespace mailroom::imap
{

bool statusItems(Session &s, const store::MailboxEntry &box, const Args &items, QByteArray *out, QByteArray *error)
{
    QByteArray r = "(";
    for (const Arg &a : items) {
        if (!a.isAtom()) {
            *error = "STATUS items are atoms";
            return false;
        }
        const QByteArray item = a.text.toUpper();
        qint64 v = 0;
        if (item == "MESSAGES")
            v = box.messages;
        else if (item == "UIDNEXT")
            v = box.uidNext;
        else if (item == "UIDVALIDITY")
            v = box.uidValidity;
        else if (item == "UNSEEN")
            v = box.unseen;
        else if (item == "DELETED")
            v = box.deleted;
        else if (item == "SIZE")
            v = box.bytes;
        else if (item == "RECENT")
            v = 0; // \Recent is not kept (RFC 9051 dropped it)
        else if (item == "HIGHESTMODSEQ") {
            v = box.highestModSeq;
            s.enableCondstore();
        } else {
            *error = "Unknown STATUS item " + item.left(40);
            return false;
        }
        if (r.size() > 1)
            r += ' ';
        r += item + ' ' + QByteArray::number(v);
    }
    *out = r + ')';
    return true;
}

namespace commands
{

void status(CommandContext &c)
{
    QString name;
    if (c.args().size() != 2 || !c.args()[1].isList() || c.args()[1].children.isEmpty())
        return c.badSyntax("STATUS needs a mailbox and a list of items");
    if (!c.session.decodeName(c.args()[0], &name))
        return c.badSyntax("Invalid mailbox name");
    auto box = c.store().mailbox(c.session.userId(), name);
    if (!box)
        return c.fail(box.error(), "Mailbox does not exist");
    // The selected mailbox's counts come from the store too: they may be
    // ahead of what this session reported, which RFC 9051 §6.3.11 allows.
    QByteArray items, error;
    if (!statusItems(c.session, *box, c.args()[1].children, &items, &error))
        return c.badSyntax(error);
    c.untagged("STATUS " + astring(c.session.encodeName(box->name), c.session.utf8()) + ' ' + items);
    c.ok("Status completed");
}

} // namespace commands
} // namespace mailroom::imap
