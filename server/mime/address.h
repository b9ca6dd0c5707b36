// Address lists of From, To, Cc, Reply-To, ... as mailboxes and groups.
// RFC 5322 §3.4 (address specification), §4.4 (obsolete addressing),
// RFC 2047 §5 (encoded words in display names), RFC 6532 (UTF-8).
// Trust level: parses input from the Internet; never fails.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace mailroom::mime
{

struct Mailbox {
    QString name; // display name, decoded (RFC 2047, UTF-8); empty if none
    QByteArray local; // local part, unquoted ("john q" for "\"john q\"@x")
    QByteArray domain; // as written, without comments or whitespace; empty if missing

    // "local@domain" with the local part quoted again when it is not a dot-atom;
    // just the local part when there is no domain.
    QByteArray addrSpec() const;
};

struct AddressGroup {
    QString name; // the group's display name (only for groups)
    QList<Mailbox> members; // one mailbox when !isGroup
    bool isGroup = false;
};

// Parses an unfolded address-list header value. Never fails: returns what it
// could parse, skipping junk up to the next ",". At most kMaxAddresses mailboxes
// and groups together.
QList<AddressGroup> parseAddressList(const QByteArray &value);

// All mailboxes of a list, groups flattened.
QList<Mailbox> mailboxes(const QList<AddressGroup> &list);

} // namespace mailroom::mime
