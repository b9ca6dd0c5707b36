// UIDL [msg] (RFC 1939 §7): unique ids "<uidvalidity>.<uid>" in hex (see
// Maildrop), the same in every session until the mailbox is recreated.
#include "pop3/commands.h"
#include "pop3/session.h"

namespace mailroom::pop3::commands
{

void uidl(Session &s, const QByteArray &args)
{
    const Maildrop &m = s.maildrop();
    if (!args.isEmpty()) {
        if (const int n = findMessage(s, args, "UIDL"))
            s.reply(replies::ok(QByteArray::number(n) + ' ' + m.uniqueId(n)));
        return;
    }
    QByteArrayList lines;
    for (int n = 1; n <= m.count(); ++n)
        if (!m.at(n).deleted)
            lines << QByteArray::number(n) + ' ' + m.uniqueId(n);
    s.reply(replies::ok("Unique-ID listing follows"));
    s.replyRaw(formatBody(lines));
}

} // namespace mailroom::pop3::commands
