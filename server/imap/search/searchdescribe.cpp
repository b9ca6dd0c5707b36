// Questions about a parsed SEARCH query (does it need the message, does it
// use MODSEQ) and its canonical text for tests and logs.
// RFC 9051 §6.4.4, RFC 7162 §3.1.5 (MODSEQ in the SEARCH response).
// Trust level: internal; works on a tree the parser already bounded.
#include "imap/search/searchkey.h"

namespace mailroom::imap
{

namespace
{

const char *const kFlagNames[] = { "SEEN", "ANSWERED", "FLAGGED", "DELETED", "DRAFT", "RECENT" }; // bit order

bool anyKey(const SearchKey &k, bool (*pred)(const SearchKey &))
{
    if (pred(k))
        return true;
    for (const SearchKey &c : k.children)
        if (anyKey(c, pred))
            return true;
    return false;
}

} // namespace

bool usesModSeq(const SearchQuery &query)
{
    return anyKey(query.root, [](const SearchKey &k) { return k.kind == SearchKey::Kind::ModSeq; });
}

bool needsHeaders(const SearchQuery &query)
{
    return query.root.cost >= SearchKey::CostHeaders;
}

bool needsBody(const SearchQuery &query)
{
    return query.root.cost >= SearchKey::CostBody;
}

QByteArray describe(const SearchKey &key)
{
    using Kind = SearchKey::Kind;
    static const char *const names[]
        = { "AND", "OR", "NOT", "ALL", "FLAGS", "KEYWORD", "UNKEYWORD", "HEADER", "BODY", "TEXT", "BEFORE", "ON",
              "SINCE", "SENTBEFORE", "SENTON", "SENTSINCE", "LARGER", "SMALLER", "SEQ", "UID", "MODSEQ" };
    // QByteArray, not auto: a QStringBuilder would outlive its temporaries.
    const auto quoted = [](const QString &s) -> QByteArray { return '"' + s.toUtf8() + '"'; };
    QByteArray out;
    switch (key.kind) {
    case Kind::And:
        for (const SearchKey &c : key.children)
            out += (out.isEmpty() ? "" : " ") + describe(c);
        return '(' + out + ')';
    case Kind::All:
        return "ALL";
    case Kind::Flags:
        for (int bit = 0; bit < 6; ++bit) {
            if (key.flagsSet & (1u << bit))
                out += (out.isEmpty() ? "" : "+") + QByteArray(kFlagNames[bit]);
            if (key.flagsClear & (1u << bit))
                out += (out.isEmpty() ? "UN" : "+UN") + QByteArray(kFlagNames[bit]);
        }
        return out;
    default:
        break;
    }
    out = names[int(key.kind)];
    switch (key.kind) {
    case Kind::Or:
    case Kind::Not:
        for (const SearchKey &c : key.children)
            out += ' ' + describe(c);
        return '(' + out + ')';
    case Kind::Keyword:
    case Kind::Unkeyword:
        return out + ' ' + key.text.toUtf8();
    case Kind::Header:
        return out + ' ' + key.field + ' ' + quoted(key.text);
    case Kind::Body:
    case Kind::Text:
        return out + ' ' + quoted(key.text);
    case Kind::Larger:
    case Kind::Smaller:
        return out + ' ' + QByteArray::number(key.number);
    case Kind::ModSeq:
        if (!key.modseqEntry.isEmpty())
            out += ' ' + key.modseqEntry + ' ' + key.modseqType;
        return out + ' ' + QByteArray::number(key.number);
    case Kind::Sequence:
    case Kind::Uid:
        return out + ' ' + key.set.toText();
    default: // dates
        return out + ' ' + key.date.toString(Qt::ISODate).toLatin1();
    }
}

} // namespace mailroom::imap
