// NOOP (RFC 1939 §5).
#include "pop3/commands.h"
#include "pop3/session.h"

namespace mailroom::pop3::commands
{

void noop(Session &s, const QByteArray &)
{
    s.reply(replies::ok());
}

} // namespace mailroom::pop3::commands
