// Fuzz target: bytes from the Internet through the spam filter's tokenizer
// (server/spam/tokenizer), which decodes every text part, turns HTML into
// text and picks out link hosts. The bounds must hold whatever comes in, and
// the hashes Bayes counts must be those of the texts the "why" view shows.
// Built with libFuzzer under clang (-DMAILROOM_FUZZ=ON), and as a replay
// program over the seed corpus in every ctest run.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "spam/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace mailroom::spam;
    const QByteArray in(reinterpret_cast<const char *>(data), qsizetype(size));
    TokenizerLimits limits;
    limits.maxTokens = 300; // small, so the bound is reached often
    const std::vector<quint64> hashes = tokenize(in, limits);
    if (hashes.size() > size_t(limits.maxTokens) || !std::is_sorted(hashes.begin(), hashes.end())
        || std::adjacent_find(hashes.begin(), hashes.end()) != hashes.end())
        __builtin_trap();
    std::vector<quint64> fromTexts;
    for (const Token &t : tokenTexts(in, limits))
        fromTexts.push_back(t.hash);
    std::sort(fromTexts.begin(), fromTexts.end());
    if (fromTexts != hashes)
        __builtin_trap();
    return 0;
}
