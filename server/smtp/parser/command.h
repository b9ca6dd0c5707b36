// Pure parsers for SMTP command lines (no I/O, no state): the verb and its
// arguments, MAIL/RCPT paths with ESMTP parameters, and xtext.
// RFC 5321 §4.1.1 and §4.1.2:
//   Reverse-path = Path / "<>"          Forward-path = Path
//   Path         = "<" [ A-d-l ":" ] Mailbox ">"
//   Mailbox      = Local-part "@" ( Domain / address-literal )
//   Local-part   = Dot-string / Quoted-string
//   Mail-parameters = esmtp-param *(SP esmtp-param)
//   esmtp-param  = esmtp-keyword ["=" esmtp-value]
// RFC 6531 §3.3 (UTF-8 in mailboxes), RFC 3461 §4 (xtext).
// Trust level: parses input from the Internet; every length is bounded by
// the caller's line limit and checked again here.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace mailroom::smtp
{

struct CommandLine {
    QByteArray verb; // upper case
    QByteArray args; // the rest, leading spaces removed
};

CommandLine splitCommand(const QByteArray &line);

struct EsmtpParam {
    QByteArray keyword; // upper case
    QByteArray value;
    bool hasValue = false;
};

struct ParsedPath {
    bool ok = false;
    QByteArray problem; // for the reply text: "sender address", "recipient address" ...
    bool isNull = false; // "<>"
    QString local; // as given (case kept), unquoted for a quoted local part
    QString domain; // lower case; "[192.0.2.1]" for an address literal
    bool quotedLocal = false;
    bool addressLiteral = false;
    bool utf8 = false; // non-ASCII anywhere in the mailbox
    QList<EsmtpParam> params;

    QString mailbox() const
    {
        return isNull ? QString() : local + u'@' + domain;
    }
};

// prefix is "FROM:" or "TO:" (case-insensitive, spaces after the colon
// tolerated). A source route is accepted and dropped (RFC 5321 §4.1.2).
ParsedPath parsePath(const QByteArray &args, const QByteArray &prefix, bool allowNull);

// RFC 3461 §4: "+" HEXCHAR HEXCHAR; nullopt-like empty + ok=false on bad input.
QByteArray decodeXtext(const QByteArray &text, bool *ok);
QByteArray encodeXtext(const QByteArray &text);

} // namespace mailroom::smtp
