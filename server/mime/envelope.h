// The IMAP ENVELOPE of a message (cached by the store, DESIGN §3) and short
// display helpers for lists and logs.
// RFC 3501 §7.4.2 (ENVELOPE), RFC 5322 §3.6 (originator, destination,
// identification fields).
// Trust level: parses input from the Internet; never fails.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include "mime/address.h"
#include "mime/headers.h"

namespace mailroom::mime
{

struct Envelope {
    QByteArray date; // raw header values (IMAP sends them as written); null if absent
    QByteArray subject;
    QByteArray messageId;
    QByteArray inReplyTo;
    QList<AddressGroup> from;
    QList<AddressGroup> sender; // = from when absent or empty (RFC 3501 §7.4.2)
    QList<AddressGroup> replyTo; // = from when absent or empty
    QList<AddressGroup> to;
    QList<AddressGroup> cc;
    QList<AddressGroup> bcc;

    static Envelope fromHeaders(const HeaderBlock &headers);
};

// The Subject, RFC 2047 decoded, whitespace simplified.
QString decodedSubject(const HeaderBlock &headers);

// "Name <local@domain>", or "local@domain" when there is no name.
QString formatMailbox(const Mailbox &mailbox);

// A short form of the first From mailbox for message lists: "Name <addr>".
// Falls back to the raw (decoded) From text when no mailbox could be parsed.
QString fromDisplay(const HeaderBlock &headers);

} // namespace mailroom::mime
