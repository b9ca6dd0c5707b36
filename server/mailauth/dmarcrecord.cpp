// DMARC record parsing (RFC 7489 §6.3, §6.4, §6.6.3 step 6) and the
// Organizational Domain through libpsl (RFC 7489 §3.2).
// Trust level: records from DNS published by anyone; every value is checked,
// lengths are bounded (maxDmarcRecordLength, maxDmarcReportUris).
#include <libpsl.h>

#include <QSet>
#include <QUrl>

#include "mailauth/dmarc.h"
#include "mailauth/spfrecord.h"

namespace mailroom::mailauth
{

namespace
{

//   dmarc-record = dmarc-version dmarc-sep [dmarc-request]
//                  [dmarc-sep dmarc-srequest] [dmarc-sep dmarc-auri] ...
//                  [dmarc-sep]
//   dmarc-version = "v" *WSP "=" *WSP %x44 %x4d %x41 %x52 %x43 %x31
//   dmarc-sep     = *WSP %x3b *WSP
//   dmarc-request = "p" *WSP "=" *WSP ( "none" / "quarantine" / "reject" )
//   dmarc-adkim   = "adkim" *WSP "=" *WSP ( "r" / "s" )
//   dmarc-percent = "pct" *WSP "=" *WSP 1*3DIGIT
//   dmarc-auri    = "rua" *WSP "=" *WSP dmarc-uri *(*WSP "," *WSP dmarc-uri)
//   dmarc-uri     = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]
// ABNF quoted strings are case-insensitive, so "P=Reject" is valid; the
// version value is given in %x form and must be "DMARC1" exactly.
struct Tag {
    QStringView name;
    QStringView value;
};

QStringView trimWsp(QStringView v)
{
    while (!v.isEmpty() && (v.front() == u' ' || v.front() == u'\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == u' ' || v.back() == u'\t'))
        v.chop(1);
    return v;
}

std::optional<Tag> splitTag(QStringView segment)
{
    const qsizetype eq = segment.indexOf(u'=');
    if (eq <= 0)
        return std::nullopt;
    Tag t { trimWsp(segment.first(eq)), trimWsp(segment.sliced(eq + 1)) };
    if (t.name.isEmpty())
        return std::nullopt;
    return t;
}

bool allDigits(QStringView s, qsizetype maxDigits)
{
    if (s.isEmpty() || s.size() > maxDigits)
        return false;
    for (const QChar c : s) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

std::optional<QString> policyWord(QStringView v)
{
    for (const char16_t *word : { u"none", u"quarantine", u"reject" }) {
        if (v.compare(QStringView(word), Qt::CaseInsensitive) == 0)
            return QString::fromUtf16(word);
    }
    return std::nullopt;
}

// A reporting URI with an optional "!size" limit; only its syntax is checked.
bool isReportUri(QStringView entry)
{
    const qsizetype bang = entry.lastIndexOf(u'!');
    QStringView uri = entry;
    if (bang >= 0) {
        QStringView size = entry.sliced(bang + 1);
        if (!size.isEmpty() && QStringView(u"kmgtKMGT").contains(size.back()))
            size.chop(1);
        if (!allDigits(size, 15))
            return false;
        uri = entry.first(bang);
    }
    if (uri.isEmpty())
        return false;
    for (const QChar c : uri) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f)
            return false;
    }
    const QUrl url(uri.toString(), QUrl::StrictMode);
    return url.isValid() && !url.scheme().isEmpty() && (!url.path().isEmpty() || !url.host().isEmpty());
}

QStringList reportUris(QStringView value)
{
    QStringList out;
    for (QStringView entry : value.split(u',')) {
        entry = trimWsp(entry);
        if (isReportUri(entry) && out.size() < maxDmarcReportUris)
            out.append(entry.toString());
    }
    return out;
}

// The first tag, on its own.
bool firstTagIsVersion(QStringView text)
{
    const qsizetype semi = text.indexOf(u';');
    const std::optional<Tag> tag = splitTag(semi < 0 ? text : text.first(semi));
    return tag && tag->name.compare(u"v", Qt::CaseInsensitive) == 0 && tag->value == u"DMARC1";
}

} // namespace

bool isDmarcRecord(QByteArrayView txt)
{
    if (txt.size() > maxDmarcRecordLength)
        return false;
    return firstTagIsVersion(trimWsp(QString::fromLatin1(txt)));
}

std::optional<DmarcRecord> parseDmarcRecord(const QByteArray &txt)
{
    if (!isDmarcRecord(txt))
        return std::nullopt;
    const QString text = QString::fromLatin1(txt);
    DmarcRecord r;
    bool haveP = false;
    bool badSp = false;
    QSet<QString> seen;
    const QList<QStringView> segments = QStringView(text).split(u';');
    for (qsizetype i = 1; i < segments.size(); ++i) {
        const std::optional<Tag> tag = splitTag(trimWsp(segments[i]));
        if (!tag)
            continue; // a syntax error in the remainder is ignored (§6.3)
        const QString name = tag->name.toString().toLower();
        if (seen.contains(name))
            continue; // the first of a repeated tag counts
        seen.insert(name);
        const QStringView v = tag->value;
        if (name == u"p") {
            if (const std::optional<QString> p = policyWord(v)) {
                r.policy = *p;
                haveP = true;
            }
        } else if (name == u"sp") {
            if (const std::optional<QString> sp = policyWord(v))
                r.subdomainPolicy = *sp;
            else
                badSp = true;
        } else if (name == u"adkim" || name == u"aspf") {
            const bool strict = v.compare(u"s", Qt::CaseInsensitive) == 0;
            (name == u"adkim" ? r.strictDkim : r.strictSpf) = strict;
        } else if (name == u"pct") {
            if (allDigits(v, 3) && v.toInt() <= 100)
                r.percent = v.toInt();
        } else if (name == u"rua" || name == u"ruf") {
            (name == u"rua" ? r.rua : r.ruf) = reportUris(v);
        } else if (name == u"fo") {
            if (!v.isEmpty() && v.size() <= 16)
                r.failureOptions = v.toString();
        } else if (name == u"ri") {
            if (allDigits(v, 9))
                r.reportInterval = v.toInt();
        }
        // rf and unknown tags: ignored (§6.3)
    }
    if (!haveP || badSp) {
        if (r.rua.isEmpty())
            return std::nullopt; // §6.6.3 step 6.2: no DMARC processing
        r.policy = QStringLiteral("none"); // step 6.1
        r.subdomainPolicy.clear();
    }
    return r;
}

QString organizationalDomain(const QString &domain)
{
    const QString d = normalizeMailDomain(domain);
    if (d.isEmpty())
        return QString();
    const QByteArray utf8 = d.toUtf8();
    if (const psl_ctx_t *psl = psl_builtin()) {
        const char *registrable = psl_registrable_domain(psl, utf8.constData());
        return registrable ? QString::fromUtf8(registrable) : d; // a public suffix stays itself
    }
    // No built-in list: the last two labels are the best guess.
    const qsizetype last = d.lastIndexOf(u'.');
    const qsizetype before = last > 0 ? d.lastIndexOf(u'.', last - 1) : -1;
    return before < 0 ? d : d.mid(before + 1);
}

} // namespace mailroom::mailauth
