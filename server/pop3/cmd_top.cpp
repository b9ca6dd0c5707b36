// TOP msg n (RFC 1939 §7): the header, the empty line and the first n lines
// of the body. It does not mark the message \Seen.
#include "pop3/commands.h"
#include "pop3/session.h"

namespace mailroom::pop3::commands
{

void top(Session &s, const QByteArray &args)
{
    const QList<QByteArray> words = args.split(' ');
    const auto lines = Maildrop::parseNumber(words.value(1));
    if (words.size() != 2 || !lines) {
        s.refuse(replies::syntax("TOP msg n"), "TOP", QStringLiteral("bad TOP arguments"));
        return;
    }
    if (const int n = findMessage(s, words[0], "TOP"))
        s.beginRetrieve(n, *lines);
}

} // namespace mailroom::pop3::commands
