// NOOP (RFC 5321 §4.1.1.9).
#include "smtp/commands.h"
#include "smtp/session.h"

namespace mailroom::smtp::commands
{

void noop(Session &s, const QByteArray &)
{
    s.reply(replies::ok());
}

} // namespace mailroom::smtp::commands
