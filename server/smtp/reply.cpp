#include "smtp/reply.h"

namespace mailroom::smtp
{

QByteArray Reply::format(bool enhancedCodes) const
{
    QByteArray out = QByteArray::number(code) + ' ';
    if (enhancedCodes && !enhanced.isEmpty())
        out += enhanced + ' ';
    out += text + "\r\n";
    return out;
}

QByteArray formatMultiline(int code, const QByteArrayList &lines)
{
    QByteArray out;
    const QByteArray c = QByteArray::number(code);
    for (qsizetype i = 0; i < lines.size(); ++i)
        out += c + (i + 1 < lines.size() ? '-' : ' ') + lines[i] + "\r\n";
    return out;
}

namespace replies
{
Reply ok()
{
    return { 250, "2.0.0", "OK" };
}
Reply syntax(const QByteArray &what)
{
    return { 501, "5.5.4", "Syntax error in " + what };
}
Reply badSequence(const QByteArray &what)
{
    return { 503, "5.5.1", "Bad sequence of commands: " + what };
}
Reply unknownCommand()
{
    return { 500, "5.5.2", "Command not recognized" };
}
Reply lineTooLong()
{
    return { 500, "5.5.2", "Line too long" };
}
Reply tempFailure()
{
    return { 451, "4.3.0", "Temporary failure, please try again later" };
}
Reply tooManyErrors()
{
    return { 421, "4.7.0", "Too many errors, closing connection" };
}
Reply timeout()
{
    return { 421, "4.4.2", "Timeout exceeded, closing connection" };
}
Reply authRequired()
{
    return { 530, "5.7.0", "Authentication required" };
}
Reply encryptionRequired()
{
    return { 530, "5.7.0", "Must issue a STARTTLS command first" };
}
Reply relayDenied()
{
    return { 554, "5.7.1", "Relay access denied" };
}
Reply noSuchUser()
{
    return { 550, "5.1.1", "Recipient address rejected: no such user here" };
}
} // namespace replies

} // namespace mailroom::smtp
