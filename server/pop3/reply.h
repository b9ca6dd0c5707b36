// Reply: every POP3 status line is built here (STYLE rule 3): "+OK text" or
// "-ERR [CODE] text" with the response codes of RFC 2449 §8 and RFC 3206
// ([AUTH], [SYS/TEMP], [SYS/PERM]). The text tells a client what it needs
// and nothing of our configuration; the detail goes to the log. Multi-line
// bodies (RFC 1939 §3) are dot-stuffed and terminated here too.
// Trust level: talks to the Internet.
#pragma once

#include <QByteArray>
#include <QByteArrayList>

namespace mailroom::pop3
{

struct Reply {
    bool ok = true;
    QByteArray code; // RFC 2449 response code without brackets ("AUTH", "SYS/TEMP"); empty for none
    QByteArray text;

    QByteArray format() const; // "+OK text\r\n", "-ERR [SYS/TEMP] text\r\n"
};

// A multi-line body: each line dot-stuffed, then the ".\r\n" terminator.
QByteArray formatBody(const QByteArrayList &lines);

namespace replies
{
Reply ok(const QByteArray &text = "OK");
Reply unknownCommand(); // -ERR Unknown command
Reply wrongState(); // -ERR Command not valid in this state
Reply syntax(const QByteArray &usage); // -ERR Syntax: <usage>
Reply noSuchMessage(); // -ERR No such message
Reply alreadyDeleted(); // -ERR Message already deleted
Reply lineTooLong(); // -ERR Line too long
Reply tooManyErrors(); // -ERR Too many errors, closing connection
Reply timeout(); // -ERR Autologout timer expired
Reply tlsRequired(); // -ERR [AUTH] Plaintext authentication is not allowed before STLS
Reply authFailed(); // -ERR [AUTH] Authentication failed
Reply throttled(); // -ERR [SYS/TEMP] Too many failed logins, try again later
Reply tempFailure(const QByteArray &what); // -ERR [SYS/TEMP] <what>
} // namespace replies

} // namespace mailroom::pop3
