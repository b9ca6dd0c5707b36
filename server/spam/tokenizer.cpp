// Tokenizer for Bayes: walks the MIME tree once, decodes each text part
// within a shared budget and feeds words and tagged tokens to a sink that
// either hashes them (classification, training) or keeps their text (tests,
// the "why" view).
// Trust level: parses input from the Internet; every loop is bounded by the
// message size and the limits.
#include "spam/tokenizer.h"

#include <algorithm>

#include <QSet>
#include <QStringList>

#include "mime/decode.h"
#include "mime/encodedword.h"
#include "mime/part.h"
#include "mime/plaintext.h"

namespace mailroom::spam
{

namespace
{

constexpr quint64 kFnvOffset = 14695981039346656037ULL;
constexpr quint64 kFnvPrime = 1099511628211ULL;
constexpr qsizetype kMinWord = 3;
constexpr qsizetype kMaxWord = 40;

inline quint64 fnvChar(quint64 h, char16_t c)
{
    h = (h ^ (c & 0xff)) * kFnvPrime;
    return (h ^ (c >> 8)) * kFnvPrime;
}

inline char16_t lower(char16_t c)
{
    if (c < 0x80)
        return (c >= u'A' && c <= u'Z') ? char16_t(c + 32) : c;
    return QChar(c).toLower().unicode();
}

class Sink
{
public:
    virtual ~Sink() = default;
    virtual void add(QStringView prefix, QStringView text) = 0;
    virtual bool full() const = 0;
};

// Keeps each distinct hash once as it comes, in an open-addressing set: a
// 100 KB message gives some 30,000 tokens but only a few thousand distinct
// ones, and collecting them all to sort and deduplicate at the end was half
// of the tokenizer's time.
class HashSink : public Sink
{
public:
    explicit HashSink(int max)
        : m_max(max)
    {
        m_slots.assign(1024, 0);
    }
    void add(QStringView prefix, QStringView text) override
    {
        if (full())
            return;
        const quint64 h = tokenHash(prefix, text);
        if (h == 0) { // the empty-slot marker, kept aside
            m_used += m_zero ? 0 : 1;
            m_zero = true;
            return;
        }
        // At most half full, so a probe always ends at an empty slot.
        if (place(h) && ++m_used * 2 > qsizetype(m_slots.size())) {
            std::vector<quint64> old(m_slots.size() * 2, 0);
            old.swap(m_slots);
            for (quint64 k : old)
                if (k != 0)
                    place(k);
        }
    }
    bool full() const override
    {
        return m_used >= m_max;
    }
    std::vector<quint64> take()
    {
        std::vector<quint64> out;
        out.reserve(size_t(m_used));
        if (m_zero)
            out.push_back(0);
        for (quint64 h : m_slots)
            if (h != 0)
                out.push_back(h);
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    // Puts h in its slot; false when it was there already.
    bool place(quint64 h)
    {
        const size_t mask = m_slots.size() - 1;
        size_t i = size_t(h * 0x9E3779B97F4A7C15ULL >> 32) & mask;
        while (m_slots[i] != 0) {
            if (m_slots[i] == h)
                return false;
            i = (i + 1) & mask;
        }
        m_slots[i] = h;
        return true;
    }
    int m_max;
    qsizetype m_used = 0;
    bool m_zero = false;
    std::vector<quint64> m_slots;
};

class TextSink : public Sink
{
public:
    explicit TextSink(int max)
        : m_max(max)
    {
    }
    void add(QStringView prefix, QStringView text) override
    {
        if (full())
            return;
        const quint64 h = tokenHash(prefix, text);
        if (!m_seen.contains(h)) {
            m_seen.insert(h);
            m_out.append({ prefix.toString() + text.toString().toLower(), h });
        }
    }
    bool full() const override
    {
        return m_out.size() >= m_max;
    }
    QList<Token> m_out;

private:
    int m_max;
    QSet<quint64> m_seen;
};

inline bool wordChar(QChar c)
{
    const char16_t u = c.unicode();
    if (u < 0x80)
        return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'$'
            || u == u'\'' || u == u'.' || u == u'-' || u == u'_' || u == u'!';
    return c.isLetterOrNumber();
}

inline bool edgeChar(QChar c)
{
    const char16_t u = c.unicode();
    return u == u'.' || u == u'-' || u == u'\'' || u == u'_';
}

// Words of text: runs of letters, digits and $'.-_! with the punctuation
// trimmed from both ends, and each body word with the one before it. Too short is dropped; too long becomes a token
// for its length, which says something about encoded junk.
void words(QStringView prefix, QStringView text, Sink &sink)
{
    const qsizetype n = text.size();
    qsizetype i = 0;
    QStringView previous;
    QString pair;
    while (i < n && !sink.full()) {
        while (i < n && !wordChar(text[i]))
            ++i;
        qsizetype start = i;
        while (i < n && wordChar(text[i]))
            ++i;
        qsizetype end = i;
        while (start < end && edgeChar(text[start]))
            ++start;
        while (end > start && (edgeChar(text[end - 1]) || text[end - 1] == u'!'))
            --end;
        // "free!!!" keeps one '!': shouting is a signal, how much is noise.
        if (end < i && text[end] == u'!' && end - start >= kMinWord)
            ++end;
        const qsizetype len = end - start;
        if (len < kMinWord)
            continue;
        if (len > kMaxWord) {
            sink.add(prefix, QString(QStringLiteral("skip:%1")).arg(qMin<qsizetype>(len / 10, 20)));
            continue;
        }
        sink.add(prefix, text.mid(start, len));
        // Body words in pairs as well ("click here", "unsubscribe from"):
        // on the evaluation corpus they halve the ranking errors.
        if (prefix.isEmpty()) {
            if (!previous.isEmpty()) {
                pair.clear();
                pair += previous;
                pair += u' ';
                pair += text.mid(start, len);
                sink.add(u"", pair);
            }
            previous = text.mid(start, len);
        }
    }
}

// The length of the link scheme at text[i] ("http://", "https://" or "www.",
// in any case), 0 when none starts there. No other character folds to one of
// these ASCII letters, so the test is a bit flip and a compare.
inline qsizetype schemeAt(QStringView text, qsizetype i)
{
    static constexpr QLatin1StringView schemes[]
        = { QLatin1StringView("http://"), QLatin1StringView("https://"), QLatin1StringView("www.") };
    const char16_t first = text[i].unicode() | 0x20;
    if (first != u'h' && first != u'w')
        return 0;
    for (const QLatin1StringView scheme : schemes)
        if (char16_t(scheme.front().unicode()) == first && text.size() - i >= scheme.size()
            && text.sliced(i, scheme.size()).compare(scheme, Qt::CaseInsensitive) == 0)
            return scheme.size();
    return 0;
}

// The host of every http(s):// or www. link in text, in one pass: a plain
// scan for the schemes' first letters, not one case-insensitive search per
// scheme (Qt's folds every character, and the three passes were about 4% of
// the engine's CPU time for 100 KB messages with the filter on).
void urlHosts(QStringView text, Sink &sink, int &budget)
{
    for (qsizetype at = 0; at < text.size(); ++at) {
        const qsizetype schemeLength = schemeAt(text, at);
        if (schemeLength == 0)
            continue;
        if (budget <= 0 || sink.full())
            return;
        const qsizetype start = at + ((text[at].unicode() | 0x20) == u'w' ? 0 : schemeLength);
        qsizetype end = start;
        while (end < text.size() && end - start < 255) {
            const QChar c = text[end];
            if (!(c.isLetterOrNumber() || c == u'.' || c == u'-'))
                break;
            ++end;
        }
        // Go on after the host ("http://www.x" is one link, not two).
        at = qMax(end, at + 1) - 1;
        // "user:pass@host" hides the host behind an @ in the authority.
        if (end < text.size() && text[end] == u'@')
            continue;
        QStringView host = text.mid(start, end - start);
        while (host.endsWith(u'.'))
            host.chop(1);
        if (host.isEmpty())
            continue;
        --budget;
        sink.add(u"url:", host);
        // The registered part too: "click.mailer.example.com" and
        // "example.com" then count together.
        const qsizetype last = host.lastIndexOf(u'.');
        if (last > 0) {
            const qsizetype prev = host.lastIndexOf(u'.', last - 1);
            if (prev >= 0)
                sink.add(u"url:", host.mid(prev + 1));
        }
        bool numeric = true;
        for (QChar c : host)
            numeric = numeric && (c.isDigit() || c == u'.');
        if (numeric)
            sink.add(u"url:", u"numeric-host");
    }
}

// Tag names of an HTML text, once each: <font>, <table>, <img> tell apart
// newsletters, hand-written mail and image spam.
void htmlTags(QStringView html, Sink &sink)
{
    QSet<QString> seen;
    qsizetype i = 0;
    while ((i = html.indexOf(u'<', i)) >= 0 && seen.size() < 64 && !sink.full()) {
        ++i;
        qsizetype e = i;
        while (e < html.size() && e - i < 12 && html[e].isLetterOrNumber())
            ++e;
        if (e > i && e - i < 12) {
            const QString tag = html.mid(i, e - i).toString().toLower();
            if (!seen.contains(tag)) {
                seen.insert(tag);
                sink.add(u"html:", tag);
            }
        }
    }
}

// Which header fields become tokens, and under which prefix. Fields not
// named here give only a token for their name (odd X- fields are a sign of
// bulk software). Fields we add ourselves are skipped, or training on a
// filtered message would learn the filter's own verdict.
struct HeaderRule {
    const char *name;
    const char16_t *prefix; // null: skipped entirely
};
const HeaderRule kHeaderRules[] = {
    { "subject", u"subject:" },
    { "from", u"from:" },
    { "sender", u"from:" },
    { "reply-to", u"reply:" },
    { "return-path", u"rpath:" },
    { "to", u"to:" },
    { "cc", u"to:" },
    { "received", u"rcvd:" },
    { "message-id", u"mid:" },
    { "x-mailer", u"mailer:" },
    { "user-agent", u"mailer:" },
    { "content-type", u"ct:" },
    { "content-transfer-encoding", u"cte:" },
    { "mime-version", u"mime:" },
    { "precedence", u"prec:" },
    { "list-id", u"list:" },
    { "x-priority", u"prio:" },
    { "x-msmail-priority", u"prio:" },
    { "importance", u"prio:" },
    { "organization", u"org:" },
    { "date", nullptr },
    { "delivery-date", nullptr },
    { "authentication-results", nullptr },
    { "received-spf", nullptr },
    { "arc-authentication-results", nullptr },
    { "dkim-signature", nullptr },
    { "x-mailroom-queue-id", nullptr },
};

const HeaderRule *headerRule(const QByteArray &lowerName)
{
    for (const HeaderRule &r : kHeaderRules)
        if (lowerName == r.name)
            return &r;
    return nullptr;
}

struct Walker {
    const QByteArray &msg;
    const TokenizerLimits &limits;
    Sink &sink;
    qsizetype budget;
    int urlBudget = 500;
    int parts = 0;

    void headers(const mime::HeaderBlock &block)
    {
        qsizetype bytes = 0;
        for (const mime::HeaderField &f : block.fields) {
            if (sink.full() || bytes > limits.maxHeaderBytes)
                return;
            bytes += f.name.size() + f.value.size();
            const QByteArray name = f.name.toLower();
            if (name.startsWith("x-spam-") || name.startsWith("x-mailroom-"))
                continue;
            const HeaderRule *rule = headerRule(name);
            if (rule && !rule->prefix)
                continue;
            if (!rule) {
                sink.add(u"hname:", QString::fromLatin1(name.left(60)));
                continue;
            }
            const QString value = mime::decodeUnstructured(f.value.left(4096));
            words(QStringView(rule->prefix), value, sink);
            if (name == "subject" || name == "from" || name == "reply-to")
                urlHosts(value, sink, urlBudget);
        }
    }

    void textPart(const mime::Part &p)
    {
        if (budget <= 0)
            return;
        const qsizetype take = qMin(p.bodySize(), budget * 4 + 4);
        const QString text = mime::toText(
            mime::decodeTransfer(msg.mid(p.bodyStart, take), p.transferEncoding), p.contentType.param("charset"));
        if (p.contentType.subtype == "html") {
            const QStringView html = QStringView(text).left(budget * 2);
            urlHosts(html, sink, urlBudget);
            htmlTags(html, sink);
            const QString plain = mime::htmlToText(html.toString());
            words(u"", QStringView(plain).left(budget), sink);
            budget -= qMin(budget, plain.size());
        } else {
            const QStringView plain = QStringView(text).left(budget);
            urlHosts(plain, sink, urlBudget);
            words(u"", plain, sink);
            budget -= plain.size();
        }
    }

    void walk(const mime::Part &p, bool top)
    {
        if (++parts > limits.maxParts || sink.full())
            return;
        if (!top) {
            sink.add(u"part:", QString::fromLatin1(p.contentType.type + '/' + p.contentType.subtype));
            if (!p.transferEncoding.isEmpty() && p.transferEncoding != "7bit")
                sink.add(u"part-cte:", QString::fromLatin1(p.transferEncoding.left(30)));
        }
        const bool text
            = p.contentType.type == "text" && (p.contentType.subtype == "plain" || p.contentType.subtype == "html");
        if (p.disposition == "attachment" || (!text && p.children.isEmpty() && p.contentType.type != "message")) {
            QByteArray file = p.dispositionParams.value("filename");
            if (file.isEmpty())
                file = p.contentType.param("name");
            const qsizetype dot = file.lastIndexOf('.');
            if (dot >= 0 && file.size() - dot <= 8)
                sink.add(u"att-ext:", QString::fromUtf8(file.mid(dot + 1)));
            if (!text)
                return;
        }
        if (text && p.children.isEmpty()) {
            textPart(p);
            return;
        }
        for (const mime::Part &c : p.children) {
            if (c.contentType.type == "message" && !c.children.isEmpty())
                headers(c.children.first().headers);
            walk(c, false);
        }
    }
};

void run(const QByteArray &message, const mime::Part &root, const TokenizerLimits &limits, Sink &sink)
{
    Walker w { message, limits, sink, limits.maxTextChars };
    w.headers(root.headers);
    w.walk(root, true);
}

} // namespace

quint64 tokenHash(QStringView prefix, QStringView text)
{
    quint64 h = kFnvOffset;
    for (QChar c : prefix)
        h = fnvChar(h, c.unicode());
    h = fnvChar(h, 0); // "ab"+"c" and "a"+"bc" differ
    for (QChar c : text)
        h = fnvChar(h, lower(c.unicode()));
    return h;
}

mime::Part parseForTokens(const QByteArray &message, const TokenizerLimits &limits)
{
    return mime::parseMessage(message, 8, limits.maxParts);
}

std::vector<quint64> tokenize(const QByteArray &message, const TokenizerLimits &limits)
{
    return tokenize(message, parseForTokens(message, limits), limits);
}

std::vector<quint64> tokenize(const QByteArray &message, const mime::Part &root, const TokenizerLimits &limits)
{
    HashSink sink(limits.maxTokens);
    run(message, root, limits, sink);
    return sink.take();
}

QList<Token> tokenTexts(const QByteArray &message, const TokenizerLimits &limits)
{
    TextSink sink(limits.maxTokens);
    run(message, parseForTokens(message, limits), limits, sink);
    return sink.m_out;
}

} // namespace mailroom::spam
