// ENABLE (RFC 5161): CONDSTORE, QRESYNC (RFC 7162), UTF8=ACCEPT (RFC 6855)
// and IMAP4rev2 (RFC 9051 §6.3.1). Unknown names are ignored, as the RFC says.
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/session.h"

namespace mailroom::imap::commands
{

void enable(CommandContext &c)
{
    if (c.args().isEmpty())
        return c.badSyntax("ENABLE needs at least one capability");
    QByteArray enabled;
    Session &s = c.session;
    for (const Arg &a : c.args()) {
        if (!a.isAtom())
            return c.badSyntax("ENABLE takes capability names");
        const QByteArray name = a.text.toUpper();
        if (name == "CONDSTORE" && !s.condstore()) {
            s.enableCondstore();
        } else if (name == "QRESYNC" && !s.qresync()) {
            s.enableQresync();
        } else if (name == "UTF8=ACCEPT" && !s.utf8()) {
            s.enableUtf8();
        } else if (name == "IMAP4REV2" && !s.rev2()) {
            s.enableRev2();
        } else {
            continue;
        }
        enabled += ' ' + name;
    }
    c.untagged("ENABLED" + enabled);
    c.ok("Enabled");
}

} // namespace mailroom::imap::commands
