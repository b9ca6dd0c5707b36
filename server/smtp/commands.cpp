#include "smtp/commands.h"

#include <iterator>

#include "smtp/parser/command.h"
#include "smtp/session.h"

namespace mailroom::smtp::commands
{

namespace
{
// clang-format off
const Spec kCommands[] = {
    { "EHLO",     ehlo,         BeforeHelo | EndsGroup | Junk },
    { "HELO",     helo,         BeforeHelo | EndsGroup | Junk },
    { "MAIL",     mail,         0 },
    { "RCPT",     rcpt,         InTransaction },
    { "DATA",     data,         InTransaction | EndsGroup },
    { "BDAT",     bdat,         InTransaction },
    { "RSET",     rset,         BeforeHelo | InTransaction | Junk },
    { "NOOP",     noop,         BeforeHelo | InTransaction | EndsGroup | Junk },
    { "QUIT",     quit,         BeforeHelo | InTransaction | EndsGroup },
    { "HELP",     help,         BeforeHelo | EndsGroup | Junk },
    { "VRFY",     vrfy,         EndsGroup | Junk },
    { "STARTTLS", starttls,     EndsGroup },
    { "AUTH",     authenticate, EndsGroup },
};
// clang-format on

// Verbs of other protocols sent to our port: a browser or an HTTP proxy
// scanner. Postfix drops these connections at once.
bool isForeignProtocol(const QByteArray &verb)
{
    return verb == "GET" || verb == "POST" || verb == "CONNECT" || verb == "PUT" || verb == "HEAD"
        || verb.endsWith(':');
}
} // namespace

void dispatch(Session &s, const QByteArray &line)
{
    const CommandLine c = splitCommand(line);
    if (isForeignProtocol(c.verb)) {
        s.refuse(
            { 554, "5.7.0", "This is an SMTP server" }, c.verb.left(20), QStringLiteral("HTTP or foreign command"));
        s.close(QStringLiteral("foreign protocol"));
        return;
    }
    const Spec *spec = nullptr;
    for (const Spec &candidate : kCommands)
        if (c.verb == candidate.verb)
            spec = &candidate;
    if (!spec) {
        s.refuse(replies::unknownCommand(), c.verb.left(20), QStringLiteral("unknown command"));
        return;
    }
    if (!(spec->flags & BeforeHelo) && !s.saidHello()) {
        s.refuse(replies::badSequence("send HELO/EHLO first"), spec->verb, QStringLiteral("no HELO/EHLO yet"));
        return;
    }
    if (s.tx().active && !(spec->flags & InTransaction) && spec->handler != mail) {
        s.refuse(replies::badSequence("not inside a mail transaction; send RSET first"), spec->verb,
            QStringLiteral("command not allowed inside a transaction"));
        return;
    }
    if (spec->flags & Junk)
        s.countJunk();
    spec->handler(s, c.args);
}

} // namespace mailroom::smtp::commands
