// RETR msg (RFC 1939 §5): the whole message, dot-stuffed; it gets \Seen at
// QUIT. The file is read and written by Session::beginRetrieve.
#include "pop3/commands.h"
#include "pop3/session.h"

namespace mailroom::pop3::commands
{

void retr(Session &s, const QByteArray &args)
{
    if (args.isEmpty()) {
        s.refuse(replies::syntax("RETR msg"), "RETR", QStringLiteral("no message number"));
        return;
    }
    if (const int n = findMessage(s, args, "RETR"))
        s.beginRetrieve(n, -1);
}

} // namespace mailroom::pop3::commands
