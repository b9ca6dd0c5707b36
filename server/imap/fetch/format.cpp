// Wire strings (see format.h). A value is quoted only when a quoted string
// can carry it; everything else goes out as a literal, which any client
// must accept. RFC 9051 §4.3, §9; RFC 6855 §3.
// Trust level: internal, fed with bytes from messages written by outsiders.
#include "imap/fetch/format.h"

#include <QUtf8StringView>

namespace mailroom::imap
{

namespace
{

constexpr qsizetype kMaxQuoted = 1024; // longer values go as literals: clients' line buffers

bool quotable(QByteArrayView text, bool utf8Ok)
{
    if (text.size() >= kMaxQuoted)
        return false;
    bool eightBit = false;
    for (char c : text) {
        if (c == '\0' || c == '\r' || c == '\n')
            return false;
        if (uchar(c) >= 0x80)
            eightBit = true;
    }
    return !eightBit || (utf8Ok && QUtf8StringView(text.data(), text.size()).isValidUtf8());
}

} // namespace

QByteArray quoted(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size() + 2);
    out += '"';
    for (char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

QByteArray literal(QByteArrayView data)
{
    QByteArray out;
    out.reserve(data.size() + 24);
    out.append('{').append(QByteArray::number(data.size())).append("}\r\n").append(data);
    return out;
}

QByteArray literal8(QByteArrayView data)
{
    QByteArray out;
    out.reserve(data.size() + 24);
    out.append("~{").append(QByteArray::number(data.size())).append("}\r\n").append(data);
    return out;
}

QByteArray string(QByteArrayView text, bool utf8Ok)
{
    if (quotable(text, utf8Ok))
        return quoted(text);
    if (!text.contains('\0'))
        return literal(text);
    QByteArray copy = text.toByteArray();
    return literal(copy.replace('\0', '\x80'));
}

QByteArray nstring(const QByteArray &text, bool utf8Ok)
{
    return text.isNull() ? QByteArrayLiteral("NIL") : string(text, utf8Ok);
}

/*
 *   ASTRING-CHAR  = ATOM-CHAR / resp-specials
 *   ATOM-CHAR     = <any CHAR except atom-specials>
 *   atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards /
 *                   quoted-specials / resp-specials
 *   list-wildcards = "%" / "*";  quoted-specials = DQUOTE / "\";  resp-specials = "]"
 */
bool isAStringChar(char c)
{
    const auto u = uchar(c);
    if (u <= 0x20 || u >= 0x7f)
        return false;
    return !QByteArrayView("(){%*\"\\").contains(c);
}

QByteArray astring(QByteArrayView text, bool utf8Ok)
{
    bool atom = !text.isEmpty() && text.compare("NIL", Qt::CaseInsensitive) != 0;
    for (qsizetype i = 0; atom && i < text.size(); ++i)
        atom = isAStringChar(text.at(i));
    return atom ? text.toByteArray() : string(text, utf8Ok);
}

} // namespace mailroom::imap
