// Sequence sets (RFC 9051 §9):
//   sequence-set = (seq-number / seq-range) ["," sequence-set]
//   seq-range    = seq-number ":" seq-number
//   seq-number   = nz-number / "*"
// Trust level: parses input from the Internet. Work is proportional to the
// number of ranges plus the candidates, never to the numbers' size.
#include "imap/parser/sequenceset.h"

#include <algorithm>

namespace mailroom::imap
{

namespace
{
constexpr qint64 kMaxNumber = 4294967295LL;

bool parseNumber(const QByteArray &t, qint64 *out)
{
    if (t == "*") {
        *out = 0;
        return true;
    }
    if (t.isEmpty() || t.size() > 10 || t[0] == '0')
        return false;
    qint64 n = 0;
    for (char c : t) {
        if (c < '0' || c > '9')
            return false;
        n = n * 10 + (c - '0');
    }
    if (n > kMaxNumber)
        return false;
    *out = n;
    return true;
}

// Resolved, ordered, merged ranges.
QList<SequenceSet::Range> normalized(const QList<SequenceSet::Range> &in, qint64 largest)
{
    QList<SequenceSet::Range> r;
    r.reserve(in.size());
    for (auto x : in) {
        qint64 a = x.first == 0 ? largest : x.first;
        qint64 b = x.last == 0 ? largest : x.last;
        if (a > b)
            std::swap(a, b);
        if (b < 1)
            continue;
        r.append({ std::max<qint64>(a, 1), b });
    }
    std::sort(r.begin(), r.end(), [](const auto &x, const auto &y) { return x.first < y.first; });
    QList<SequenceSet::Range> out;
    for (const auto &x : r) {
        if (!out.isEmpty() && x.first <= out.last().last + 1)
            out.last().last = std::max(out.last().last, x.last);
        else
            out.append(x);
    }
    return out;
}
} // namespace

bool SequenceSet::parse(const QByteArray &text, SequenceSet *out)
{
    SequenceSet s;
    if (text.isEmpty())
        return false;
    for (const QByteArray &part : text.split(',')) {
        const auto colon = part.indexOf(':');
        Range r {};
        if (colon < 0) {
            if (!parseNumber(part, &r.first))
                return false;
            r.last = r.first;
        } else if (!parseNumber(part.left(colon), &r.first) || !parseNumber(part.mid(colon + 1), &r.last)) {
            return false;
        }
        s.m_ranges.append(r);
    }
    *out = std::move(s);
    return true;
}

SequenceSet SequenceSet::fromList(QList<qint64> values)
{
    std::sort(values.begin(), values.end());
    SequenceSet s;
    for (qint64 v : values) {
        if (v < 1)
            continue;
        if (!s.m_ranges.isEmpty() && v <= s.m_ranges.last().last + 1)
            s.m_ranges.last().last = std::max(s.m_ranges.last().last, v);
        else
            s.m_ranges.append({ v, v });
    }
    return s;
}

bool SequenceSet::contains(qint64 value, qint64 largest) const
{
    for (auto x : m_ranges) {
        qint64 a = x.first == 0 ? largest : x.first;
        qint64 b = x.last == 0 ? largest : x.last;
        if (a > b)
            std::swap(a, b);
        if (value >= a && value <= b)
            return true;
    }
    return false;
}

QList<qint64> SequenceSet::filter(const QList<qint64> &sorted, qint64 largest) const
{
    const auto ranges = normalized(m_ranges, largest);
    QList<qint64> out;
    qsizetype i = 0;
    for (const auto &r : ranges) {
        auto it = std::lower_bound(sorted.begin() + i, sorted.end(), r.first);
        i = it - sorted.begin();
        while (i < sorted.size() && sorted[i] <= r.last)
            out.append(sorted[i++]);
        if (i >= sorted.size())
            break;
    }
    return out;
}

QList<qint64> SequenceSet::expand(qint64 largest) const
{
    QList<qint64> out;
    for (const auto &r : normalized(m_ranges, largest)) {
        for (qint64 v = r.first; v <= std::min(r.last, largest); ++v)
            out.append(v);
    }
    return out;
}

QByteArray SequenceSet::toText() const
{
    QByteArray out;
    for (const auto &r : m_ranges) {
        if (!out.isEmpty())
            out += ',';
        out += r.first == 0 ? QByteArray("*") : QByteArray::number(r.first);
        if (r.last != r.first)
            out += ':' + (r.last == 0 ? QByteArray("*") : QByteArray::number(r.last));
    }
    return out;
}

QByteArray SequenceSet::toText(const QList<qint64> &sortedValues)
{
    return fromList(sortedValues).toText();
}

} // namespace mailroom::imap
