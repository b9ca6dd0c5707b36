// LIST [msg] (RFC 1939 §5): one scan listing, or all of them as a
// multi-line answer; messages marked deleted are left out.
#include "pop3/commands.h"
#include "pop3/session.h"

namespace mailroom::pop3::commands
{

void list(Session &s, const QByteArray &args)
{
    const Maildrop &m = s.maildrop();
    if (!args.isEmpty()) {
        if (const int n = findMessage(s, args, "LIST"))
            s.reply(replies::ok(QByteArray::number(n) + ' ' + QByteArray::number(m.at(n).size)));
        return;
    }
    QByteArrayList lines;
    for (int n = 1; n <= m.count(); ++n)
        if (!m.at(n).deleted)
            lines << QByteArray::number(n) + ' ' + QByteArray::number(m.at(n).size);
    s.reply(replies::ok(
        QByteArray::number(m.liveCount()) + " messages (" + QByteArray::number(m.liveBytes()) + " octets)"));
    s.replyRaw(formatBody(lines));
}

} // namespace mailroom::pop3::commands
