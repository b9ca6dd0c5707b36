// SEARCH evaluation: short-circuit AND / OR / NOT over a tree whose keys
// the parser already ordered cheapest first, with a per-call cache of the
// parsed message (header block, decoded fields, body text, sent date).
// RFC 9051 §6.4.4, RFC 2047, RFC 2045 §6 (transfer encodings), RFC 5322 §3.3.
// Trust level: evaluates input from the Internet; work per message is
// linear in its size, whatever the number of keys.
#include "imap/search/matcher.h"

#include <QHash>

#include "mime/datetime.h"
#include "mime/decode.h"
#include "mime/encodedword.h"
#include "mime/headers.h"
#include "mime/part.h"
#include "mime/plaintext.h"

namespace mailroom::imap
{

SearchSubject::~SearchSubject() = default;

namespace
{

// The message behind one subject, parsed on demand.
class MessageView
{
public:
    explicit MessageView(SearchSubject &subject)
        : m_subject(subject)
    {
    }

    struct Field {
        bool present = false;
        QString text; // all occurrences, decoded and case folded, joined by newlines
    };

    const Field &field(const QByteArray &name)
    {
        const QByteArray lower = name.toLower();
        auto it = m_fields.find(lower);
        if (it == m_fields.end()) {
            Field f;
            for (const mime::HeaderField &h : headers().fields) {
                if (h.name.compare(lower, Qt::CaseInsensitive) != 0)
                    continue;
                if (f.present)
                    f.text += QLatin1Char('\n');
                f.text += mime::decodeUnstructured(h.value);
                f.present = true;
            }
            f.text = f.text.toCaseFolded();
            it = m_fields.insert(lower, f);
        }
        return *it;
    }

    // "Name: value" lines of every field, decoded and case folded.
    const QString &headerText()
    {
        if (!m_haveHeaderText) {
            m_headerText = fieldsText(headers()).toCaseFolded();
            m_haveHeaderText = true;
        }
        return m_headerText;
    }

    const QString &bodyText()
    {
        if (!m_haveBody) {
            const QByteArray &msg = m_subject.message();
            const mime::Part root = mime::parseMessage(msg);
            QString text;
            collect(msg, root, &text);
            m_body = text.toCaseFolded();
            m_haveBody = true;
        }
        return m_body;
    }

    // The Date header's date as the sender wrote it (RFC 3501: "disregarding
    // time and timezone"), else the internal date's.
    QDate sentDate()
    {
        if (!m_haveSent) {
            int offset = 0;
            const QDateTime sent = mime::parseDateTime(headers().value("Date"), &offset);
            m_sent = sent.isValid() ? sent.addSecs(offset).date() : m_subject.internalDate().toUTC().date();
            m_haveSent = true;
        }
        return m_sent;
    }

private:
    const mime::HeaderBlock &headers()
    {
        if (!m_haveHeaders) {
            m_headers = mime::HeaderBlock::parse(m_subject.message(), nullptr);
            m_haveHeaders = true;
        }
        return m_headers;
    }

    static QString fieldsText(const mime::HeaderBlock &block)
    {
        QString text;
        for (const mime::HeaderField &f : block.fields) {
            text += QString::fromLatin1(f.name) + QLatin1String(": ") + mime::decodeUnstructured(f.value);
            text += QLatin1Char('\n');
        }
        return text;
    }

    // Text parts, decoded; an embedded message contributes its headers too,
    // as they are part of the enclosing body.
    static void collect(const QByteArray &msg, const mime::Part &p, QString *out)
    {
        if (!p.children.isEmpty()) {
            const bool embedded = p.contentType.type == "message";
            for (const mime::Part &c : p.children) {
                if (embedded)
                    *out += fieldsText(c.headers);
                collect(msg, c, out);
            }
            return;
        }
        if (p.contentType.type != "text")
            return;
        const QString text
            = mime::toText(mime::decodeTransfer(p.body(msg), p.transferEncoding), p.contentType.param("charset"));
        *out += p.contentType.subtype == "html" ? mime::htmlToText(text) : text;
        *out += QLatin1Char('\n');
    }

    SearchSubject &m_subject;
    mime::HeaderBlock m_headers;
    QHash<QByteArray, Field> m_fields;
    QString m_headerText;
    QString m_body;
    QDate m_sent;
    bool m_haveHeaders = false;
    bool m_haveHeaderText = false;
    bool m_haveBody = false;
    bool m_haveSent = false;
};

struct Evaluation {
    SearchSubject &subject;
    MessageView view;
    qint64 largestSeq;
    qint64 largestUid;

    bool eval(const SearchKey &k)
    {
        using Kind = SearchKey::Kind;
        switch (k.kind) {
        case Kind::And:
            for (const SearchKey &c : k.children)
                if (!eval(c))
                    return false;
            return true;
        case Kind::Or:
            return eval(k.children.at(0)) || eval(k.children.at(1));
        case Kind::Not:
            return !eval(k.children.at(0));
        case Kind::All:
            return true;
        case Kind::Flags: {
            const quint32 f = subject.flags();
            return (f & k.flagsSet) == k.flagsSet && (f & k.flagsClear) == 0;
        }
        case Kind::Keyword:
            return subject.keywords().contains(k.text, Qt::CaseInsensitive);
        case Kind::Unkeyword:
            return !subject.keywords().contains(k.text, Qt::CaseInsensitive);
        case Kind::Before:
            return subject.internalDate().toUTC().date() < k.date;
        case Kind::On:
            return subject.internalDate().toUTC().date() == k.date;
        case Kind::Since:
            return subject.internalDate().toUTC().date() >= k.date;
        case Kind::SentBefore:
            return view.sentDate() < k.date;
        case Kind::SentOn:
            return view.sentDate() == k.date;
        case Kind::SentSince:
            return view.sentDate() >= k.date;
        case Kind::Larger:
            return subject.size() > k.number;
        case Kind::Smaller:
            return subject.size() < k.number;
        case Kind::Sequence:
            return k.set.contains(subject.seq(), largestSeq);
        case Kind::Uid:
            return k.set.contains(subject.uid(), largestUid);
        case Kind::ModSeq:
            return subject.modseq() >= k.number;
        case Kind::Header: {
            // A cached first field answers a needle whose whitespace the
            // cache's collapsing cannot change; else the message is read.
            if (const QString *cached = subject.cachedField(k.field); cached && k.text == k.text.simplified())
                return cached->toCaseFolded().contains(k.text);
            const MessageView::Field &f = view.field(k.field);
            return f.present && f.text.contains(k.text);
        }
        case Kind::Body:
            return view.bodyText().contains(k.text);
        case Kind::Text:
            return view.headerText().contains(k.text) || view.bodyText().contains(k.text);
        }
        return false;
    }
};

} // namespace

bool matches(const SearchQuery &query, SearchSubject &subject, qint64 largestSeq, qint64 largestUid)
{
    Evaluation e { subject, MessageView(subject), largestSeq, largestUid };
    return e.eval(query.root);
}

} // namespace mailroom::imap
