// DELE msg (RFC 1939 §5): marks the message; it is removed only at QUIT.
#include "pop3/commands.h"
#include "pop3/session.h"

namespace mailroom::pop3::commands
{

void dele(Session &s, const QByteArray &args)
{
    if (args.isEmpty()) {
        s.refuse(replies::syntax("DELE msg"), "DELE", QStringLiteral("no message number"));
        return;
    }
    if (const int n = findMessage(s, args, "DELE")) {
        s.maildrop().markDeleted(n);
        s.reply(replies::ok("Message " + QByteArray::number(n) + " deleted"));
    }
}

} // namespace mailroom::pop3::commands
