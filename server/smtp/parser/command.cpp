#include "smtp/parser/command.h"

namespace mailroom::smtp
{

namespace
{
constexpr int kMaxLocal = 64; // RFC 5321 §4.5.3.1.1
constexpr int kMaxDomain = 255; // §4.5.3.1.2
constexpr int kMaxPath = 256; // §4.5.3.1.3

// RFC 5322 atext, plus any UTF-8 byte (RFC 6531 §3.3 UTF8-non-ascii).
bool isAtext(unsigned char c)
{
    if (c >= 0x80)
        return true;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-/=?^_`{|}~").contains(char(c));
}

bool isDomainChar(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
        || c == '.';
}

bool validDomain(const QByteArray &d)
{
    if (d.isEmpty() || d.size() > kMaxDomain || d.startsWith('.') || d.endsWith('.') || d.contains(".."))
        return false;
    for (const QByteArray &label : d.split('.')) {
        if (label.isEmpty() || label.size() > 63 || label.startsWith('-') || label.endsWith('-'))
            return false;
        for (char c : label)
            if (!isDomainChar(uchar(c)))
                return false;
    }
    return true;
}

bool validLiteral(const QByteArray &d)
{
    // "[" ( IPv4-address-literal / "IPv6:" IPv6-addr ) "]": checked loosely;
    // a literal is never a local domain here, so it only ever relays.
    if (d.size() < 3 || d.size() > 64 || !d.startsWith('[') || !d.endsWith(']'))
        return false;
    for (char c : d.mid(1, d.size() - 2))
        if (!(isDomainChar(uchar(c)) || c == ':') || uchar(c) >= 0x80)
            return false;
    return true;
}

ParsedPath fail(const QByteArray &problem)
{
    ParsedPath p;
    p.problem = problem;
    return p;
}
} // namespace

CommandLine splitCommand(const QByteArray &line)
{
    CommandLine c;
    const qsizetype sp = line.indexOf(' ');
    c.verb = (sp < 0 ? line : line.left(sp)).toUpper();
    if (sp >= 0) {
        qsizetype i = sp;
        while (i < line.size() && line[i] == ' ')
            ++i;
        c.args = line.mid(i);
    }
    return c;
}

ParsedPath parsePath(const QByteArray &args, const QByteArray &prefix, bool allowNull)
{
    if (args.size() < prefix.size() || qstrnicmp(args.constData(), prefix.constData(), prefix.size()) != 0)
        return fail("parameters: expected " + prefix);
    qsizetype i = prefix.size();
    while (i < args.size() && args[i] == ' ')
        ++i;
    if (i >= args.size() || args[i] != '<')
        return fail("address: expected <address>");
    const qsizetype close = [&] {
        // The closing '>' that is not inside a quoted local part.
        bool quoted = false;
        for (qsizetype j = i + 1; j < args.size(); ++j) {
            const char c = args[j];
            if (quoted && c == '\\') {
                ++j;
                continue;
            }
            if (c == '"')
                quoted = !quoted;
            else if (c == '>' && !quoted)
                return j;
        }
        return qsizetype(-1);
    }();
    if (close < 0)
        return fail("address: missing >");
    QByteArray path = args.mid(i + 1, close - i - 1);
    if (path.size() > kMaxPath)
        return fail("address: too long");
    ParsedPath p;
    // Parameters after the path.
    const QByteArray rest = args.mid(close + 1);
    if (!rest.isEmpty() && !rest.startsWith(' '))
        return fail("parameters");
    for (const QByteArray &word : rest.split(' ')) {
        if (word.isEmpty())
            continue;
        EsmtpParam ep;
        const qsizetype eq = word.indexOf('=');
        ep.keyword = (eq < 0 ? word : word.left(eq)).toUpper();
        if (eq >= 0) {
            ep.value = word.mid(eq + 1);
            ep.hasValue = true;
        }
        if (ep.keyword.isEmpty() || p.params.size() >= 16)
            return fail("parameters");
        for (char c : ep.keyword)
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
                return fail("parameters");
        for (char c : ep.value)
            if (uchar(c) < 33 || uchar(c) == 127)
                return fail("parameters");
        p.params.append(ep);
    }
    if (path.isEmpty()) {
        if (!allowNull)
            return fail("address: empty");
        p.ok = true;
        p.isNull = true;
        return p;
    }
    // A-d-l: "@one,@two:" source route, accepted and ignored (§4.1.2, §C).
    if (path.startsWith('@')) {
        const qsizetype colon = path.indexOf(':');
        if (colon < 0)
            return fail("address: bad source route");
        for (const QByteArray &hop : path.left(colon).split(','))
            if (!hop.startsWith('@') || !validDomain(hop.mid(1)))
                return fail("address: bad source route");
        path = path.mid(colon + 1);
    }
    QByteArray local;
    qsizetype at = -1;
    if (path.startsWith('"')) {
        qsizetype j = 1;
        for (; j < path.size(); ++j) {
            const char c = path[j];
            if (c == '\\' && j + 1 < path.size()) {
                local += path[++j];
                continue;
            }
            if (c == '"')
                break;
            if (uchar(c) < 32 || uchar(c) == 127)
                return fail("address: control character");
            local += c;
        }
        if (j >= path.size() || j + 1 >= path.size() || path[j + 1] != '@')
            return fail("address: bad quoted local part");
        at = j + 1;
        p.quotedLocal = true;
    } else {
        at = path.lastIndexOf('@');
        if (at <= 0)
            return fail("address: needs a domain");
        local = path.left(at);
        if (local.startsWith('.') || local.endsWith('.') || local.contains(".."))
            return fail("address: bad local part");
        for (char c : local)
            if (c != '.' && !isAtext(uchar(c)))
                return fail("address: bad local part");
    }
    if (local.isEmpty() || local.size() > kMaxLocal)
        return fail("address: bad local part");
    const QByteArray domain = path.mid(at + 1);
    if (domain.startsWith('[')) {
        if (!validLiteral(domain))
            return fail("address: bad address literal");
        p.addressLiteral = true;
    } else if (!validDomain(domain)) {
        return fail("address: bad domain");
    }
    for (char c : path)
        if (uchar(c) >= 0x80)
            p.utf8 = true;
    const QString localText = QString::fromUtf8(local);
    const QString domainText = QString::fromUtf8(domain).toLower();
    // Invalid UTF-8 does not round-trip.
    if (localText.toUtf8() != local || QString::fromUtf8(domain).toUtf8() != domain)
        return fail("address: invalid UTF-8");
    p.local = localText;
    p.domain = domainText;
    p.ok = true;
    return p;
}

QByteArray decodeXtext(const QByteArray &text, bool *ok)
{
    QByteArray out;
    *ok = true;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            if (i + 2 >= text.size()) {
                *ok = false;
                return {};
            }
            bool hexOk = false;
            const int v = text.mid(i + 1, 2).toInt(&hexOk, 16);
            if (!hexOk) {
                *ok = false;
                return {};
            }
            out += char(v);
            i += 2;
        } else if (uchar(c) < 33 || uchar(c) > 126 || c == '=') {
            *ok = false;
            return {};
        } else {
            out += c;
        }
    }
    return out;
}

QByteArray encodeXtext(const QByteArray &text)
{
    QByteArray out;
    for (char c : text) {
        if (uchar(c) < 33 || uchar(c) > 126 || c == '+' || c == '=')
            out += '+' + QByteArray::number(uchar(c), 16).toUpper().rightJustified(2, '0');
        else
            out += c;
    }
    return out;
}

} // namespace mailroom::smtp
