// SPF record selection and parsing (RFC 7208 §4.5, §4.6.1, §5, §6, §12).
// Trust level: input from DNS published by anyone; linear in the record size.
#include "mailauth/spfrecord.h"

#include <QUrl>

#include "dns/names.h"
#include "mailauth/spfmacro.h"

namespace mailroom::mailauth
{

namespace
{

//   record   = version terms *SP
//   version  = "v=spf1"
//   terms    = *( 1*SP ( directive / modifier ) )
//   directive = [ qualifier ] mechanism
//   qualifier = "+" / "-" / "?" / "~"
//   modifier = redirect / explanation / unknown-modifier
//   unknown-modifier = name "=" macro-string
//   name     = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
constexpr QByteArrayView versionTag = "v=spf1";

bool isAlpha(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool isDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

bool isModifierName(QStringView name)
{
    if (name.isEmpty() || !isAlpha(name.front().unicode()))
        return false;
    for (const QChar qc : name) {
        const char16_t c = qc.unicode();
        if (!isAlpha(c) && !isDigit(c) && c != u'-' && c != u'_' && c != u'.')
            return false;
    }
    return true;
}

//   ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT) ; value range 0-32
//   ip6-cidr-length = "/" ("0" / %x31-39 0*2DIGIT) ; value range 0-128
// Returns -1 unless `digits` is such a number no greater than max.
int parseCidr(QStringView digits, int max)
{
    if (digits.isEmpty() || digits.size() > 3 || (digits.size() > 1 && digits.front() == u'0'))
        return -1;
    int value = 0;
    for (const QChar c : digits) {
        if (!isDigit(c.unicode()))
            return -1;
        value = value * 10 + (c.unicode() - u'0');
    }
    return value <= max ? value : -1;
}

bool allDigits(QStringView s)
{
    if (s.isEmpty())
        return false;
    for (const QChar c : s) {
        if (!isDigit(c.unicode()))
            return false;
    }
    return true;
}

//   ip4-network = qnum "." qnum "." qnum "." qnum
//   qnum = DIGIT / %x31-39 DIGIT / "1" 2DIGIT / "2" %x30-34 DIGIT / "25" %x30-35
bool parseIp4(QStringView s, QHostAddress *out)
{
    quint32 value = 0;
    int parts = 0;
    for (QStringView part : s.split(u'.')) {
        if (++parts > 4 || !allDigits(part) || part.size() > 3 || (part.size() > 1 && part.front() == u'0'))
            return false;
        const int octet = part.toInt();
        if (octet > 255)
            return false;
        value = (value << 8) | quint32(octet);
    }
    if (parts != 4)
        return false;
    out->setAddress(value);
    return true;
}

// ip6-network = <as per RFC 4291 section 2.2>; no zone index.
bool parseIp6(QStringView s, QHostAddress *out)
{
    if (!s.contains(u':'))
        return false;
    for (const QChar qc : s) {
        const char16_t c = qc.unicode();
        const bool hex = isDigit(c) || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        if (!hex && c != u':' && c != u'.')
            return false;
    }
    QHostAddress a;
    if (!a.setAddress(s.toString()) || a.protocol() != QAbstractSocket::IPv6Protocol)
        return false;
    *out = a;
    return true;
}

//   dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ]
// Takes the lengths off the end of `rest`; false on a malformed length.
bool takeDualCidr(QStringView *rest, SpfDirective *d)
{
    qsizetype slash = rest->lastIndexOf(u'/');
    if (slash < 0 || !allDigits(rest->sliced(slash + 1)))
        return true; // no length (a "/" inside a domain-spec is judged there)
    if (slash > 0 && rest->at(slash - 1) == u'/') {
        d->cidr6 = parseCidr(rest->sliced(slash + 1), 128);
        if (d->cidr6 < 0)
            return false;
        rest->truncate(slash - 1);
        slash = rest->lastIndexOf(u'/');
        if (slash < 0 || !allDigits(rest->sliced(slash + 1)))
            return true;
    }
    d->cidr4 = parseCidr(rest->sliced(slash + 1), 32);
    if (d->cidr4 < 0)
        return false;
    rest->truncate(slash);
    return !rest->endsWith(u'/');
}

// `rest` is what follows the mechanism name: "" or ":" domain-spec.
bool takeDomainSpec(QStringView rest, bool required, SpfDirective *d)
{
    if (rest.isEmpty())
        return !required;
    if (rest.front() != u':')
        return false;
    rest = rest.sliced(1);
    if (!isValidSpfMacroString(rest, SpfMacroUse::DomainSpec))
        return false;
    d->domainSpec = rest.toString();
    return true;
}

bool takeNetwork(QStringView rest, bool v6, SpfDirective *d)
{
    if (!rest.startsWith(u':'))
        return false;
    rest = rest.sliced(1);
    const qsizetype slash = rest.indexOf(u'/');
    if (slash >= 0) {
        const int length = parseCidr(rest.sliced(slash + 1), v6 ? 128 : 32);
        if (length < 0)
            return false;
        (v6 ? d->cidr6 : d->cidr4) = length;
        rest.truncate(slash);
    }
    return v6 ? parseIp6(rest, &d->network) : parseIp4(rest, &d->network);
}

bool parseDirective(QStringView term, SpfDirective *d)
{
    switch (term.front().unicode()) {
    case u'+':
        d->qualifier = SpfQualifier::Pass;
        term = term.sliced(1);
        break;
    case u'-':
        d->qualifier = SpfQualifier::Fail;
        term = term.sliced(1);
        break;
    case u'~':
        d->qualifier = SpfQualifier::SoftFail;
        term = term.sliced(1);
        break;
    case u'?':
        d->qualifier = SpfQualifier::Neutral;
        term = term.sliced(1);
        break;
    default:
        break;
    }
    qsizetype end = 0;
    while (end < term.size() && term[end] != u':' && term[end] != u'/')
        ++end;
    const QStringView name = term.first(end);
    QStringView rest = term.sliced(end);
    const auto is = [name](QStringView word) { return name.compare(word, Qt::CaseInsensitive) == 0; };
    if (is(u"all")) {
        d->mechanism = SpfMechanism::All;
        return rest.isEmpty();
    }
    if (is(u"include") || is(u"exists")) {
        d->mechanism = is(u"include") ? SpfMechanism::Include : SpfMechanism::Exists;
        return takeDomainSpec(rest, true, d);
    }
    if (is(u"ptr")) {
        d->mechanism = SpfMechanism::Ptr;
        return takeDomainSpec(rest, false, d);
    }
    if (is(u"a") || is(u"mx")) {
        d->mechanism = is(u"a") ? SpfMechanism::A : SpfMechanism::Mx;
        return takeDualCidr(&rest, d) && takeDomainSpec(rest, false, d);
    }
    if (is(u"ip4") || is(u"ip6")) {
        d->mechanism = is(u"ip4") ? SpfMechanism::Ip4 : SpfMechanism::Ip6;
        return takeNetwork(rest, d->mechanism == SpfMechanism::Ip6, d);
    }
    return false;
}

Error syntaxError(QStringView term, const char *why)
{
    return Error(ErrorCode::InvalidArgument,
        QStringLiteral("SPF syntax error in \"%1\": %2").arg(term.left(64), QLatin1String(why)));
}

} // namespace

bool SpfDirective::needsDns() const
{
    switch (mechanism) {
    case SpfMechanism::Include:
    case SpfMechanism::A:
    case SpfMechanism::Mx:
    case SpfMechanism::Ptr:
    case SpfMechanism::Exists:
        return true;
    case SpfMechanism::All:
    case SpfMechanism::Ip4:
    case SpfMechanism::Ip6:
        return false;
    }
    return false;
}

QString normalizeMailDomain(const QString &domain)
{
    QString d = domain.trimmed();
    if (d.endsWith(u'.'))
        d.chop(1);
    bool ascii = true;
    for (const QChar c : d)
        ascii = ascii && c.unicode() < 0x80;
    if (!ascii) {
        const QByteArray ace = QUrl::toAce(d);
        if (ace.isEmpty())
            return QString();
        d = QString::fromLatin1(ace);
    }
    const std::optional<QByteArray> norm = dns::normalizeName(d);
    return norm ? QString::fromLatin1(*norm) : QString();
}

bool isSpfRecord(QByteArrayView txt)
{
    if (txt.size() < versionTag.size())
        return false;
    for (qsizetype i = 0; i < versionTag.size(); ++i) {
        const char c = txt[i];
        const char lower = (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
        if (lower != versionTag[i])
            return false;
    }
    return txt.size() == versionTag.size() || txt[versionTag.size()] == ' ';
}

Result<SpfRecord> parseSpfRecord(QByteArrayView txt)
{
    if (!isSpfRecord(txt))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("not an SPF version 1 record"));
    for (const char c : txt) {
        if (c < 0x20 || c > 0x7e) // terms hold visible ASCII only; separators are spaces
            return Error(ErrorCode::InvalidArgument, QStringLiteral("SPF record holds a control or non-ASCII octet"));
    }
    const QString text = QString::fromLatin1(txt.sliced(versionTag.size()));
    SpfRecord record;
    bool haveRedirect = false;
    bool haveExp = false;
    for (QStringView term : QStringView(text).split(u' ', Qt::SkipEmptyParts)) {
        const qsizetype eq = term.indexOf(u'=');
        if (eq > 0 && isModifierName(term.first(eq))) {
            const QStringView name = term.first(eq);
            const QStringView value = term.sliced(eq + 1);
            const bool redirect = name.compare(u"redirect", Qt::CaseInsensitive) == 0;
            const bool exp = name.compare(u"exp", Qt::CaseInsensitive) == 0;
            if (redirect || exp) {
                bool &seen = redirect ? haveRedirect : haveExp;
                if (seen)
                    return syntaxError(term, "the modifier appears twice (RFC 7208 section 6)");
                seen = true;
                if (!isValidSpfMacroString(value, SpfMacroUse::DomainSpec))
                    return syntaxError(term, "bad domain-spec");
                (redirect ? record.redirect : record.explanation) = value.toString();
            } else if (!isValidSpfMacroString(value, SpfMacroUse::ModifierValue)) {
                return syntaxError(term, "bad macro-string");
            }
            continue;
        }
        SpfDirective d;
        if (!parseDirective(term, &d))
            return syntaxError(term, "unknown mechanism or bad argument");
        d.text = term.toString();
        record.hasAll = record.hasAll || d.mechanism == SpfMechanism::All;
        record.directives.append(std::move(d));
    }
    return record;
}

} // namespace mailroom::mailauth
