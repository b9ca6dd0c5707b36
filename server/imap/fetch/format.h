// IMAP wire strings for FETCH responses: quoted strings, literals, NIL and
// atoms, chosen per value. RFC 9051 §4.3 (string), §4.5 (NIL), §9 (astring,
// ASTRING-CHAR, quoted-specials), RFC 6855 §3 (UTF8=ACCEPT allows UTF-8 in
// quoted strings). Trust level: internal; values come from messages written
// by outsiders, so every byte is either escaped or sent as a literal.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace mailroom::imap
{

// quoted = DQUOTE *QUOTED-CHAR DQUOTE, with "\" and DQUOTE escaped. The caller
// makes sure there is no CR, LF or NUL (string() does).
QByteArray quoted(QByteArrayView text);

// literal = "{" number "}" CRLF *CHAR8
QByteArray literal(QByteArrayView data);

// literal8 = "~{" number "}" CRLF *OCTET (RFC 3516 §4.2), for data with NUL.
QByteArray literal8(QByteArrayView data);

// string = quoted / literal: quoted when shorter than 1024 bytes and free of
// CR, LF, NUL and 8-bit bytes (with utf8Ok, valid UTF-8 may stay quoted),
// else a literal. A literal cannot carry NUL (CHAR8 = %x01-ff): NUL is sent
// as 0x80, as Dovecot does.
QByteArray string(QByteArrayView text, bool utf8Ok = false);

// nstring = string / nil: NIL for a null QByteArray.
QByteArray nstring(const QByteArray &text, bool utf8Ok = false);

// astring = 1*ASTRING-CHAR / string: a bare atom when every byte is an
// ASTRING-CHAR and the text is not empty and not "NIL", else string().
QByteArray astring(QByteArrayView text, bool utf8Ok = false);

// ASTRING-CHAR = ATOM-CHAR / resp-specials
bool isAStringChar(char c);

} // namespace mailroom::imap
