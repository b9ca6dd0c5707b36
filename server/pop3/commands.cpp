#include "pop3/commands.h"

#include "pop3/session.h"

namespace mailroom::pop3::commands
{

namespace
{
// clang-format off
const Spec kCommands[] = {
    { "USER", user,         Authorization | Credentials },
    { "PASS", pass,         Authorization | Credentials },
    { "AUTH", authenticate, Authorization | Credentials },
    { "CAPA", capa,         Authorization | Transaction | NoArgs },
    { "STLS", stls,         Authorization | NoArgs },
    { "QUIT", quit,         Authorization | Transaction | NoArgs },
    { "STAT", stat,         Transaction | NoArgs },
    { "LIST", list,         Transaction },
    { "UIDL", uidl,         Transaction },
    { "RETR", retr,         Transaction },
    { "TOP",  top,          Transaction },
    { "DELE", dele,         Transaction },
    { "RSET", rset,         Transaction | NoArgs },
    { "NOOP", noop,         Transaction | NoArgs },
};
// clang-format on

// For the log only: printable ASCII, bounded.
QByteArray printable(const QByteArray &keyword)
{
    QByteArray out = keyword.left(20);
    for (char &c : out)
        if (c < 0x21 || c > 0x7e)
            c = '?';
    return out;
}
} // namespace

void dispatch(Session &s, const QByteArray &line)
{
    // RFC 1939 §3: a case-insensitive keyword, then arguments after one space.
    const qsizetype space = line.indexOf(' ');
    const QByteArray keyword = (space < 0 ? line : line.left(space)).toUpper();
    const QByteArray args = space < 0 ? QByteArray() : line.mid(space + 1);
    const Spec *spec = nullptr;
    for (const Spec &candidate : kCommands)
        if (keyword == candidate.keyword)
            spec = &candidate;
    if (!spec) {
        s.refuse(replies::unknownCommand(), printable(keyword), QStringLiteral("unknown command"));
        return;
    }
    const unsigned state = s.inTransaction() ? Transaction : Authorization;
    if (!(spec->flags & state)) {
        s.refuse(replies::wrongState(), spec->keyword,
            s.inTransaction() ? QStringLiteral("already logged in") : QStringLiteral("not logged in"));
        return;
    }
    if ((spec->flags & NoArgs) && !args.isEmpty()) {
        s.refuse(replies::syntax(QByteArray(spec->keyword) + " takes no arguments"), spec->keyword,
            QStringLiteral("arguments"));
        return;
    }
    if ((spec->flags & Credentials) && !s.plaintextAuthAllowed()) {
        s.refuse(replies::tlsRequired(), spec->keyword, QStringLiteral("login before STLS"));
        return;
    }
    spec->handler(s, args);
}

int findMessage(Session &s, const QByteArray &arg, const char *keyword)
{
    int number = 0;
    switch (s.maildrop().find(arg, &number)) {
    case Maildrop::Lookup::Found:
        return number;
    case Maildrop::Lookup::Deleted:
        s.refuse(replies::alreadyDeleted(), keyword, QStringLiteral("message marked deleted"));
        return 0;
    case Maildrop::Lookup::NoSuch:
        break;
    }
    s.refuse(replies::noSuchMessage(), keyword, QStringLiteral("no such message number"));
    return 0;
}

} // namespace mailroom::pop3::commands
