// The bytes a FETCH section names, partial ranges and BINARY decoding.
// RFC 9051 §6.4.5 (section semantics), RFC 3516 §4 (BINARY, UNKNOWN-CTE).
// Everything works on byte offsets from the MIME tree; nothing is parsed
// again here. Trust level: reads messages written by outsiders; the tree's
// depth and part count are bounded by mime::parseMessage.
#include <QSet>

#include "imap/fetch/section.h"
#include "mime/decode.h"

namespace mailroom::imap
{

namespace
{

bool isMessage(const mime::Part &p)
{
    return p.contentType.type == "message" && (p.contentType.subtype == "rfc822" || p.contentType.subtype == "global");
}

QByteArray slice(const QByteArray &msg, qsizetype start, qsizetype end)
{
    start = qBound(qsizetype(0), start, msg.size());
    end = qBound(start, end, msg.size());
    return msg.mid(start, end - start);
}

/*
 * HEADER.FIELDS keeps the fields whose name is in the list, HEADER.FIELDS.NOT
 * the others, each with its raw bytes (folding included) in message order,
 * then the blank line that ends a header (RFC 9051 §6.4.5).
 */
QByteArray headerFields(const QByteArray &msg, const mime::Part &m, const QList<QByteArray> &names, bool keep)
{
    QSet<QByteArray> wanted;
    for (const QByteArray &n : names)
        wanted.insert(n.toLower());
    QByteArray out;
    for (const mime::HeaderField &f : m.headers.fields) {
        if (wanted.contains(f.name.toLower()) != keep)
            continue;
        out += slice(msg, f.rawStart, f.rawEnd);
        if (!out.endsWith('\n'))
            out += "\r\n"; // the last field of a message without a body
    }
    out += "\r\n";
    return out;
}

// The first token of a Content-Transfer-Encoding value (mime keeps it
// trimmed and in lower case; a comment may follow).
QByteArray cteToken(const QByteArray &cte)
{
    qsizetype n = 0;
    while (n < cte.size() && cte.at(n) != ' ' && cte.at(n) != '\t' && cte.at(n) != '(' && cte.at(n) != ';')
        ++n;
    return cte.left(n);
}

} // namespace

/*
 * Dovecot's rule: in a multipart, n selects the n-th child; anything else
 * only has part 1, itself. A message/rfc822 part followed by more numbers
 * is replaced by its embedded message, whose parts those numbers select.
 */
const mime::Part *findPart(const mime::Part &root, const QList<int> &part)
{
    const mime::Part *cur = &root;
    for (qsizetype i = 0; i < part.size(); ++i) {
        const int n = part.at(i);
        if (cur->contentType.type == "multipart") {
            if (n < 1 || n > cur->children.size())
                return nullptr;
            cur = &cur->children.at(n - 1);
        } else if (n != 1) {
            return nullptr;
        }
        if (i + 1 < part.size() && isMessage(*cur)) {
            if (cur->children.isEmpty())
                return nullptr; // kept as a leaf: BODYSTRUCTURE shows an empty body
            cur = &cur->children.first();
        }
    }
    return cur;
}

QByteArray extractSection(const QByteArray &msg, const mime::Part &root, const Section &section)
{
    const mime::Part *p = findPart(root, section.part);
    if (!p)
        return QByteArray();
    switch (section.text) {
    case Section::Text::Full:
        return section.part.isEmpty() ? msg : slice(msg, p->bodyStart, p->end);
    case Section::Text::Mime:
        return slice(msg, p->headerStart, p->bodyStart);
    case Section::Text::Header:
    case Section::Text::HeaderFields:
    case Section::Text::HeaderFieldsNot:
    case Section::Text::Text:
        break;
    }
    // HEADER, HEADER.FIELDS and TEXT after a part number are about the
    // message a message/rfc822 part holds; other parts have none.
    if (!section.part.isEmpty()) {
        if (!isMessage(*p) || p->children.isEmpty())
            return QByteArray();
        p = &p->children.first();
    }
    switch (section.text) {
    case Section::Text::Header:
        return slice(msg, p->headerStart, p->bodyStart);
    case Section::Text::Text:
        return slice(msg, p->bodyStart, p->end);
    case Section::Text::HeaderFields:
        return headerFields(msg, *p, section.fields, true);
    case Section::Text::HeaderFieldsNot:
        return headerFields(msg, *p, section.fields, false);
    case Section::Text::Full:
    case Section::Text::Mime:
        break;
    }
    return QByteArray();
}

// RFC 9051 §6.4.5: "If the starting octet is beyond the end of the text,
// an empty string is returned."
QByteArray applyPartial(const QByteArray &data, qint64 start, qint64 length)
{
    if (start < 0)
        return data;
    if (start >= data.size() || length <= 0)
        return QByteArray();
    return data.mid(qsizetype(start), qsizetype(qMin<qint64>(length, data.size() - start)));
}

/*
 * RFC 3516 §4.2: BINARY returns the part's content with its
 * Content-Transfer-Encoding removed; §4.3: a CTE the server cannot decode
 * is refused with [UNKNOWN-CTE]. Multiparts and message/rfc822 parts carry
 * 7bit, 8bit or binary (RFC 2045 §6.4) and come out as they are.
 */
BinaryResult extractBinary(const QByteArray &msg, const mime::Part &root, const QList<int> &part, QByteArray *out)
{
    out->clear();
    if (part.isEmpty()) {
        *out = msg;
        return BinaryResult::Ok;
    }
    const mime::Part *p = findPart(root, part);
    if (!p)
        return BinaryResult::Ok;
    const QByteArray cte = cteToken(p->transferEncoding);
    const QByteArray body = slice(msg, p->bodyStart, p->end);
    if (cte.isEmpty() || cte == "7bit" || cte == "8bit" || cte == "binary")
        *out = body;
    else if (cte == "base64")
        *out = mime::decodeBase64(body);
    else if (cte == "quoted-printable")
        *out = mime::decodeQuotedPrintable(body);
    else
        return BinaryResult::UnknownCte;
    return BinaryResult::Ok;
}

} // namespace mailroom::imap
