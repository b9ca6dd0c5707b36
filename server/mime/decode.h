// Content-Transfer-Encoding decoders and body text conversion.
// RFC 2045 §6.7 (quoted-printable), §6.8 (base64), RFC 2047 §4.2 (Q encoding).
// Trust level: parses input from the Internet; lenient, never fails.
#pragma once

#include <QByteArray>
#include <QString>

namespace mailroom::mime
{

// Base64, lenient: whitespace and characters outside the alphabet are
// skipped, decoding stops at the first '='. A dangling 6-bit group is dropped.
QByteArray decodeBase64(const QByteArray &in);

// Quoted-printable with soft line breaks ("=" CRLF, also "=" LF and "=" WSP* CRLF).
// A bad escape is kept literally. Trailing WSP before a line end is removed
// (§6.7 rule 3). With qEncoding (RFC 2047 "Q"), "_" decodes to a space.
QByteArray decodeQuotedPrintable(const QByteArray &in, bool qEncoding = false);

// Decodes a part body by its Content-Transfer-Encoding (case-insensitive):
// base64 and quoted-printable are decoded, anything else is returned as is.
QByteArray decodeTransfer(const QByteArray &body, const QByteArray &cte);

// Text of decoded body bytes in the given charset; an unknown or missing
// charset is read as UTF-8, falling back to Latin-1.
QString toText(const QByteArray &bytes, const QByteArray &charset);

} // namespace mailroom::mime
