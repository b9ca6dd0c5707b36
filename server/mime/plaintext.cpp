// Plain text extraction over the MIME tree, and a small HTML-to-text
// converter (not a full HTML parser: good enough for tokens and search).
// RFC 2046 §5.1.4, RFC 2045 §6; HTML character references.
// Trust level: parses input from the Internet. Each part's decoded input is
// cut to the remaining budget; the tree itself is bounded by parseMessage.
#include "mime/plaintext.h"

#include "mime/decode.h"
#include "mime/part.h"

namespace mailroom::mime
{

namespace
{

bool isBreakTag(QStringView name)
{
    static const char *const tags[] = { "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table" };
    for (const char *t : tags)
        if (name.compare(QLatin1String(t), Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

// "&name;" or "&#NN;" / "&#xHH;" at html[i]; appends the character and
// returns the length consumed, or 0 when it is not a known reference.
qsizetype decodeEntity(const QString &html, qsizetype i, QString *out)
{
    const qsizetype semi = html.indexOf(QLatin1Char(';'), i);
    if (semi < 0 || semi - i > 10)
        return 0;
    const QStringView name = QStringView(html).mid(i + 1, semi - i - 1);
    static const struct {
        const char *name;
        char16_t ch;
    } named[]
        = { { "amp", u'&' }, { "lt", u'<' }, { "gt", u'>' }, { "quot", u'"' }, { "apos", u'\'' }, { "nbsp", u' ' } };
    for (const auto &e : named) {
        if (name == QLatin1String(e.name)) {
            out->append(QChar(e.ch));
            return semi - i + 1;
        }
    }
    if (!name.startsWith(QLatin1Char('#')) || name.size() < 2)
        return 0;
    bool ok = false;
    const bool hex = name.at(1) == QLatin1Char('x') || name.at(1) == QLatin1Char('X');
    const uint code = name.mid(hex ? 2 : 1).toUInt(&ok, hex ? 16 : 10);
    if (!ok || code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        return 0;
    const char32_t c32 = char32_t(code);
    out->append(QString::fromUcs4(&c32, 1));
    return semi - i + 1;
}

struct Walker {
    const QByteArray &msg;
    qsizetype budget;
    QString out;

    void add(const QString &text)
    {
        if (budget <= 0 || text.isEmpty())
            return;
        if (!out.isEmpty()) {
            out += QLatin1Char('\n'); // the separator counts against the budget too
            --budget;
        }
        const QString t = text.left(budget);
        out += t;
        budget -= t.size();
    }

    void textPart(const Part &p)
    {
        // Decode no more input than the budget can use (base64: 4 bytes per 3).
        const qsizetype take = qMin(p.bodySize(), budget * 4 + 4);
        const QByteArray raw = msg.mid(p.bodyStart, take);
        const QString text = toText(decodeTransfer(raw, p.transferEncoding), p.contentType.param("charset"));
        add(p.contentType.subtype == "html" ? htmlToText(text) : text);
    }

    void walk(const Part &p)
    {
        if (budget <= 0 || p.disposition == "attachment")
            return;
        if (p.contentType.type == "text" && (p.contentType.subtype == "plain" || p.contentType.subtype == "html")) {
            textPart(p);
            return;
        }
        if (p.contentType.is("multipart", "alternative")) {
            // Prefer the plain version; fall back to the last (richest) one.
            for (const Part &c : p.children) {
                if (c.contentType.is("text", "plain")) {
                    walk(c);
                    return;
                }
            }
            if (!p.children.isEmpty())
                walk(p.children.last());
            return;
        }
        for (const Part &c : p.children)
            walk(c);
    }
};

} // namespace

QString htmlToText(const QString &html)
{
    QString out;
    out.reserve(html.size());
    qsizetype i = 0;
    const qsizetype n = html.size();
    while (i < n) {
        const QChar c = html.at(i);
        if (c == QLatin1Char('<')) {
            if (QStringView(html).mid(i, 4) == QLatin1String("<!--")) {
                const qsizetype endc = html.indexOf(QLatin1String("-->"), i + 4);
                i = endc < 0 ? n : endc + 3;
                continue;
            }
            const qsizetype close = html.indexOf(QLatin1Char('>'), i);
            if (close < 0)
                break;
            qsizetype nameStart = i + 1;
            if (nameStart < close && html.at(nameStart) == QLatin1Char('/'))
                ++nameStart;
            qsizetype nameEnd = nameStart;
            while (nameEnd < close && html.at(nameEnd).isLetterOrNumber())
                ++nameEnd;
            const QStringView name = QStringView(html).mid(nameStart, nameEnd - nameStart);
            const bool opening = nameStart == i + 1;
            i = close + 1;
            if (opening
                && (name.compare(QLatin1String("script"), Qt::CaseInsensitive) == 0
                    || name.compare(QLatin1String("style"), Qt::CaseInsensitive) == 0)) {
                const QString endTag = QLatin1String("</") + name.toString();
                const qsizetype e = html.indexOf(endTag, i, Qt::CaseInsensitive);
                i = e < 0 ? n : e;
                continue;
            }
            if (isBreakTag(name))
                out += QLatin1Char('\n');
            continue;
        }
        if (c == QLatin1Char('&')) {
            if (const qsizetype used = decodeEntity(html, i, &out)) {
                i += used;
                continue;
            }
        }
        out += c;
        ++i;
    }
    return out;
}

QString plainText(const QByteArray &msg, qsizetype maxBytes)
{
    return plainText(msg, parseMessage(msg), maxBytes);
}

QString plainText(const QByteArray &msg, const Part &root, qsizetype maxBytes)
{
    Walker w { msg, qMax(qsizetype(0), maxBytes), QString() };
    w.walk(root);
    return w.out;
}

} // namespace mailroom::mime
