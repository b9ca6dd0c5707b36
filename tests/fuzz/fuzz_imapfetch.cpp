// Fuzz target: a FETCH attribute list from the Internet, and a message
// written by an outsider, through the FETCH renderer: fetch-att and
// [section]<partial> parsing, section extraction, BINARY decoding, ENVELOPE
// and BODY/BODYSTRUCTURE. Input: the first line is the fetch-att text, the
// rest is the message. Built with libFuzzer under clang (-DMAILROOM_FUZZ=ON),
// and as a replay program over the seed corpus in every ctest run.
#include <cstddef>
#include <cstdint>

#include "imap/fetch/bodystructure.h"
#include "imap/fetch/envelope.h"
#include "imap/fetch/fetchspec.h"
#include "mime/part.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace mailroom;
    const QByteArray in(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype lf = in.indexOf('\n');
    const QByteArray att = lf < 0 ? in : in.left(lf);
    const QByteArray msg = lf < 0 ? QByteArray() : in.mid(lf + 1);

    imap::FetchSpec spec;
    QByteArray error;
    if (!imap::parseFetchAtt(att, &spec, &error) && error.isEmpty())
        __builtin_trap(); // a rejection always says why
    imap::Section section;
    if (!imap::parseSection(att, &section, &error) && error.isEmpty())
        __builtin_trap();

    const mime::Part root = mime::parseMessage(msg);
    for (const imap::BodyItem &item : spec.items) {
        bool unknownCte = false;
        const QByteArray piece = imap::renderBodyItem(item, msg, root, &unknownCte);
        if (!unknownCte && !piece.startsWith(item.responseName()))
            __builtin_trap();
        // Everything the section can name lies inside the message, plus
        // the blank line HEADER.FIELDS adds after each field at most.
        if (!item.isBinary() && imap::extractSection(msg, root, item.section).size() > msg.size() * 2 + 2)
            __builtin_trap();
    }
    imap::renderBodyStructure(root, msg, true);
    imap::renderBodyStructure(root, msg, false, true);
    imap::renderEnvelope(mime::Envelope::fromHeaders(root.headers), size % 2 == 0);
    return 0;
}
