// Fuzz target: bytes from the Internet through the MIME parsers the SMTP,
// IMAP and spam code use: the MIME tree (with envelopes), address lists,
// RFC 2047 text, Content-Type, transfer decoders and text extraction. Built
// with libFuzzer under clang (-DMAILROOM_FUZZ=ON), and as a replay program
// over the seed corpus in every ctest run.
#include <cstddef>
#include <cstdint>

#include "mime/address.h"
#include "mime/contenttype.h"
#include "mime/decode.h"
#include "mime/encodedword.h"
#include "mime/envelope.h"
#include "mime/part.h"
#include "mime/plaintext.h"

namespace
{

void walk(const QByteArray &msg, const mailroom::mime::Part &p, int depth)
{
    using namespace mailroom::mime;
    // The bounds must hold whatever comes in.
    if (depth > kHardMaxDepth || p.bodyStart < p.headerStart || p.end < p.bodyStart || p.end > msg.size())
        __builtin_trap();
    const QByteArray body = p.body(msg).left(64 * 1024);
    toText(decodeTransfer(body, p.transferEncoding), p.contentType.param("charset"));
    for (const Part &c : p.children) {
        if (c.headerStart < p.bodyStart || c.end > p.end)
            __builtin_trap();
        walk(msg, c, depth + 1);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace mailroom::mime;
    const QByteArray in(reinterpret_cast<const char *>(data), qsizetype(size));
    const Part root = parseMessage(in);
    walk(in, root, 0);
    const Envelope env = Envelope::fromHeaders(root.headers);
    fromDisplay(root.headers);
    decodedSubject(root.headers);
    if (mailboxes(parseAddressList(in)).size() > kMaxAddresses)
        __builtin_trap();
    for (const Mailbox &m : mailboxes(env.to))
        m.addrSpec();
    decodeUnstructured(in);
    parseContentType(in);
    parseContentDisposition(in);
    decodeBase64(in);
    decodeQuotedPrintable(in, size % 2 == 0);
    if (plainText(in, 4096).size() > 4096)
        __builtin_trap();
    return 0;
}
