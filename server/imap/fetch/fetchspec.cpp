// fetch-att parsing. The command reader keeps an item with its [section]
// and <partial> as one atom, so the bracket and partial syntax is parsed
// here. RFC 9051 §9, RFC 3501 §9 (RFC822.*), RFC 3516 §7 (BINARY),
// RFC 7162 §7 (MODSEQ). Trust level: parses input from the Internet.
#include "imap/fetch/fetchspec.h"

#include <limits>

namespace mailroom::imap
{

namespace
{

bool fail(QByteArray *error, const char *reason)
{
    if (error)
        *error = reason;
    return false;
}

// number64 = 1*DIGIT (up to 2^63-1); nz-number64 = digit-nz *DIGIT
bool parseNumber64(QByteArrayView text, bool nonZero, qint64 *out)
{
    if (text.isEmpty() || (nonZero && text.at(0) == '0'))
        return false;
    qint64 n = 0;
    for (char c : text) {
        if (c < '0' || c > '9' || n > (std::numeric_limits<qint64>::max() - (c - '0')) / 10)
            return false;
        n = n * 10 + (c - '0');
    }
    *out = n;
    return true;
}

// partial = "<" number64 "." nz-number64 ">"
bool parsePartial(QByteArrayView text, BodyItem *item)
{
    if (text.size() < 5 || text.front() != '<' || text.back() != '>')
        return false;
    const QByteArrayView inner = text.sliced(1, text.size() - 2);
    const qsizetype dot = inner.indexOf('.');
    return dot > 0 && parseNumber64(inner.first(dot), false, &item->partialStart)
        && parseNumber64(inner.sliced(dot + 1), true, &item->partialLength);
}

bool simpleAtt(QByteArrayView name, FetchSpec *out)
{
    const auto is = [&name](const char *s) { return name.compare(QByteArrayView(s), Qt::CaseInsensitive) == 0; };
    if (is("ENVELOPE"))
        out->envelope = true;
    else if (is("FLAGS"))
        out->flags = true;
    else if (is("INTERNALDATE"))
        out->internalDate = true;
    else if (is("RFC822.SIZE"))
        out->rfc822Size = true;
    else if (is("BODY"))
        out->body = true;
    else if (is("BODYSTRUCTURE"))
        out->bodyStructure = true;
    else if (is("UID"))
        out->uid = true;
    else if (is("MODSEQ"))
        out->modseq = true;
    else if (is("RFC822"))
        out->items.append({ BodyItem::Rfc822, {}, -1, -1 });
    else if (is("RFC822.HEADER"))
        out->items.append({ BodyItem::Rfc822Header, { {}, Section::Text::Header, {} }, -1, -1 });
    else if (is("RFC822.TEXT"))
        out->items.append({ BodyItem::Rfc822Text, { {}, Section::Text::Text, {} }, -1, -1 });
    else
        return false;
    return true;
}

bool macro(const Arg &arg, FetchSpec *out)
{
    const bool fast = arg.is("FAST");
    const bool all = arg.is("ALL");
    const bool full = arg.is("FULL");
    if (!fast && !all && !full)
        return false;
    // ALL = (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE), FAST = (FLAGS
    // INTERNALDATE RFC822.SIZE), FULL = ALL + BODY (RFC 9051 §6.4.5).
    out->flags = out->internalDate = out->rfc822Size = true;
    if (all || full)
        out->envelope = true;
    if (full)
        out->body = true;
    return true;
}

} // namespace

bool BodyItem::setsSeen() const
{
    return kind == Body || kind == Binary || kind == Rfc822 || kind == Rfc822Text;
}

bool FetchSpec::setsSeen() const
{
    for (const BodyItem &item : items)
        if (item.setsSeen())
            return true;
    return false;
}

bool FetchSpec::needsContent() const
{
    return !items.isEmpty() || needsParse();
}

bool FetchSpec::needsParse() const
{
    if (envelope || body || bodyStructure)
        return true;
    for (const BodyItem &item : items)
        if (!item.section.part.isEmpty() || item.section.text != Section::Text::Full)
            return true;
    return false;
}

/*
 *   fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822.SIZE" /
 *               "RFC822" [".HEADER" / ".TEXT"] /            ; RFC 3501
 *               "BODY" ["STRUCTURE"] / "UID" / "MODSEQ" /   ; RFC 7162
 *               "BODY" section [partial] / "BODY.PEEK" section [partial] /
 *               "BINARY" [".PEEK"] section-binary [partial] /
 *               "BINARY.SIZE" section-binary
 *   section        = "[" [section-spec] "]"
 *   section-binary = "[" [section-part] "]"
 */
bool parseFetchAtt(QByteArrayView text, FetchSpec *out, QByteArray *error)
{
    const qsizetype open = text.indexOf('[');
    if (open < 0) {
        if (!simpleAtt(text, out))
            return fail(error, "Unknown fetch attribute");
        return true;
    }
    const QByteArrayView name = text.first(open);
    const auto is = [&name](const char *s) { return name.compare(QByteArrayView(s), Qt::CaseInsensitive) == 0; };
    BodyItem item;
    if (is("BODY"))
        item.kind = BodyItem::Body;
    else if (is("BODY.PEEK"))
        item.kind = BodyItem::BodyPeek;
    else if (is("BINARY"))
        item.kind = BodyItem::Binary;
    else if (is("BINARY.PEEK"))
        item.kind = BodyItem::BinaryPeek;
    else if (is("BINARY.SIZE"))
        item.kind = BodyItem::BinarySize;
    else
        return fail(error, "Unknown fetch attribute");
    const qsizetype close = findSectionEnd(text, open + 1);
    if (close < 0)
        return fail(error, "Missing ] after the section");
    if (!parseSection(text.sliced(open + 1, close - open - 1), &item.section, error))
        return false;
    if (item.isBinary() && item.section.text != Section::Text::Full)
        return fail(error, "BINARY takes part numbers only");
    const QByteArrayView rest = text.sliced(close + 1);
    if (!rest.isEmpty() && (item.kind == BodyItem::BinarySize || !parsePartial(rest, &item)))
        return fail(error, "Invalid partial range");
    out->items.append(std::move(item));
    return true;
}

bool parseFetchAtts(const Args &args, int index, FetchSpec *out, QByteArray *error)
{
    if (index < 0 || index >= args.size())
        return fail(error, "Missing fetch attributes");
    const Arg &arg = args.at(index);
    if (arg.isAtom())
        return macro(arg, out) || parseFetchAtt(arg.text, out, error);
    if (!arg.isList())
        return fail(error, "Invalid fetch attributes");
    if (arg.children.isEmpty())
        return fail(error, "Empty fetch attribute list");
    for (const Arg &child : arg.children) {
        if (!child.isAtom())
            return fail(error, "Invalid fetch attribute");
        if (!parseFetchAtt(child.text, out, error))
            return false;
    }
    return true;
}

} // namespace mailroom::imap
