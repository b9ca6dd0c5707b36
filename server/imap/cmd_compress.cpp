// COMPRESS (RFC 4978): "COMPRESS" SP algorithm; only DEFLATE. Once the OK is
// sent, both directions are compressed for the rest of the connection.
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/session.h"

namespace mailroom::imap::commands
{

void compress(CommandContext &c)
{
    if (c.args().size() != 1 || !c.args()[0].isAtom())
        return c.badSyntax("COMPRESS needs an algorithm");
    if (!c.args()[0].is("DEFLATE"))
        return c.no("[CANNOT] Unknown compression algorithm");
    if (c.session.compressed())
        return c.no("[COMPRESSIONACTIVE] DEFLATE is active already");
    c.session.beginCompress(c.tag());
}

} // namespace mailroom::imap::commands
