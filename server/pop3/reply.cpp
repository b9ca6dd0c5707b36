#include "pop3/reply.h"

namespace mailroom::pop3
{

QByteArray Reply::format() const
{
    QByteArray out = ok ? QByteArrayLiteral("+OK") : QByteArrayLiteral("-ERR");
    if (!code.isEmpty())
        out += " [" + code + ']';
    if (!text.isEmpty())
        out += ' ' + text;
    out += "\r\n";
    return out;
}

QByteArray formatBody(const QByteArrayList &lines)
{
    QByteArray out;
    for (const QByteArray &line : lines) {
        if (line.startsWith('.'))
            out += '.'; // RFC 1939 §3: byte-stuff the termination octet
        out += line + "\r\n";
    }
    out += ".\r\n";
    return out;
}

namespace replies
{
Reply ok(const QByteArray &text)
{
    return { true, {}, text };
}
Reply unknownCommand()
{
    return { false, {}, "Unknown command" };
}
Reply wrongState()
{
    return { false, {}, "Command not valid in this state" };
}
Reply syntax(const QByteArray &usage)
{
    return { false, {}, "Syntax: " + usage };
}
Reply noSuchMessage()
{
    return { false, {}, "No such message" };
}
Reply alreadyDeleted()
{
    return { false, {}, "Message already deleted" };
}
Reply lineTooLong()
{
    return { false, {}, "Line too long" };
}
Reply tooManyErrors()
{
    return { false, {}, "Too many errors, closing connection" };
}
Reply timeout()
{
    return { false, {}, "Autologout timer expired, closing connection" };
}
Reply tlsRequired()
{
    return { false, "AUTH", "Plaintext authentication is not allowed before STLS" };
}
Reply authFailed()
{
    return { false, "AUTH", "Authentication failed" };
}
Reply throttled()
{
    return { false, "SYS/TEMP", "Too many failed logins, try again later" };
}
Reply tempFailure(const QByteArray &what)
{
    return { false, "SYS/TEMP", what };
}
} // namespace replies

} // namespace mailroom::pop3
