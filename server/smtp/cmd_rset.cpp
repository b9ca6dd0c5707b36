// RSET (RFC 5321 §4.1.1.5): abandon the transaction; the greeting stays.
#include "smtp/commands.h"
#include "smtp/session.h"

namespace mailroom::smtp::commands
{

void rset(Session &s, const QByteArray &)
{
    s.resetTransaction();
    s.reply(replies::ok());
}

} // namespace mailroom::smtp::commands
