// STAT (RFC 1939 §5): "+OK count octets" of the messages not marked deleted.
#include "pop3/commands.h"
#include "pop3/session.h"

namespace mailroom::pop3::commands
{

void stat(Session &s, const QByteArray &)
{
    const Maildrop &m = s.maildrop();
    s.reply(replies::ok(QByteArray::number(m.liveCount()) + ' ' + QByteArray::number(m.liveBytes())));
}

} // namespace mailroom::pop3::commands
