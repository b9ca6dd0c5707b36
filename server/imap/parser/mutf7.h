// Mailbox names on the wire: modified UTF-7 for IMAP4rev1 clients (RFC 3501
// §5.1.3) and UTF-8 after ENABLE UTF8=ACCEPT or IMAP4rev2 (RFC 9051 §5.1).
// Trust level: parses input from the Internet; invalid encodings are refused.
#pragma once

#include <QByteArray>
#include <QString>

namespace mailroom::imap
{

QByteArray encodeMutf7(const QString &name);
// False for malformed modified UTF-7 (bad base64, unterminated shift,
// "&" encodings of printable ASCII, odd UTF-16).
bool decodeMutf7(const QByteArray &wire, QString *out);

} // namespace mailroom::imap
