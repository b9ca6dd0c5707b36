// Fuzz target: bytes from an admin client, through the frame decoder, the
// request checks and the schema's parameter validation (the engine's path up
// to a handler). Built with libFuzzer under clang (-DMAILROOM_FUZZ=ON), and
// as a replay program over the seed corpus in every ctest run.
#include <cstddef>
#include <cstdint>

#include "adminproto/framecodec.h"
#include "adminproto/protocol.h"
#include "adminproto/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace mailroom::adminproto;
    // Split the input in two reads to exercise frames across reads.
    const QByteArray all(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype cut = size > 0 ? qsizetype(data[0]) % (all.size() + 1) : 0;
    FrameDecoder decoder(64 * 1024);
    QList<QJsonObject> frames;
    decoder.feed(all.left(cut), &frames);
    decoder.feed(all.mid(cut), &frames);
    if (decoder.buffered() > 64 * 1024 + 4)
        __builtin_trap(); // the bound must hold whatever comes in
    for (const QJsonObject &f : std::as_const(frames)) {
        Request r;
        ErrorInfo e;
        if (!parseRequest(f, &r, &e))
            continue;
        if (const MethodDef *m = Schema::instance().method(r.method)) {
            QString why;
            Schema::instance().validate(*m, r.params, &why);
            Schema::masked(*m, r.params);
        }
    }
    return 0;
}
