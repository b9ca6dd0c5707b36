// The FETCH ENVELOPE structure from a parsed mime::Envelope.
// RFC 9051 §7.5.2 / RFC 3501 §7.4.2 (ENVELOPE), §9 (envelope, address ABNF).
// Trust level: internal; the header values were written by outsiders and
// are escaped or sent as literals by format.h.
#pragma once

#include <QByteArray>

#include "mime/envelope.h"

namespace mailroom::imap
{

// "(date subject from sender reply-to to cc bcc in-reply-to message-id)",
// with the parentheses. utf8Ok: the client enabled UTF8=ACCEPT (RFC 6855).
QByteArray renderEnvelope(const mime::Envelope &envelope, bool utf8Ok = false);

// env-from etc.: "((name adl mailbox host) ...)" or NIL for an empty list.
QByteArray renderAddressList(const QList<mime::AddressGroup> &list, bool utf8Ok = false);

} // namespace mailroom::imap
