// Bounds of the MIME parsers (STYLE rule 4). Every number an outsider could
// push up is capped here, in one place, with the reason beside it.
// Trust level: internal constants for code that parses input from the Internet.
#pragma once

#include <QtGlobal>

namespace mailroom::mime
{

constexpr int kMaxHeaderFields = 1000; // fields kept per header block; more are counted, not stored
constexpr int kMaxAddresses = 5000; // mailboxes kept per address list
constexpr int kMaxCommentDepth = 64; // RFC 5322 comments nest; deeper ones are skipped as text
constexpr qsizetype kMaxEncodedWord = 1024; // RFC 2047 §2 says 75; real mail is longer, junk is not
constexpr int kMaxParams = 64; // parameters kept per Content-Type / Content-Disposition
constexpr int kMaxParamSections = 100; // RFC 2231 continuations name*0 .. name*99
constexpr qsizetype kMaxCharsetName = 64; // longer names are not charsets
constexpr int kDefaultMaxDepth = 20; // MIME nesting depth (multipart and message/rfc822)
constexpr int kHardMaxDepth = 100; // caller-supplied depths are clamped to this
constexpr int kDefaultMaxParts = 1000; // parts per message

} // namespace mailroom::mime
