// The MIME tree of a message: each part's byte range, parsed headers and the
// fields IMAP BODYSTRUCTURE needs (DESIGN §3 caches it).
// RFC 2045 (headers), RFC 2046 §5.1 (multipart), §5.2.1 (message/rfc822),
// RFC 2183 (disposition), RFC 3501 §7.4.2 (BODYSTRUCTURE fields).
// Trust level: parses input from the Internet; depth and part count bounded.
#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QMap>

#include "mime/contenttype.h"
#include "mime/envelope.h"
#include "mime/headers.h"
#include "mime/limits.h"

namespace mailroom::mime
{

struct Part {
    // Byte offsets in the whole message. The body is [bodyStart, end); for a
    // part inside a multipart, end excludes the line break before the next
    // boundary (RFC 2046 §5.1.1: it belongs to the boundary).
    qsizetype headerStart = 0;
    qsizetype bodyStart = 0;
    qsizetype end = 0;
    HeaderBlock headers;
    ContentType contentType; // text/plain when absent; message/rfc822 in multipart/digest
    QByteArray transferEncoding; // lower case, trimmed; "7bit" when absent
    QByteArray disposition; // lower case; empty when absent
    Params dispositionParams;
    QByteArray contentId; // raw header values, trimmed; empty when absent
    QByteArray description;
    QByteArray language;
    QByteArray location;
    QByteArray md5;
    qsizetype bodyLines = 0; // lines in the body (a last line without a line end counts)
    // multipart/*: one child per body part (none when no boundary was found).
    // message/rfc822 and message/global: one child, the embedded message,
    // whose envelope is in embeddedEnvelope.
    QList<Part> children;
    std::optional<Envelope> embeddedEnvelope;
    bool truncated = false; // children were left out: maxDepth or maxParts was reached here

    qsizetype bodySize() const
    {
        return end - bodyStart;
    }
    QByteArray body(const QByteArray &msg) const
    {
        return msg.mid(bodyStart, end - bodyStart);
    }
};

// Parses the message into its MIME tree. Below maxDepth levels, parts are kept
// as leaves; after maxParts parts (the root included), further parts are left
// out and their bytes stay in the parent's body. maxDepth is clamped to
// kHardMaxDepth.
Part parseMessage(const QByteArray &msg, int maxDepth = kDefaultMaxDepth, int maxParts = kDefaultMaxParts);

} // namespace mailroom::mime
