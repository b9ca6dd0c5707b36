// QUIT (RFC 5321 §4.1.1.10): 221, then the engine closes its side.
#include "smtp/commands.h"
#include "smtp/server.h"
#include "smtp/session.h"

namespace mailroom::smtp::commands
{

void quit(Session &s, const QByteArray &)
{
    s.reply({ 221, "2.0.0", "Bye" });
    s.close(QStringLiteral("QUIT"));
}

} // namespace mailroom::smtp::commands
