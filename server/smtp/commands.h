// The SMTP command table (STYLE rule 1, Postfix smtpd_cmd_table): each verb
// with the function that runs it and the flags that carry its state rules.
// One function per command, each in its own cmd_*.cpp. Trust level: talks
// to the Internet.
#pragma once

#include <QByteArray>

namespace mailroom::smtp
{

class Session;

namespace commands
{

enum Flag : unsigned {
    BeforeHelo = 1, // allowed before HELO/EHLO
    EndsGroup = 2, // RFC 2920 §3.1: ends a pipelined group
    Junk = 4, // counted toward smtp.max_junk_commands
    InTransaction = 8, // allowed between MAIL and the end of DATA/BDAT
};

using Handler = void (*)(Session &, const QByteArray &args);

struct Spec {
    const char *verb;
    Handler handler;
    unsigned flags;
};

void dispatch(Session &s, const QByteArray &line);
// Called when a BDAT chunk has been read completely.
void bdatChunkDone(Session &s, bool last);

void helo(Session &, const QByteArray &);
void ehlo(Session &, const QByteArray &);
void mail(Session &, const QByteArray &);
void rcpt(Session &, const QByteArray &);
void data(Session &, const QByteArray &);
void bdat(Session &, const QByteArray &);
void rset(Session &, const QByteArray &);
void noop(Session &, const QByteArray &);
void quit(Session &, const QByteArray &);
void help(Session &, const QByteArray &);
void vrfy(Session &, const QByteArray &);
void starttls(Session &, const QByteArray &);
void authenticate(Session &, const QByteArray &);

} // namespace commands
} // namespace mailroom::smtp
