// MIME tree parser. Recursion is bounded by maxDepth (clamped to
// kHardMaxDepth) and the number of parts by maxParts; each level scans its
// own body once, so the work is at most depth x message size.
// RFC 2045 §5-§6, RFC 2046 §5.1.1 (boundaries), §5.1.5 (digest), §5.2.1.
// Trust level: parses input from the Internet.
#include "mime/part.h"

#include <algorithm>
#include <cstring>

namespace mailroom::mime
{

namespace
{

constexpr qsizetype kMaxBoundary = 256; // RFC 2046 §5.1.1 allows 70; longer ones are junk

struct Context {
    const QByteArray &msg;
    int maxDepth;
    int maxParts;
    int parts;
};

qsizetype countLines(const QByteArray &msg, qsizetype start, qsizetype end)
{
    if (end <= start)
        return 0;
    const char *b = msg.constData() + start;
    const char *e = msg.constData() + end;
    const qsizetype lfs = std::count(b, e, '\n');
    return lfs + (e[-1] == '\n' ? 0 : 1);
}

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

void parsePart(Context &ctx, Part &p, qsizetype start, qsizetype end, int depth, bool inDigest);

void fillFields(Part &p, bool inDigest)
{
    const QByteArray ct = p.headers.value("Content-Type");
    if (ct.isNull() && inDigest) {
        p.contentType.type = QByteArrayLiteral("message");
        p.contentType.subtype = QByteArrayLiteral("rfc822");
    } else {
        p.contentType = parseContentType(ct);
    }
    p.transferEncoding = p.headers.value("Content-Transfer-Encoding").trimmed().toLower();
    if (p.transferEncoding.isEmpty())
        p.transferEncoding = QByteArrayLiteral("7bit");
    const ContentDisposition cd = parseContentDisposition(p.headers.value("Content-Disposition"));
    p.disposition = cd.type;
    p.dispositionParams = cd.params;
    p.contentId = p.headers.value("Content-ID").trimmed();
    p.description = p.headers.value("Content-Description").trimmed();
    p.language = p.headers.value("Content-Language").trimmed();
    p.location = p.headers.value("Content-Location").trimmed();
    p.md5 = p.headers.value("Content-MD5").trimmed();
}

bool addChild(Context &ctx, Part &parent, qsizetype start, qsizetype end, int depth, bool inDigest)
{
    if (ctx.parts >= ctx.maxParts) {
        parent.truncated = true;
        return false;
    }
    ++ctx.parts;
    Part child;
    parsePart(ctx, child, start, end, depth + 1, inDigest);
    parent.children.append(std::move(child));
    return true;
}

/*
 * RFC 2046 §5.1.1:
 *   multipart-body := [preamble CRLF] dash-boundary transport-padding CRLF
 *                     body-part *encapsulation close-delimiter transport-padding [CRLF epilogue]
 *   dash-boundary  := "--" boundary
 *   encapsulation  := delimiter transport-padding CRLF body-part
 *   delimiter      := CRLF dash-boundary
 *   close-delimiter := delimiter "--"
 * A boundary line must be "--boundary" plus only whitespace; a close line is
 * "--boundary--" plus anything (lenient). Without a close line the last part
 * runs to the parent's end.
 */
void splitMultipart(Context &ctx, Part &p, int depth)
{
    const QByteArray boundary = p.contentType.param("boundary");
    if (boundary.isEmpty() || boundary.size() > kMaxBoundary)
        return;
    const QByteArray delim = "--" + boundary;
    const bool digest = p.contentType.subtype == "digest";
    const char *data = ctx.msg.constData();
    qsizetype partStart = -1;
    qsizetype pos = p.bodyStart;
    while (pos < p.end) {
        const void *lf = std::memchr(data + pos, '\n', size_t(p.end - pos));
        const qsizetype next = lf ? static_cast<const char *>(lf) - data + 1 : p.end;
        qsizetype contentEnd = lf ? next - 1 : p.end;
        if (contentEnd > pos && data[contentEnd - 1] == '\r')
            --contentEnd;
        if (contentEnd - pos >= delim.size() && std::memcmp(data + pos, delim.constData(), size_t(delim.size())) == 0) {
            qsizetype after = pos + delim.size();
            const bool close = contentEnd - after >= 2 && data[after] == '-' && data[after + 1] == '-';
            while (!close && after < contentEnd && isWsp(data[after]))
                ++after;
            if (close || after == contentEnd) {
                // The line break before the boundary belongs to the boundary.
                qsizetype bodyEnd = pos;
                if (bodyEnd > p.bodyStart && data[bodyEnd - 1] == '\n') {
                    --bodyEnd;
                    if (bodyEnd > p.bodyStart && data[bodyEnd - 1] == '\r')
                        --bodyEnd;
                }
                if (partStart >= 0 && !addChild(ctx, p, partStart, qMax(bodyEnd, partStart), depth, digest))
                    return;
                if (close)
                    return;
                partStart = next;
            }
        }
        pos = next;
    }
    if (partStart >= 0)
        addChild(ctx, p, qMin(partStart, p.end), p.end, depth, digest);
}

void parsePart(Context &ctx, Part &p, qsizetype start, qsizetype end, int depth, bool inDigest)
{
    p.headerStart = start;
    p.end = end;
    p.headers = HeaderBlock::parse(ctx.msg, start, end, &p.bodyStart);
    fillFields(p, inDigest);
    p.bodyLines = countLines(ctx.msg, p.bodyStart, p.end);
    const bool multipart = p.contentType.type == "multipart";
    // RFC 2046 §5.2.1: message/rfc822 is never encoded with base64 or
    // quoted-printable; one that is, is kept as a leaf.
    const bool embedded = p.contentType.type == "message"
        && (p.contentType.subtype == "rfc822" || p.contentType.subtype == "global")
        && (p.transferEncoding == "7bit" || p.transferEncoding == "8bit" || p.transferEncoding == "binary");
    if (!multipart && !embedded)
        return;
    if (depth >= ctx.maxDepth) {
        p.truncated = true;
        return;
    }
    if (multipart) {
        splitMultipart(ctx, p, depth);
        return;
    }
    if (addChild(ctx, p, p.bodyStart, p.end, depth, false))
        p.embeddedEnvelope = Envelope::fromHeaders(p.children.first().headers);
}

} // namespace

Part parseMessage(const QByteArray &msg, int maxDepth, int maxParts)
{
    Context ctx { msg, qBound(0, maxDepth, kHardMaxDepth), qMax(1, maxParts), 1 };
    Part root;
    parsePart(ctx, root, 0, msg.size(), 0, false);
    return root;
}

} // namespace mailroom::mime
