// The SEARCH key parser: a recursive descent over the argument tree.
// RFC 9051 §6.4.4, §9 (search-key), RFC 4731 §3.1 (RETURN), RFC 7162 §3.1.5.
// Trust level: parses input from the Internet. Recursion is bounded by
// kMaxSearchDepth; the tree is reordered cheapest key first once parsed.
#include "imap/search/searchkey.h"

#include <algorithm>

namespace mailroom::imap
{

namespace
{

struct FlagKey {
    const char *name;
    quint32 set;
    quint32 clear;
};
const FlagKey kFlagKeys[] = {
    { "ANSWERED", FlagAnswered, 0 },
    { "DELETED", FlagDeleted, 0 },
    { "DRAFT", FlagDraft, 0 },
    { "FLAGGED", FlagFlagged, 0 },
    { "NEW", FlagRecent, FlagSeen }, // RECENT UNSEEN
    { "OLD", 0, FlagRecent }, // NOT RECENT
    { "RECENT", FlagRecent, 0 },
    { "SEEN", FlagSeen, 0 },
    { "UNANSWERED", 0, FlagAnswered },
    { "UNDELETED", 0, FlagDeleted },
    { "UNDRAFT", 0, FlagDraft },
    { "UNFLAGGED", 0, FlagFlagged },
    { "UNSEEN", 0, FlagSeen },
};

struct SystemFlag {
    const char *name;
    quint32 bit;
};
const SystemFlag kSystemFlags[] = { { "\\Seen", FlagSeen }, { "\\Answered", FlagAnswered },
    { "\\Flagged", FlagFlagged }, { "\\Deleted", FlagDeleted }, { "\\Draft", FlagDraft }, { "\\Recent", FlagRecent } };

struct NamedKind {
    const char *name;
    SearchKey::Kind kind;
    const char *field; // header keys
};
const NamedKind kStringKeys[] = {
    { "BCC", SearchKey::Kind::Header, "Bcc" },
    { "CC", SearchKey::Kind::Header, "Cc" },
    { "FROM", SearchKey::Kind::Header, "From" },
    { "SUBJECT", SearchKey::Kind::Header, "Subject" },
    { "TO", SearchKey::Kind::Header, "To" },
    { "BODY", SearchKey::Kind::Body, nullptr },
    { "TEXT", SearchKey::Kind::Text, nullptr },
};
const NamedKind kDateKeys[] = {
    { "BEFORE", SearchKey::Kind::Before, nullptr },
    { "ON", SearchKey::Kind::On, nullptr },
    { "SINCE", SearchKey::Kind::Since, nullptr },
    { "SENTBEFORE", SearchKey::Kind::SentBefore, nullptr },
    { "SENTON", SearchKey::Kind::SentOn, nullptr },
    { "SENTSINCE", SearchKey::Kind::SentSince, nullptr },
};

class KeyParser
{
public:
    explicit KeyParser(const Args &args)
        : m_args(args)
    {
    }

    // search-key at m_args[*i]; advances *i past it.
    bool key(qsizetype *i, int depth, SearchKey *out)
    {
        if (depth > kMaxSearchDepth)
            return fail("search criteria nested too deeply");
        if (*i >= m_args.size())
            return fail("missing search key");
        const Arg &a = m_args[(*i)++];
        if (a.isList()) {
            // "(" search-key *(SP search-key) ")"
            if (a.children.isEmpty())
                return fail("empty search key list");
            KeyParser inner(a.children);
            out->kind = SearchKey::Kind::And;
            for (qsizetype j = 0; j < a.children.size();) {
                SearchKey child;
                if (!inner.key(&j, depth + 1, &child))
                    return fail(inner.m_error);
                out->children.append(std::move(child));
            }
            return true;
        }
        if (!a.isAtom())
            return fail("search key expected");
        return atomKey(a, i, depth, out);
    }

    QByteArray m_error;

private:
    bool fail(const QByteArray &why)
    {
        if (m_error.isEmpty())
            m_error = why;
        return false;
    }

    const Arg *next(qsizetype *i)
    {
        return *i < m_args.size() ? &m_args[(*i)++] : nullptr;
    }

    // astring, as UTF-8 (US-ASCII is a subset; 8-bit bytes are read as UTF-8 too).
    bool string(qsizetype *i, QString *out)
    {
        const Arg *a = next(i);
        if (!a || !a->isAString())
            return fail("string expected");
        *out = QString::fromUtf8(a->text);
        return true;
    }

    bool atomKey(const Arg &a, qsizetype *i, int depth, SearchKey *out)
    {
        const QByteArray name = a.text.toUpper();
        for (const FlagKey &f : kFlagKeys) {
            if (name == f.name) {
                out->kind = SearchKey::Kind::Flags;
                out->flagsSet = f.set;
                out->flagsClear = f.clear;
                return true;
            }
        }
        for (const NamedKind &k : kStringKeys) {
            if (name == k.name) {
                out->kind = k.kind;
                out->field = k.field;
                if (!string(i, &out->text))
                    return false;
                out->text = out->text.toCaseFolded();
                return true;
            }
        }
        for (const NamedKind &k : kDateKeys) {
            if (name == k.name) {
                out->kind = k.kind;
                const Arg *d = next(i);
                return (d && toDate(*d, &out->date)) || fail("date expected");
            }
        }
        if (name == "ALL") {
            out->kind = SearchKey::Kind::All;
            return true;
        }
        if (name == "HEADER") {
            // "HEADER" SP header-fld-name SP astring
            out->kind = SearchKey::Kind::Header;
            QString field;
            if (!string(i, &field) || !string(i, &out->text))
                return false;
            if (field.isEmpty())
                return fail("empty header field name");
            out->field = field.toUtf8();
            out->text = out->text.toCaseFolded();
            return true;
        }
        if (name == "KEYWORD" || name == "UNKEYWORD")
            return keyword(name == "KEYWORD", i, out);
        if (name == "LARGER" || name == "SMALLER") {
            out->kind = name == "LARGER" ? SearchKey::Kind::Larger : SearchKey::Kind::Smaller;
            const Arg *n = next(i);
            return (n && toNumber(*n, &out->number)) || fail("number expected");
        }
        if (name == "UID") {
            out->kind = SearchKey::Kind::Uid;
            const Arg *s = next(i);
            return (s && s->isAtom() && SequenceSet::parse(s->text, &out->set)) || fail("sequence set expected");
        }
        if (name == "NOT") {
            out->kind = SearchKey::Kind::Not;
            out->children.resize(1);
            return key(i, depth + 1, &out->children[0]);
        }
        if (name == "OR") {
            out->kind = SearchKey::Kind::Or;
            out->children.resize(2);
            return key(i, depth + 1, &out->children[0]) && key(i, depth + 1, &out->children[1]);
        }
        if (name == "MODSEQ")
            return modseq(i, out);
        if (SequenceSet::parse(a.text, &out->set)) {
            out->kind = SearchKey::Kind::Sequence;
            return true;
        }
        return fail("unknown search key");
    }

    // "KEYWORD" SP flag-keyword; system flags are accepted for lenience.
    bool keyword(bool positive, qsizetype *i, SearchKey *out)
    {
        const Arg *k = next(i);
        if (!k || !k->isAtom() || k->text.isEmpty())
            return fail("keyword expected");
        if (k->text.startsWith('\\')) {
            for (const SystemFlag &f : kSystemFlags) {
                if (k->text.compare(f.name, Qt::CaseInsensitive) == 0) {
                    out->kind = SearchKey::Kind::Flags;
                    (positive ? out->flagsSet : out->flagsClear) = f.bit;
                    return true;
                }
            }
            return fail("keyword expected");
        }
        out->kind = positive ? SearchKey::Kind::Keyword : SearchKey::Kind::Unkeyword;
        out->text = QString::fromUtf8(k->text);
        return true;
    }

    //   search-modsequence = "MODSEQ" [search-modseq-ext] SP mod-sequence-valzer
    //   search-modseq-ext  = SP entry-name SP entry-type-req
    //   entry-name         = entry-flag-name
    //   entry-flag-name    = DQUOTE "/flags/" attr-flag DQUOTE
    //   entry-type-req     = entry-type-resp / "all"
    //   entry-type-resp    = "priv" / "shared"
    bool modseq(qsizetype *i, SearchKey *out)
    {
        out->kind = SearchKey::Kind::ModSeq;
        const Arg *a = next(i);
        if (a && a->isString()) {
            const Arg *type = next(i);
            if (!a->text.startsWith("/flags/") || a->text.size() <= 7 || !type
                || !(type->is("priv") || type->is("shared") || type->is("all")))
                return fail("bad MODSEQ entry");
            out->modseqEntry = a->text;
            out->modseqType = type->text.toLower();
            a = next(i);
        }
        return (a && toNumber(*a, &out->number)) || fail("mod-sequence expected");
    }

    const Args &m_args;
};

int costOf(SearchKey::Kind kind)
{
    switch (kind) {
    case SearchKey::Kind::Header:
    case SearchKey::Kind::SentBefore:
    case SearchKey::Kind::SentOn:
    case SearchKey::Kind::SentSince:
        return SearchKey::CostHeaders;
    case SearchKey::Kind::Body:
    case SearchKey::Kind::Text:
        return SearchKey::CostBody;
    default:
        return SearchKey::CostIndex;
    }
}

void flattenInto(QList<SearchKey> *flat, QList<SearchKey> *children)
{
    for (SearchKey &c : *children) {
        if (c.kind == SearchKey::Kind::And)
            flattenInto(flat, &c.children);
        else
            flat->append(std::move(c));
    }
}

// Flattens nested ANDs, sets costs and puts cheap keys first: AND and OR
// are commutative, and matches() short-circuits.
void finish(SearchKey *key)
{
    key->cost = costOf(key->kind);
    if (key->kind == SearchKey::Kind::And) {
        QList<SearchKey> flat;
        flattenInto(&flat, &key->children);
        key->children = std::move(flat);
    }
    for (SearchKey &c : key->children) {
        finish(&c);
        if (c.kind == SearchKey::Kind::And && c.children.size() == 1) {
            SearchKey only = std::move(c.children[0]); // "(SEEN)" is SEEN
            c = std::move(only);
        }
        key->cost = std::max(key->cost, c.cost);
    }
    std::stable_sort(key->children.begin(), key->children.end(),
        [](const SearchKey &a, const SearchKey &b) { return a.cost < b.cost; });
}

bool parseProgram(const Args &args, qsizetype i, SearchQuery *q, QByteArray *error)
{
    q->root = SearchKey();
    q->root.kind = SearchKey::Kind::And;
    KeyParser parser(args);
    while (i < args.size()) {
        SearchKey k;
        if (!parser.key(&i, 1, &k)) {
            *error = parser.m_error;
            return false;
        }
        q->root.children.append(std::move(k));
    }
    if (q->root.children.isEmpty()) {
        *error = "missing search key";
        return false;
    }
    finish(&q->root);
    return true;
}

bool takeCharset(const Arg &a, SearchQuery *q, QByteArray *error, bool *badCharset)
{
    if (!a.isAString()) {
        *error = "charset expected";
        return false;
    }
    const QByteArray cs = a.text.toUpper();
    if (cs != "UTF-8" && cs != "US-ASCII") {
        *error = "unsupported charset";
        if (badCharset)
            *badCharset = true;
        return false;
    }
    q->charset = cs;
    return true;
}

} // namespace

bool parseSearch(const Args &args, int start, SearchQuery *out, QByteArray *error, bool *badCharset)
{
    if (badCharset)
        *badCharset = false;
    SearchQuery q;
    qsizetype i = start;
    if (i < args.size() && args[i].is("RETURN")) {
        // search-return-opt = "MIN" / "MAX" / "ALL" / "COUNT"
        if (++i >= args.size() || !args[i].isList()) {
            *error = "RETURN options expected";
            return false;
        }
        q.esearch = true;
        static const struct {
            const char *name;
            int bit;
        } opts[] = { { "MIN", SearchQuery::ReturnMin }, { "MAX", SearchQuery::ReturnMax },
            { "ALL", SearchQuery::ReturnAll }, { "COUNT", SearchQuery::ReturnCount } };
        for (const Arg &o : args[i].children) {
            int bit = 0;
            for (const auto &opt : opts)
                if (o.is(opt.name))
                    bit = opt.bit;
            if (bit == 0) {
                *error = "unknown RETURN option";
                return false;
            }
            q.returnOptions |= bit;
        }
        if (q.returnOptions == 0)
            q.returnOptions = SearchQuery::ReturnAll; // RFC 4731 §3.1: "RETURN ()" is "RETURN (ALL)"
        ++i;
    }
    if (i < args.size() && args[i].is("CHARSET")) {
        if (++i >= args.size()) {
            *error = "charset expected";
            return false;
        }
        if (!takeCharset(args[i++], &q, error, badCharset))
            return false;
    }
    if (!parseProgram(args, i, &q, error))
        return false;
    *out = std::move(q);
    return true;
}

bool parseSearchCriteria(const Args &args, int start, SearchQuery *out, QByteArray *error, bool *badCharset)
{
    if (badCharset)
        *badCharset = false;
    SearchQuery q;
    if (start >= args.size()) {
        *error = "charset expected";
        return false;
    }
    if (!takeCharset(args[start], &q, error, badCharset) || !parseProgram(args, start + 1, &q, error))
        return false;
    *out = std::move(q);
    return true;
}

} // namespace mailroom::imap
