// CREATE (RFC 9051 §6.3.4) with CREATE-SPECIAL-USE (RFC 6154 §3):
//   create = "CREATE" SP mailbox [SP "(" "USE" SP "(" use-attr *(SP use-attr) ")" ")"]
// Parents are created too; a trailing "/" is dropped (RFC 9051 §6.3.4).
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/session.h"
#include "store/mailstore.h"

namespace mailroom::imap::commands
{

void create(CommandContext &c)
{
    QString name;
    if (c.args().isEmpty() || c.args().size() > 2)
        return c.badSyntax("CREATE needs a mailbox name");
    if (!c.session.decodeName(c.args()[0], &name))
        return c.badSyntax("Invalid mailbox name");
    while (name.endsWith(u'/'))
        name.chop(1);
    QString use;
    if (c.args().size() == 2) {
        const Arg &p = c.args()[1];
        if (!p.isList() || p.children.size() != 2 || !p.children[0].is("USE") || !p.children[1].isList())
            return c.badSyntax("Unknown CREATE parameter");
        static const char *const known[]
            = { "\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash" };
        if (p.children[1].children.size() != 1)
            return c.no("[USEATTR] Only one special use per mailbox");
        const QString attr = QString::fromLatin1(p.children[1].children[0].text);
        for (const char *k : known) {
            if (attr.compare(QLatin1String(k), Qt::CaseInsensitive) == 0)
                use = QLatin1String(k);
        }
        if (use.isEmpty() || use == u"\\All" || use == u"\\Flagged")
            return c.no("[USEATTR] That special use is not supported");
    }
    if (name.isEmpty() || name == u"INBOX")
        return c.no("[ALREADYEXISTS] Mailbox exists");
    auto id = c.store().createMailboxPath(c.session.userId(), name, use);
    if (!id)
        return c.fail(id.error(), "Cannot create the mailbox");
    c.ok("Create completed");
}

} // namespace mailroom::imap::commands
