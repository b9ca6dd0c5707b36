// libFuzzer target for the IMAP command reader (server/imap/parser): the
// input is split into two feeds at its first byte's value, so framing across
// reads is exercised too; every event is drained and every argument tree
// walked. Small limits make the bounds paths reachable.
#include <cstddef>
#include <cstdint>

#include "imap/parser/parser.h"
#include "imap/parser/sequenceset.h"

using namespace mailroom::imap;

namespace
{
qsizetype walk(const Args &args, int depth)
{
    qsizetype n = 0;
    for (const Arg &a : args) {
        n += a.text.size();
        SequenceSet s;
        if (a.isAtom() && SequenceSet::parse(a.text, &s))
            n += s.filter({ 1, 2, 3, 100, 4294967295LL }, 4294967295LL).size();
        if (depth < 64)
            n += walk(a.children, depth + 1);
    }
    return n;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    ReaderLimits limits;
    limits.lineBytes = 512;
    limits.literalBytes = 1024;
    limits.commandBytes = 4096;
    limits.maxDepth = 8;
    limits.maxArgs = 200;
    CommandReader reader(limits);
    const QByteArray all(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    const qsizetype split = qsizetype(data[0]) % (all.size() + 1);
    for (const QByteArray &part : { all.left(split), all.mid(split) }) {
        reader.feed(part);
        for (int guard = 0; guard < 10000; ++guard) {
            const auto e = reader.next();
            if (e == CommandReader::Event::None)
                break;
            if (e == CommandReader::Event::Command)
                walk(reader.command().args, 0);
        }
    }
    return 0;
}
