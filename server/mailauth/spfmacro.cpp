// SPF macro strings (RFC 7208 §7): one scanner for both the syntax check and
// the expansion, so the two can never disagree about what a string means.
// Trust level: input from DNS records and the SMTP client; bounded output.
#include "mailauth/spfmacro.h"

#include <algorithm>

#include <QList>
#include <QUrl>

namespace mailroom::mailauth
{

namespace
{

//   macro-string = *( macro-expand / macro-literal )
//   macro-expand = ( "%{" macro-letter transformers *delimiter "}" )
//                  / "%%" / "%_" / "%-"
//   macro-literal = %x21-24 / %x26-7E   ; visible characters except "%"
//   macro-letter = "s" / "l" / "o" / "d" / "i" / "p" / "h" / "c" / "r" / "t" / "v"
//   transformers = *DIGIT [ "r" ]
//   delimiter    = "." / "-" / "+" / "," / "/" / "_" / "="
//   explain-string = *( macro-string / SP )
struct Macro {
    char16_t letter = 0; // lower-case
    bool escape = false; // URL-escape the value: the letter was upper-case
    qsizetype keep = 0; // rightmost parts to keep, 0 = all
    bool reverse = false;
    QStringView delimiters; // empty means "."
};

// Digits beyond this change nothing: no value has that many parts.
constexpr qsizetype maxKeep = maxMacroExpansion;

bool isMacroLiteral(char16_t c, SpfMacroUse use)
{
    return (c >= 0x21 && c <= 0x7e && c != u'%') || (c == u' ' && use == SpfMacroUse::Explanation);
}

bool isDelimiter(char16_t c)
{
    return c == u'.' || c == u'-' || c == u'+' || c == u',' || c == u'/' || c == u'_' || c == u'=';
}

bool isAlpha(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool isDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

char16_t toLowerAscii(char16_t c)
{
    return (c >= u'A' && c <= u'Z') ? char16_t(c + (u'a' - u'A')) : c;
}

bool letterAllowed(char16_t lower, SpfMacroUse use)
{
    switch (lower) {
    case u's':
    case u'l':
    case u'o':
    case u'd':
    case u'i':
    case u'p':
    case u'v':
    case u'h':
        return true;
    case u'c':
    case u'r':
    case u't':
        return use != SpfMacroUse::DomainSpec; // §7.2: only in exp text
    default:
        return false;
    }
}

// Walks a macro-string, calling literal(QStringView) for literal text (escapes
// included, already replaced) and macro(const Macro &) for each %{...}.
// lastMacroEnd receives the index just past the last macro-expand, or 0.
// Returns false on the first syntax error.
template<class OnLiteral, class OnMacro>
bool scan(QStringView s, SpfMacroUse use, OnLiteral literal, OnMacro macro, qsizetype *lastMacroEnd = nullptr)
{
    qsizetype i = 0;
    const qsizetype n = s.size();
    while (i < n) {
        const char16_t c = s[i].unicode();
        if (c != u'%') {
            const qsizetype start = i;
            while (i < n && s[i].unicode() != u'%') {
                if (!isMacroLiteral(s[i].unicode(), use))
                    return false;
                ++i;
            }
            literal(s.sliced(start, i - start));
            continue;
        }
        if (i + 1 >= n)
            return false;
        const char16_t next = s[i + 1].unicode();
        if (next == u'%' || next == u'_' || next == u'-') {
            literal(next == u'%' ? QStringView(u"%") : next == u'_' ? QStringView(u" ") : QStringView(u"%20"));
            i += 2;
        } else if (next == u'{') {
            i += 2;
            if (i >= n)
                return false;
            Macro m;
            const char16_t letter = s[i].unicode();
            m.letter = toLowerAscii(letter);
            m.escape = letter != m.letter;
            if (!letterAllowed(m.letter, use))
                return false;
            ++i;
            bool digits = false;
            while (i < n && isDigit(s[i].unicode())) {
                digits = true;
                m.keep = std::min(m.keep * 10 + (s[i].unicode() - u'0'), maxKeep);
                ++i;
            }
            if (digits && m.keep == 0)
                return false; // "%{d0}" asks for nothing
            if (i < n && toLowerAscii(s[i].unicode()) == u'r') {
                m.reverse = true;
                ++i;
            }
            const qsizetype delimStart = i;
            while (i < n && isDelimiter(s[i].unicode()))
                ++i;
            m.delimiters = s.sliced(delimStart, i - delimStart);
            if (i >= n || s[i].unicode() != u'}')
                return false;
            ++i;
            macro(m);
        } else {
            return false;
        }
        if (lastMacroEnd)
            *lastMacroEnd = i;
    }
    return true;
}

//   toplabel = ( *alphanum ALPHA *alphanum ) /
//              ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
bool isTopLabel(QStringView t)
{
    if (t.isEmpty())
        return false;
    bool alpha = false;
    bool hyphen = false;
    for (const QChar qc : t) {
        const char16_t c = qc.unicode();
        if (isAlpha(c))
            alpha = true;
        else if (c == u'-')
            hyphen = true;
        else if (!isDigit(c))
            return false;
    }
    if (!hyphen)
        return alpha;
    return t.front() != u'-' && t.back() != u'-';
}

//   domain-spec = macro-string domain-end
//   domain-end  = ( "." toplabel [ "." ] ) / macro-expand
bool hasDomainEnd(QStringView s, qsizetype lastMacroEnd)
{
    QStringView tail = s.sliced(lastMacroEnd);
    if (tail.isEmpty())
        return lastMacroEnd > 0;
    if (tail.endsWith(u'.'))
        tail.chop(1);
    const qsizetype dot = tail.lastIndexOf(u'.');
    return dot >= 0 && isTopLabel(tail.sliced(dot + 1));
}

QString macroValue(char16_t letter, const SpfMacroValues &v)
{
    switch (letter) {
    case u's':
        return v.sender;
    case u'l':
        return v.local;
    case u'o':
        return v.senderDomain;
    case u'd':
        return v.domain;
    case u'i':
        return spfMacroIp(v.ip);
    case u'p':
        return v.validatedName.isEmpty() ? QStringLiteral("unknown") : v.validatedName;
    case u'v':
        return v.ip.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("ip6") : QStringLiteral("in-addr");
    case u'h':
        return v.helo;
    case u'c':
        return v.ip.toString();
    case u'r':
        return v.receiver.isEmpty() ? QStringLiteral("unknown") : v.receiver;
    case u't':
        return QString::number(v.timestamp);
    default:
        return QString();
    }
}

// §7.3: split on the delimiters (default "."), reverse if asked, keep the
// rightmost parts, and join them with ".".
QString transform(const QString &value, const Macro &m)
{
    const QStringView delimiters = m.delimiters.isEmpty() ? QStringView(u".") : m.delimiters;
    QList<QStringView> parts;
    qsizetype start = 0;
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (delimiters.contains(value[i])) {
            parts.append(QStringView(value).sliced(start, i - start));
            start = i + 1;
        }
    }
    parts.append(QStringView(value).sliced(start));
    if (m.reverse)
        std::reverse(parts.begin(), parts.end());
    if (m.keep > 0 && m.keep < parts.size())
        parts = parts.sliced(parts.size() - m.keep);
    QString out;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (i > 0)
            out.append(u'.');
        out.append(parts[i]);
    }
    return out;
}

} // namespace

bool isValidSpfMacroString(QStringView s, SpfMacroUse use)
{
    qsizetype lastMacroEnd = 0;
    if (!scan(
            s, use, [](QStringView) {}, [](const Macro &) {}, &lastMacroEnd))
        return false;
    return use != SpfMacroUse::DomainSpec || hasDomainEnd(s, lastMacroEnd);
}

bool spfMacroUsesLetter(QStringView s, char16_t letter)
{
    bool found = false;
    const char16_t wanted = toLowerAscii(letter);
    (void)scan(
        s, SpfMacroUse::Explanation, [](QStringView) {}, [&](const Macro &m) { found = found || m.letter == wanted; });
    return found;
}

std::optional<QString> expandSpfMacros(QStringView s, const SpfMacroValues &values, SpfMacroUse use)
{
    QString out;
    bool tooLong = false;
    const auto append = [&](QStringView part) {
        if (out.size() + part.size() > maxMacroExpansion)
            tooLong = true;
        else
            out.append(part);
    };
    const bool ok = scan(s, use, append, [&](const Macro &m) {
        if (tooLong)
            return;
        QString value = transform(macroValue(m.letter, values), m);
        if (m.escape)
            value = QString::fromLatin1(QUrl::toPercentEncoding(value)); // RFC 3986 unreserved stay
        append(value);
    });
    if (!ok || tooLong)
        return std::nullopt;
    return out;
}

std::optional<QString> expandSpfDomainSpec(QStringView spec, const SpfMacroValues &values)
{
    if (!isValidSpfMacroString(spec, SpfMacroUse::DomainSpec))
        return std::nullopt;
    std::optional<QString> name = expandSpfMacros(spec, values, SpfMacroUse::DomainSpec);
    if (!name)
        return std::nullopt;
    if (name->endsWith(u'.'))
        name->chop(1);
    while (name->size() > maxDomainNameLength) {
        const qsizetype dot = name->indexOf(u'.');
        if (dot < 0)
            return std::nullopt;
        name->remove(0, dot + 1);
    }
    if (name->isEmpty())
        return std::nullopt;
    return name;
}

QString spfMacroIp(const QHostAddress &ip)
{
    if (ip.protocol() != QAbstractSocket::IPv6Protocol)
        return ip.toString();
    static constexpr char16_t hex[] = u"0123456789abcdef";
    const Q_IPV6ADDR a = ip.toIPv6Address();
    QString out;
    out.reserve(63);
    for (int i = 0; i < 16; ++i) {
        if (i > 0)
            out.append(u'.');
        out.append(QChar(hex[a[i] >> 4]));
        out.append(u'.');
        out.append(QChar(hex[a[i] & 0x0f]));
    }
    return out;
}

} // namespace mailroom::mailauth
