// Charset conversion for message text. QStringDecoder resolves names through
// ICU (utf-8, iso-8859-*, windows-125x, koi8-r, gb2312, ...). Names are
// checked before they reach ICU: they come from the Internet.
// RFC 2045 §5.1, RFC 2978, RFC 6532 §3.
// Trust level: parses input from the Internet.
#include "mime/charset.h"

#include <QStringDecoder>

#include "mime/limits.h"

namespace mailroom::mime
{

namespace
{

// RFC 2978 §2.3: mime-charset-chars = ALPHA / DIGIT / "!" / "#" / "$" / "%" /
// "&" / "'" / "+" / "-" / "^" / "_" / "`" / "{" / "}" / "~"; we also allow
// "." and ":" seen in the wild (e.g. "ANSI_X3.4-1968").
bool plausibleName(const QByteArray &name)
{
    if (name.isEmpty() || name.size() > kMaxCharsetName)
        return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || QByteArrayView("!#$%&'+-^_`{}~.:").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

bool isAscii(const QByteArray &name)
{
    static const char *const names[] = { "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us" };
    for (const char *n : names)
        if (name.compare(n, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

QString raw8bitToString(const QByteArray &bytes)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = utf8.decode(bytes);
    if (!utf8.hasError())
        return text;
    return QString::fromLatin1(bytes);
}

std::optional<QString> decodeCharset(const QByteArray &bytes, const QByteArray &charset)
{
    const QByteArray name = charset.trimmed();
    if (name.isEmpty() || isAscii(name))
        return raw8bitToString(bytes);
    if (!plausibleName(name))
        return std::nullopt;
    QStringDecoder decoder(name.constData(), QStringDecoder::Flag::Stateless);
    if (!decoder.isValid())
        return std::nullopt;
    return QString(decoder.decode(bytes));
}

} // namespace mailroom::mime
