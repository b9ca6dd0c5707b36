// The response piece of one FETCH body item: its name as echoed, then the
// data as a literal (literal8 for BINARY data with NUL), "" when empty.
// RFC 9051 §7.5.2 (msg-att-static: "BODY" section ["<" number ">"] SP
// nstring), RFC 3516 §7 ("BINARY" section-binary SP (nstring / literal8),
// "BINARY.SIZE" section-binary SP number). Trust level: internal; the data
// was written by outsiders and goes out only inside literals.
#include "imap/fetch/fetchspec.h"
#include "imap/fetch/format.h"

namespace mailroom::imap
{

namespace
{

QByteArray partText(const QList<int> &part)
{
    QByteArray out;
    for (qsizetype i = 0; i < part.size(); ++i) {
        if (i > 0)
            out += '.';
        out += QByteArray::number(part.at(i));
    }
    return out;
}

// A literal may not carry NUL (CHAR8 = %x01-ff). As Dovecot does, BODY data
// has NUL replaced by 0x80; BINARY sends it as literal8 instead.
QByteArray bodyData(QByteArray data)
{
    if (data.isEmpty())
        return QByteArrayLiteral("\"\"");
    data.replace('\0', '\x80');
    return literal(data);
}

QByteArray binaryData(const QByteArray &data)
{
    if (data.isEmpty())
        return QByteArrayLiteral("\"\"");
    return data.contains('\0') ? literal8(data) : literal(data);
}

} // namespace

QByteArray BodyItem::responseName() const
{
    QByteArray name;
    switch (kind) {
    case Rfc822:
        return QByteArrayLiteral("RFC822");
    case Rfc822Header:
        return QByteArrayLiteral("RFC822.HEADER");
    case Rfc822Text:
        return QByteArrayLiteral("RFC822.TEXT");
    case BinarySize:
        return "BINARY.SIZE[" + partText(section.part) + ']';
    case Body:
    case BodyPeek:
        name = "BODY[" + section.toText() + ']';
        break;
    case Binary:
    case BinaryPeek:
        name = "BINARY[" + partText(section.part) + ']';
        break;
    }
    // RFC 9051 §7.5.2: the partial is echoed as its origin octet only.
    if (partialStart >= 0)
        name += '<' + QByteArray::number(partialStart) + '>';
    return name;
}

QByteArray renderBodyItem(const BodyItem &item, const QByteArray &msg, const mime::Part &root, bool *unknownCte)
{
    if (unknownCte)
        *unknownCte = false;
    if (!item.isBinary())
        return item.responseName() + ' '
            + bodyData(applyPartial(extractSection(msg, root, item.section), item.partialStart, item.partialLength));
    QByteArray data;
    if (extractBinary(msg, root, item.section.part, &data) == BinaryResult::UnknownCte) {
        if (unknownCte)
            *unknownCte = true;
        return QByteArray();
    }
    if (item.kind == BodyItem::BinarySize)
        return item.responseName() + ' ' + QByteArray::number(data.size());
    return item.responseName() + ' ' + binaryData(applyPartial(data, item.partialStart, item.partialLength));
}

} // namespace mailroom::imap
