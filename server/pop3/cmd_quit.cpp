// QUIT (RFC 1939 §§4, 6): before login it just ends the session; after
// login it enters the UPDATE state (Session::beginUpdate), which removes the
// messages marked deleted and answers when that is done.
#include "pop3/commands.h"
#include "pop3/session.h"

namespace mailroom::pop3::commands
{

void quit(Session &s, const QByteArray &)
{
    if (s.inTransaction()) {
        s.beginUpdate();
        return;
    }
    s.reply(replies::ok("Bye"));
    s.close(QStringLiteral("QUIT"));
}

} // namespace mailroom::pop3::commands
