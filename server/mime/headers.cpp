// Header block parser: splits "name: value" fields and unfolds them.
// RFC 5322 §2.2, §2.2.3, §3.6.8; bare LF line ends are accepted like CRLF.
// Trust level: parses input from the Internet. Linear in the input; at most
// kMaxHeaderFields fields are stored.
#include "mime/headers.h"

#include <cstring>

#include "mime/limits.h"

namespace mailroom::mime
{

namespace
{

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

// End of the line starting at pos: the offset of its LF (or end), and the
// content end (before a CR that precedes the LF).
struct Line {
    qsizetype start;
    qsizetype contentEnd;
    qsizetype next; // first byte of the following line
};

Line lineAt(const QByteArray &msg, qsizetype pos, qsizetype end)
{
    const char *data = msg.constData();
    const void *lf = std::memchr(data + pos, '\n', size_t(end - pos));
    if (!lf)
        return { pos, end, end };
    const qsizetype at = static_cast<const char *>(lf) - data;
    const qsizetype contentEnd = at > pos && data[at - 1] == '\r' ? at - 1 : at;
    return { pos, contentEnd, at + 1 };
}

} // namespace

// RFC 5322 §3.6.8: ftext = %d33-57 / %d59-126 (printable US-ASCII except ":")
bool isFieldName(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    for (char c : name) {
        const auto u = uchar(c);
        if (u < 33 || u > 126 || c == ':')
            return false;
    }
    return true;
}

HeaderBlock HeaderBlock::parse(const QByteArray &msg, qsizetype *bodyOffset)
{
    return parse(msg, 0, msg.size(), bodyOffset);
}

/*
 * RFC 5322 §2.2 / §3.6.8:
 *   field      = field-name ":" unstructured CRLF
 *   field-name = 1*ftext
 *   obs-optional = field-name *WSP ":" unstructured CRLF
 * A line that starts with WSP continues the previous field (folding). The
 * block ends at the first empty line; a line that is neither a field nor a
 * continuation ends it too and belongs to the body (lenient, as deployed
 * servers are).
 */
HeaderBlock HeaderBlock::parse(const QByteArray &msg, qsizetype start, qsizetype end, qsizetype *bodyOffset)
{
    HeaderBlock block;
    end = qBound(qsizetype(0), end, msg.size());
    qsizetype pos = qBound(qsizetype(0), start, end);
    bool haveField = false; // the last field was stored, so continuations append to it
    bool inField = false; // a field (stored or dropped) is open
    const char *data = msg.constData();
    while (pos < end) {
        const Line line = lineAt(msg, pos, end);
        if (line.contentEnd == line.start) { // the empty line that ends the block
            pos = line.next;
            break;
        }
        if (isWsp(data[line.start])) {
            if (inField && haveField) {
                HeaderField &f = block.fields.last();
                f.value.append(data + line.start, line.contentEnd - line.start);
                f.rawEnd = line.next;
            }
            pos = line.next; // a continuation without a field is ignored
            continue;
        }
        const void *colon = std::memchr(data + line.start, ':', size_t(line.contentEnd - line.start));
        if (!colon)
            break;
        const qsizetype colonAt = static_cast<const char *>(colon) - data;
        qsizetype nameEnd = colonAt;
        while (nameEnd > line.start && isWsp(data[nameEnd - 1]))
            --nameEnd;
        const QByteArrayView name(data + line.start, nameEnd - line.start);
        if (!isFieldName(name))
            break;
        inField = true;
        if (block.fields.size() >= kMaxHeaderFields) {
            ++block.droppedFields;
            haveField = false;
            pos = line.next;
            continue;
        }
        qsizetype valueStart = colonAt + 1;
        while (valueStart < line.contentEnd && isWsp(data[valueStart]))
            ++valueStart;
        HeaderField f;
        f.name = name.toByteArray();
        f.value = QByteArray(data + valueStart, line.contentEnd - valueStart);
        f.rawStart = line.start;
        f.rawEnd = line.next;
        block.fields.append(std::move(f));
        haveField = true;
        pos = line.next;
    }
    // A field whose value was empty on the first line keeps the WSP of its
    // continuation at the front; drop it so values never start with WSP.
    for (HeaderField &f : block.fields) {
        qsizetype n = 0;
        while (n < f.value.size() && isWsp(f.value.at(n)))
            ++n;
        if (n > 0)
            f.value.remove(0, n);
    }
    if (bodyOffset)
        *bodyOffset = pos;
    return block;
}

QByteArray HeaderBlock::value(const char *name) const
{
    for (const HeaderField &f : fields)
        if (f.name.compare(name, Qt::CaseInsensitive) == 0)
            return f.value;
    return QByteArray();
}

QList<QByteArray> HeaderBlock::values(const char *name) const
{
    QList<QByteArray> out;
    for (const HeaderField &f : fields)
        if (f.name.compare(name, Qt::CaseInsensitive) == 0)
            out.append(f.value);
    return out;
}

bool HeaderBlock::contains(const char *name) const
{
    for (const HeaderField &f : fields)
        if (f.name.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace mailroom::mime
