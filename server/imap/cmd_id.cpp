// ID (RFC 2971): the client's identification is accepted (bounded by the
// reader) and the server answers with its name only; no version, so as not
// to help an attacker pick exploits.
//   id = "ID" SP id-params-list ; id-params-list = "(" *(string SP nstring) ")" / nil
// Trust level: talks to the Internet.
#include "imap/commands.h"

namespace mailroom::imap::commands
{

void id(CommandContext &c)
{
    if (c.args().size() != 1 || !(c.args()[0].isNil() || c.args()[0].isList()))
        return c.badSyntax("ID needs a parameter list or NIL");
    const Arg &list = c.args()[0];
    if (list.isList()) {
        if (list.children.size() % 2 != 0 || list.children.size() > 60)
            return c.badSyntax("ID parameters come in at most 30 pairs");
        for (const Arg &a : list.children) {
            if (!a.isString() && !a.isNil())
                return c.badSyntax("ID parameters are strings");
        }
    }
    c.untagged("ID (\"name\" \"Mailroom\")");
    c.ok("ID completed");
}

} // namespace mailroom::imap::commands
