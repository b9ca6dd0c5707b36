// RSET (RFC 1939 §5): unmarks every message marked deleted.
#include "pop3/commands.h"
#include "pop3/session.h"

namespace mailroom::pop3::commands
{

void rset(Session &s, const QByteArray &)
{
    Maildrop &m = s.maildrop();
    m.unmarkAll();
    s.reply(replies::ok(
        QByteArray::number(m.liveCount()) + " messages (" + QByteArray::number(m.liveBytes()) + " octets)"));
}

} // namespace mailroom::pop3::commands
