// BODY and BODYSTRUCTURE for FETCH, from the cached MIME tree.
// RFC 9051 §7.5.2 (BODY, BODYSTRUCTURE), §9 (body ABNF); RFC 3501 §7.4.2.
// Output follows what Dovecot sends (lower-case types as mime keeps them,
// ("charset" "us-ascii") for text parts without a charset, all four
// extension fields). Trust level: internal; the header values were written
// by outsiders and are escaped or sent as literals by format.h.
#pragma once

#include <QByteArray>

#include "mime/part.h"

namespace mailroom::imap
{

// The parenthesised body structure of root, e.g. ("text" "plain" (...) ...).
// extensible: BODYSTRUCTURE (with extension data) rather than BODY. msg is the
// message the tree was parsed from (kept for future use: sizes come from the
// tree). utf8Ok: the client enabled UTF8=ACCEPT (RFC 6855).
QByteArray renderBodyStructure(const mime::Part &root, const QByteArray &msg, bool extensible, bool utf8Ok = false);

} // namespace mailroom::imap
