// The POP3 command table (STYLE rule 1): each keyword with the function that
// runs it and the flags that carry its state rules (RFC 1939 §§3-6: which
// commands are valid in AUTHORIZATION and which in TRANSACTION; RFC 2595
// §4: no credentials before TLS unless plaintext is allowed). One function
// per command, each in its own cmd_*.cpp. Trust level: talks to the Internet.
#pragma once

#include <QByteArray>

namespace mailroom::pop3
{

class Session;

namespace commands
{

enum Flag : unsigned {
    Authorization = 1, // valid in the AUTHORIZATION state
    Transaction = 2, // valid in the TRANSACTION state
    NoArgs = 4, // takes no arguments
    Credentials = 8, // carries a login: refused with -ERR [AUTH] until TLS or auth.allow_plaintext
};

using Handler = void (*)(Session &, const QByteArray &args);

struct Spec {
    const char *keyword;
    Handler handler;
    unsigned flags;
};

void dispatch(Session &s, const QByteArray &line);
// A "msg" argument that names a message not marked deleted (RFC 1939 §5):
// its number, or 0 after refusing the command.
int findMessage(Session &s, const QByteArray &arg, const char *keyword);

void user(Session &, const QByteArray &);
void pass(Session &, const QByteArray &);
void authenticate(Session &, const QByteArray &);
void capa(Session &, const QByteArray &);
void stls(Session &, const QByteArray &);
void stat(Session &, const QByteArray &);
void list(Session &, const QByteArray &);
void uidl(Session &, const QByteArray &);
void retr(Session &, const QByteArray &);
void top(Session &, const QByteArray &);
void dele(Session &, const QByteArray &);
void rset(Session &, const QByteArray &);
void noop(Session &, const QByteArray &);
void quit(Session &, const QByteArray &);

} // namespace commands
} // namespace mailroom::pop3
