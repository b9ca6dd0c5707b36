// DKIM tag lists, the DKIM-Signature field and the key record: RFC 6376 §3.2,
// §3.5, §3.6.1, §6.1.1; RFC 8301 §3.1; RFC 8463 §3. See dkimtags.h.
// Trust level: input from the Internet; every size is bounded before use.
#include "mailauth/dkimtags.h"

#include <optional>

#include "mime/headers.h"

namespace mailroom::mailauth::dkim
{

namespace
{

bool isFws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool isAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

QByteArrayView trimFws(QByteArrayView v)
{
    while (!v.isEmpty() && isFws(v.front()))
        v = v.sliced(1);
    while (!v.isEmpty() && isFws(v.back()))
        v.chop(1);
    return v;
}

Error bad(const QString &reason)
{
    return Error(ErrorCode::ProtocolError, reason);
}

QString latin(QByteArrayView v)
{
    return QString::fromLatin1(v.data(), v.size());
}

// A ":"-separated list with FWS around the items (h=, q=, key h=, s=, t=).
QList<QByteArrayView> splitColons(QByteArrayView v)
{
    QList<QByteArrayView> out;
    qsizetype pos = 0;
    while (true) {
        const qsizetype colon = v.indexOf(':', pos);
        const qsizetype end = colon < 0 ? v.size() : colon;
        out.append(trimFws(v.sliced(pos, end - pos)));
        if (colon < 0)
            break;
        pos = colon + 1;
    }
    return out;
}

bool containsItem(const QList<QByteArrayView> &items, QByteArrayView wanted)
{
    for (QByteArrayView item : items)
        if (item.compare(wanted, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

// 1*12DIGIT and friends; nullopt on anything else.
std::optional<qint64> parseNumber(QByteArrayView v, int maxDigits)
{
    if (v.isEmpty() || v.size() > maxDigits)
        return std::nullopt;
    qint64 n = 0;
    for (char c : v) {
        if (!isDigit(c))
            return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

const Tag *findTag(const QList<Tag> &tags, const char *name)
{
    for (const Tag &t : tags)
        if (t.name == name)
            return &t;
    return nullptr;
}

} // namespace

/*
 * RFC 6376 §3.2:
 *   tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
 *   tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 *   tag-name  =  ALPHA *ALNUMPUNC
 *   tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
 *   tval      =  1*VALCHAR
 *   VALCHAR   =  %x21-3A / %x3C-7E
 *   ALNUMPUNC =  ALPHA / DIGIT / "_"
 * "Tags with duplicate names MUST NOT occur within a single tag-list; if a tag
 * name does occur more than once, the entire tag-list is invalid." Octets of
 * 0x80 and above are let through for RFC 8616 (UTF-8 in d= and i=).
 */
Result<QList<Tag>> parseTagList(QByteArrayView text, qsizetype start)
{
    QList<Tag> tags;
    const qsizetype end = text.size();
    qsizetype pos = qBound(qsizetype(0), start, end);
    while (true) {
        while (pos < end && isFws(text[pos]))
            ++pos;
        if (pos == end)
            break;
        const qsizetype nameStart = pos;
        if (!isAlpha(text[pos]))
            return bad(QStringLiteral("tag list syntax error"));
        while (pos < end && (isAlpha(text[pos]) || isDigit(text[pos]) || text[pos] == '_'))
            ++pos;
        const QByteArrayView name = text.sliced(nameStart, pos - nameStart);
        while (pos < end && isFws(text[pos]))
            ++pos;
        if (pos == end || text[pos] != '=')
            return bad(QStringLiteral("tag list syntax error at %1=").arg(latin(name)));
        ++pos;
        const qsizetype semi = text.indexOf(';', pos);
        const qsizetype valueEnd = semi < 0 ? end : semi;
        const QByteArrayView value = trimFws(text.sliced(pos, valueEnd - pos));
        for (char c : value) {
            const auto u = uchar(c);
            if (!isFws(c) && (u < 0x21 || u == 0x7f))
                return bad(QStringLiteral("control character in %1=").arg(latin(name)));
        }
        if (findTag(tags, name.toByteArray().constData()))
            return bad(QStringLiteral("duplicate tag %1=").arg(latin(name)));
        if (tags.size() >= kMaxTags)
            return bad(QStringLiteral("too many tags"));
        Tag tag;
        tag.name = name.toByteArray();
        tag.value = value.toByteArray();
        tag.valueStart = pos;
        tag.valueEnd = valueEnd;
        tags.append(std::move(tag));
        if (semi < 0)
            break;
        pos = semi + 1;
    }
    return tags;
}

Result<QByteArray> decodeBase64Value(QByteArrayView value)
{
    QByteArray compact;
    compact.reserve(value.size());
    for (char c : value) {
        if (isFws(c))
            continue;
        if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '/' && c != '=')
            return bad(QStringLiteral("not base64"));
        compact.append(c);
    }
    auto decoded = QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return bad(QStringLiteral("not base64"));
    return *decoded;
}

bool isDnsName(QByteArrayView name, bool needDot)
{
    if (name.isEmpty() || name.size() > 253)
        return false;
    int labels = 0;
    qsizetype labelLen = 0;
    for (char c : name) {
        if (c == '.') {
            if (labelLen == 0)
                return false;
            ++labels;
            labelLen = 0;
            continue;
        }
        if (!isAlpha(c) && !isDigit(c) && c != '-' && c != '_')
            return false;
        if (++labelLen > 63)
            return false;
    }
    if (labelLen == 0)
        return false;
    return !needDot || labels >= 1;
}

/*
 * RFC 6376 §3.5 and §6.1.1: v=, a=, b=, bh=, d=, h= and s= are required;
 * v= must be "1"; h= must name From; i= must be d= or a subdomain of it;
 * q= must offer dns/txt; x= must not be before t=. RFC 8301 §3.1: rsa-sha1
 * signatures are not valid. Expiry against the clock is the caller's check.
 */
Result<Signature> parseSignature(QByteArrayView rawField, SignatureInfo *info)
{
    if (rawField.size() > kMaxSignatureField)
        return bad(QStringLiteral("signature field too large"));
    const qsizetype colon = rawField.indexOf(':');
    if (colon < 0)
        return bad(QStringLiteral("not a header field"));
    auto parsed = parseTagList(rawField, colon + 1);
    if (!parsed)
        return parsed.error();
    const QList<Tag> &tags = parsed.value();

    Signature sig;
    const Tag *d = findTag(tags, "d");
    const Tag *s = findTag(tags, "s");
    const Tag *a = findTag(tags, "a");
    const Tag *i = findTag(tags, "i");
    if (d)
        sig.domain = QString::fromUtf8(d->value).toLower();
    if (s)
        sig.selector = QString::fromUtf8(s->value).toLower();
    if (a)
        sig.algorithmName = QString::fromUtf8(a->value);
    sig.identity = i ? QString::fromUtf8(i->value) : QStringLiteral("@") + sig.domain;
    if (info)
        *info = SignatureInfo { sig.domain, sig.selector, sig.algorithmName, sig.identity };

    for (const char *required : { "v", "a", "b", "bh", "d", "h", "s" })
        if (!findTag(tags, required))
            return bad(QStringLiteral("missing tag %1=").arg(QLatin1String(required)));

    if (findTag(tags, "v")->value != "1")
        return bad(QStringLiteral("unsupported version v=%1").arg(latin(findTag(tags, "v")->value)));

    if (a->value.compare("rsa-sha256", Qt::CaseInsensitive) == 0)
        sig.algorithm = Algorithm::RsaSha256;
    else if (a->value.compare("ed25519-sha256", Qt::CaseInsensitive) == 0)
        sig.algorithm = Algorithm::Ed25519Sha256;
    else if (a->value.compare("rsa-sha1", Qt::CaseInsensitive) == 0)
        return bad(QStringLiteral("rsa-sha1 is not accepted (RFC 8301)"));
    else
        return bad(QStringLiteral("unknown algorithm a=%1").arg(latin(a->value)));

    if (!isDnsName(d->value, true))
        return bad(QStringLiteral("bad domain d="));
    if (!isDnsName(s->value, false))
        return bad(QStringLiteral("bad selector s="));

    if (const Tag *c = findTag(tags, "c")) {
        const qsizetype slash = c->value.indexOf('/');
        const QByteArrayView head = slash < 0 ? QByteArrayView(c->value) : QByteArrayView(c->value).first(slash);
        const QByteArrayView body = slash < 0 ? QByteArrayView("simple") : QByteArrayView(c->value).sliced(slash + 1);
        const auto mode = [](QByteArrayView m) -> std::optional<bool> {
            if (m.compare("relaxed", Qt::CaseInsensitive) == 0)
                return true;
            if (m.compare("simple", Qt::CaseInsensitive) == 0)
                return false;
            return std::nullopt;
        };
        const auto hm = mode(head);
        const auto bm = mode(body);
        if (!hm || !bm)
            return bad(QStringLiteral("unknown canonicalization c=%1").arg(latin(c->value)));
        sig.relaxedHeader = *hm;
        sig.relaxedBody = *bm;
    }

    const QList<QByteArrayView> names = splitColons(findTag(tags, "h")->value);
    if (names.size() > kMaxSignedFields)
        return bad(QStringLiteral("too many fields in h="));
    for (QByteArrayView n : names) {
        if (!mime::isFieldName(n))
            return bad(QStringLiteral("bad field name in h="));
        sig.headers.append(n.toByteArray().toLower());
    }
    if (!sig.headers.contains("from"))
        return bad(QStringLiteral("From is not signed"));

    sig.identityDomain = sig.domain;
    if (i) {
        const qsizetype at = i->value.lastIndexOf('@');
        if (at < 0)
            return bad(QStringLiteral("i= has no @"));
        const QByteArrayView idDomain = QByteArrayView(i->value).sliced(at + 1);
        if (!isDnsName(idDomain, true))
            return bad(QStringLiteral("bad domain in i="));
        sig.identityDomain = latin(idDomain).toLower();
        if (sig.identityDomain != sig.domain && !sig.identityDomain.endsWith(QString(QLatin1Char('.') + sig.domain)))
            return bad(QStringLiteral("i= is not in the d= domain"));
    }

    if (const Tag *q = findTag(tags, "q"))
        if (!containsItem(splitColons(q->value), "dns/txt"))
            return bad(QStringLiteral("q= does not offer dns/txt"));

    const auto number = [&](const char *name, qint64 *out, int maxDigits) {
        const Tag *t = findTag(tags, name);
        if (!t)
            return true;
        const auto n = parseNumber(t->value, maxDigits);
        if (!n)
            return false;
        *out = *n;
        return true;
    };
    if (!number("l", &sig.bodyLength, 18))
        return bad(QStringLiteral("bad l="));
    if (!number("t", &sig.timestamp, 15))
        return bad(QStringLiteral("bad t="));
    if (!number("x", &sig.expiry, 15))
        return bad(QStringLiteral("bad x="));
    if (sig.timestamp >= 0 && sig.expiry >= 0 && sig.expiry < sig.timestamp)
        return bad(QStringLiteral("x= is before t="));

    auto bh = decodeBase64Value(findTag(tags, "bh")->value);
    if (!bh || bh->size() != 32)
        return bad(QStringLiteral("bh= is not a SHA-256 hash in base64"));
    sig.bodyHash = bh.value();
    const Tag *b = findTag(tags, "b");
    auto bv = decodeBase64Value(b->value);
    if (!bv || bv->isEmpty() || bv->size() > 1024)
        return bad(QStringLiteral("b= is not a signature in base64"));
    sig.signature = bv.value();
    sig.bValueStart = b->valueStart;
    sig.bValueEnd = b->valueEnd;
    return sig;
}

/*
 * RFC 6376 §3.6.1: v= (if present, first and "DKIM1"), h= (acceptable hash
 * algorithms), k= (key type, default rsa), n= (notes), p= (public key data,
 * "An empty value means that this public key has been revoked"), s= (service
 * types, "*" or "email"), t= (flags y and s). Unknown tags are ignored.
 */
Result<KeyRecord> parseKeyRecord(QByteArrayView txt)
{
    if (txt.size() > kMaxKeyRecord)
        return bad(QStringLiteral("key record too large"));
    auto parsed = parseTagList(txt);
    if (!parsed)
        return bad(QStringLiteral("key record syntax error"));
    const QList<Tag> &tags = parsed.value();
    KeyRecord key;
    if (const Tag *v = findTag(tags, "v"))
        if (tags.first().name != "v" || v->value != "DKIM1")
            return bad(QStringLiteral("key record is not DKIM1"));
    if (const Tag *h = findTag(tags, "h"))
        if (!containsItem(splitColons(h->value), "sha256"))
            return bad(QStringLiteral("key does not allow sha256"));
    if (const Tag *k = findTag(tags, "k")) {
        if (k->value.compare("rsa", Qt::CaseInsensitive) == 0)
            key.type = KeyType::Rsa;
        else if (k->value.compare("ed25519", Qt::CaseInsensitive) == 0)
            key.type = KeyType::Ed25519;
        else
            return bad(QStringLiteral("unknown key type k=%1").arg(latin(k->value)));
    }
    if (const Tag *s = findTag(tags, "s")) {
        const QList<QByteArrayView> services = splitColons(s->value);
        if (!containsItem(services, "*") && !containsItem(services, "email"))
            return bad(QStringLiteral("key is not for email"));
    }
    if (const Tag *t = findTag(tags, "t")) {
        const QList<QByteArrayView> flags = splitColons(t->value);
        key.testing = containsItem(flags, "y");
        key.strict = containsItem(flags, "s");
    }
    const Tag *p = findTag(tags, "p");
    if (!p)
        return bad(QStringLiteral("key record has no p="));
    auto data = decodeBase64Value(p->value);
    if (!data)
        return bad(QStringLiteral("key p= is not base64"));
    key.publicKey = data.value();
    return key;
}

} // namespace mailroom::mailauth::dkim
