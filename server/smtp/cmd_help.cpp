// HELP (RFC 5321 §4.1.1.8).
#include "smtp/commands.h"
#include "smtp/session.h"

namespace mailroom::smtp::commands
{

void help(Session &s, const QByteArray &)
{
    s.reply({ 214, "2.0.0", "Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY STARTTLS AUTH" });
}

} // namespace mailroom::smtp::commands
