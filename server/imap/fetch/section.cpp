// The section-spec parser and its canonical text for the response.
// RFC 9051 §9 (section, header-list, astring); RFC 7888 §4 (literal+).
// Strict where the grammar is strict (nz-number, keywords, a non-empty
// header-list), so a malformed item gets BAD rather than a guess.
// Trust level: parses input from the Internet; linear in its length.
#include "imap/fetch/section.h"

#include <limits>

#include "imap/fetch/format.h"

namespace mailroom::imap
{

namespace
{

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool fail(QByteArray *error, const char *reason)
{
    if (error)
        *error = reason;
    return false;
}

// literal = "{" number64 ["+"] "}" CRLF *CHAR8, starting at text[pos] == '{'.
// On success *pos is past the data and *value (may be null) holds it.
bool readLiteral(QByteArrayView text, qsizetype *pos, QByteArray *value)
{
    qsizetype i = *pos + 1;
    qint64 n = 0;
    const qsizetype digits = i;
    while (i < text.size() && isDigit(text.at(i))) {
        if (n > (std::numeric_limits<qint64>::max() - 9) / 10)
            return false;
        n = n * 10 + (text.at(i++) - '0');
    }
    if (i == digits)
        return false;
    if (i < text.size() && text.at(i) == '+')
        ++i;
    if (text.size() - i < 3 || text.at(i) != '}' || text.at(i + 1) != '\r' || text.at(i + 2) != '\n')
        return false;
    i += 3;
    if (n > text.size() - i)
        return false;
    if (value)
        *value = text.sliced(i, qsizetype(n)).toByteArray();
    *pos = i + qsizetype(n);
    return true;
}

// quoted = DQUOTE *QUOTED-CHAR DQUOTE, starting at text[pos] == '"'.
bool readQuoted(QByteArrayView text, qsizetype *pos, QByteArray *value)
{
    QByteArray out;
    for (qsizetype i = *pos + 1; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '"') {
            *pos = i + 1;
            if (value)
                *value = out;
            return true;
        }
        if (c == '\r' || c == '\n' || c == '\0')
            return false;
        if (c == '\\') {
            if (++i >= text.size() || (text.at(i) != '"' && text.at(i) != '\\'))
                return false;
        }
        out += text.at(i);
    }
    return false;
}

// header-fld-name = astring; astring = 1*ASTRING-CHAR / string
bool readAString(QByteArrayView text, qsizetype *pos, QByteArray *value)
{
    if (*pos >= text.size())
        return false;
    if (text.at(*pos) == '"')
        return readQuoted(text, pos, value);
    if (text.at(*pos) == '{')
        return readLiteral(text, pos, value);
    const qsizetype start = *pos;
    qsizetype i = start;
    // ")" ends the list; "]" is an ASTRING-CHAR but cannot occur here since
    // the section text was cut at its closing bracket.
    while (i < text.size() && isAStringChar(text.at(i)))
        ++i;
    if (i == start)
        return false;
    *value = text.sliced(start, i - start).toByteArray();
    *pos = i;
    return true;
}

// header-list = "(" header-fld-name *(SP header-fld-name) ")"
bool parseHeaderList(QByteArrayView text, QList<QByteArray> *fields, QByteArray *error)
{
    if (text.size() < 2 || text.at(0) != '(')
        return fail(error, "Expected a header field list");
    qsizetype pos = 1;
    for (;;) {
        QByteArray name;
        if (!readAString(text, &pos, &name))
            return fail(error, "Invalid header field name");
        fields->append(name);
        if (pos < text.size() && text.at(pos) == ')')
            break;
        if (pos >= text.size() || text.at(pos) != ' ')
            return fail(error, "Invalid header field list");
        ++pos;
    }
    if (pos + 1 != text.size())
        return fail(error, "Junk after the header field list");
    return true;
}

bool startsWithWord(QByteArrayView text, const char *word)
{
    const QByteArrayView w(word);
    return text.size() >= w.size() && text.first(w.size()).compare(w, Qt::CaseInsensitive) == 0;
}

} // namespace

qsizetype findSectionEnd(QByteArrayView text, qsizetype from)
{
    int depth = 0;
    qsizetype i = from;
    while (i < text.size()) {
        const char c = text.at(i);
        if (c == '"') {
            if (!readQuoted(text, &i, nullptr))
                return -1;
            continue;
        }
        if (c == '{' && depth > 0) {
            if (!readLiteral(text, &i, nullptr))
                return -1;
            continue;
        }
        if (c == '(')
            ++depth;
        else if (c == ')')
            depth = qMax(0, depth - 1);
        else if (c == ']' && depth == 0)
            return i;
        ++i;
    }
    return -1;
}

/*
 *   section-spec    = section-msgtext / (section-part ["." section-text])
 *   section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
 *   section-part    = nz-number *("." nz-number)
 *   section-text    = section-msgtext / "MIME"
 *   nz-number       = digit-nz *DIGIT
 */
bool parseSection(QByteArrayView text, Section *out, QByteArray *error)
{
    Section s;
    qsizetype pos = 0;
    while (pos < text.size() && isDigit(text.at(pos))) {
        if (text.at(pos) == '0')
            return fail(error, "Part numbers start at 1");
        qint64 n = 0;
        while (pos < text.size() && isDigit(text.at(pos))) {
            n = n * 10 + (text.at(pos++) - '0');
            if (n > std::numeric_limits<int>::max())
                return fail(error, "Part number too large");
        }
        s.part.append(int(n));
        if (pos == text.size())
            break;
        if (text.at(pos) != '.')
            return fail(error, "Invalid section");
        if (++pos == text.size())
            return fail(error, "Invalid section");
    }
    const QByteArrayView rest = text.sliced(pos);
    if (rest.isEmpty()) {
        s.text = Section::Text::Full;
    } else if (startsWithWord(rest, "HEADER.FIELDS.NOT ")) {
        s.text = Section::Text::HeaderFieldsNot;
        if (!parseHeaderList(rest.sliced(18), &s.fields, error))
            return false;
    } else if (startsWithWord(rest, "HEADER.FIELDS ")) {
        s.text = Section::Text::HeaderFields;
        if (!parseHeaderList(rest.sliced(14), &s.fields, error))
            return false;
    } else if (rest.compare("HEADER", Qt::CaseInsensitive) == 0) {
        s.text = Section::Text::Header;
    } else if (rest.compare("TEXT", Qt::CaseInsensitive) == 0) {
        s.text = Section::Text::Text;
    } else if (rest.compare("MIME", Qt::CaseInsensitive) == 0 && !s.part.isEmpty()) {
        s.text = Section::Text::Mime;
    } else {
        return fail(error, "Invalid section");
    }
    *out = std::move(s);
    return true;
}

QByteArray Section::toText() const
{
    QByteArray out;
    for (qsizetype i = 0; i < part.size(); ++i) {
        if (i > 0)
            out += '.';
        out += QByteArray::number(part.at(i));
    }
    const char *word = nullptr;
    switch (text) {
    case Text::Full:
        return out;
    case Text::Header:
        word = "HEADER";
        break;
    case Text::HeaderFields:
        word = "HEADER.FIELDS";
        break;
    case Text::HeaderFieldsNot:
        word = "HEADER.FIELDS.NOT";
        break;
    case Text::Text:
        word = "TEXT";
        break;
    case Text::Mime:
        word = "MIME";
        break;
    }
    if (!out.isEmpty())
        out += '.';
    out += word;
    if (text == Text::HeaderFields || text == Text::HeaderFieldsNot) {
        out += " (";
        for (qsizetype i = 0; i < fields.size(); ++i) {
            if (i > 0)
                out += ' ';
            out += astring(fields.at(i));
        }
        out += ')';
    }
    return out;
}

} // namespace mailroom::imap
