// DKIM canonicalization: RFC 6376 §3.4.1-§3.4.4, hashing per §3.7, field
// selection per §5.4.2. See dkimcanon.h.
// Trust level: input from the Internet; linear time, no copy of the body.
#include "mailauth/dkimcanon.h"

#include <cstring>

#include "base/digest.h"

namespace mailroom::mailauth::dkim
{

namespace
{

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

const char kCrlf[] = "\r\n";

/*
 * §3.4.3 simple: "ignores all empty lines at the end of the message body ...
 * If there is no body or no trailing CRLF on the message body, a CRLF is added."
 * §3.4.4 relaxed: WSP at the end of lines is ignored, WSP runs become one SP,
 * empty lines at the end are ignored, an empty body stays empty (errata 1384),
 * and a CRLF is added to a non-empty body that does not end with one.
 *
 * Streams the canonical bytes to sink(const char *, qsizetype). Empty lines
 * are only counted, and written when a non-empty line follows them.
 */
template<class Sink> void canonicalize(QByteArrayView body, bool relaxed, Sink &&sink)
{
    const char *data = body.data();
    const qsizetype size = body.size();
    qsizetype pendingEmpty = 0;
    bool wroteAny = false;
    const auto flushEmpty = [&] {
        for (; pendingEmpty > 0; --pendingEmpty)
            sink(kCrlf, 2);
    };
    qsizetype pos = 0;
    while (pos < size) {
        const void *lf = std::memchr(data + pos, '\n', size_t(size - pos));
        const qsizetype lineEnd = lf ? static_cast<const char *>(lf) - data : size;
        qsizetype contentEnd = lineEnd;
        if (lf && contentEnd > pos && data[contentEnd - 1] == '\r')
            --contentEnd;
        bool empty = true;
        if (!relaxed) {
            if (contentEnd > pos) {
                empty = false;
                flushEmpty();
                sink(data + pos, contentEnd - pos);
            }
        } else {
            // Sink runs of non-WSP; one SP before a run that follows WSP.
            bool sawWsp = false;
            qsizetype i = pos;
            while (i < contentEnd) {
                if (isWsp(data[i])) {
                    sawWsp = true;
                    ++i;
                    continue;
                }
                qsizetype runEnd = i;
                while (runEnd < contentEnd && !isWsp(data[runEnd]))
                    ++runEnd;
                if (empty) {
                    empty = false;
                    flushEmpty();
                }
                if (sawWsp)
                    sink(" ", 1);
                sink(data + i, runEnd - i);
                sawWsp = false;
                i = runEnd;
            }
        }
        if (!empty) {
            sink(kCrlf, 2);
            wroteAny = true;
        } else if (lf) {
            ++pendingEmpty; // an unterminated empty last line is no line at all
        }
        pos = lf ? lineEnd + 1 : size;
    }
    if (!relaxed && !wroteAny)
        sink(kCrlf, 2);
}

} // namespace

QByteArray canonicalHeader(QByteArrayView rawField, bool relaxed)
{
    if (!relaxed) {
        // The raw bytes; a bare LF (accepted by the header parser) becomes CRLF
        // so that the field is hashed as the canonical message would carry it.
        QByteArray out;
        out.reserve(rawField.size() + 2);
        for (qsizetype i = 0; i < rawField.size(); ++i) {
            const char c = rawField[i];
            if (c == '\n' && (i == 0 || rawField[i - 1] != '\r'))
                out.append('\r');
            out.append(c);
        }
        if (!out.endsWith('\n'))
            out.append(kCrlf);
        return out;
    }
    const qsizetype colon = rawField.indexOf(':');
    if (colon < 0)
        return QByteArray();
    qsizetype nameEnd = colon;
    while (nameEnd > 0 && isWsp(rawField[nameEnd - 1]))
        --nameEnd;
    QByteArray out = rawField.first(nameEnd).toByteArray().toLower();
    out.append(':');
    // Unfold (drop CR and LF), squeeze WSP runs, trim both ends.
    bool pendingSpace = false;
    bool started = false;
    for (qsizetype i = colon + 1; i < rawField.size(); ++i) {
        const char c = rawField[i];
        if (c == '\r' || c == '\n')
            continue;
        if (isWsp(c)) {
            pendingSpace = started;
            continue;
        }
        if (pendingSpace)
            out.append(' ');
        pendingSpace = false;
        started = true;
        out.append(c);
    }
    out.append(kCrlf);
    return out;
}

QByteArray canonicalBody(QByteArrayView body, bool relaxed)
{
    QByteArray out;
    canonicalize(body, relaxed, [&out](const char *p, qsizetype n) { out.append(p, n); });
    return out;
}

BodyHash bodyHash(QByteArrayView body, bool relaxed, qint64 limit)
{
    Sha256 hash;
    BodyHash result;
    canonicalize(body, relaxed, [&](const char *p, qsizetype n) {
        qsizetype take = n;
        if (limit >= 0)
            take = qsizetype(qBound(qint64(0), limit - result.canonicalLength, qint64(n)));
        if (take > 0)
            hash.addData(QByteArrayView(p, take));
        result.canonicalLength += n;
    });
    result.sha256 = hash.result();
    return result;
}

QByteArray signedHeaderData(
    const QByteArray &message, const QList<mime::HeaderField> &fields, const QList<QByteArray> &names, bool relaxed)
{
    // used[i]: field i was taken by an earlier name of h=.
    QList<bool> used(fields.size(), false);
    QByteArray out;
    for (const QByteArray &name : names) {
        for (qsizetype i = fields.size() - 1; i >= 0; --i) {
            if (used[i] || fields[i].name.compare(name, Qt::CaseInsensitive) != 0)
                continue;
            used[i] = true;
            const mime::HeaderField &f = fields[i];
            out += canonicalHeader(QByteArrayView(message).sliced(f.rawStart, f.rawEnd - f.rawStart), relaxed);
            break;
        }
    }
    return out;
}

QByteArray signatureFieldData(QByteArrayView rawFieldWithoutB, bool relaxed)
{
    QByteArray out = canonicalHeader(rawFieldWithoutB, relaxed);
    if (out.endsWith(kCrlf))
        out.chop(2);
    return out;
}

QByteArray sha256(QByteArrayView data)
{
    return Sha256::hash(data);
}

} // namespace mailroom::mailauth::dkim
