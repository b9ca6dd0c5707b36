// The IMAP command reader: framing (lines and literals) and the pure parse of
// a complete command into an argument tree (RFC 9051 §2.2, §4, §9; RFC 7888
// LITERAL+; RFC 3516 literal8). Trust level: parses input from the Internet;
// see parser.h for the bounds.
#include "imap/parser/parser.h"

namespace mailroom::imap
{

namespace
{
// A literal marker at the end of a line: "{123}", "{123+}" or "~{123}".
// Returns false when the line does not end with one.
bool literalMarker(const QByteArray &line, qint64 *size, bool *nonSync, bool *binary, qsizetype *markerStart)
{
    if (!line.endsWith('}'))
        return false;
    const auto open = line.lastIndexOf('{');
    if (open < 0)
        return false;
    QByteArray num = line.mid(open + 1, line.size() - open - 2);
    *nonSync = num.endsWith('+');
    if (*nonSync)
        num.chop(1);
    if (num.isEmpty() || num.size() > 18)
        return false;
    qint64 n = 0;
    for (char c : num) {
        if (c < '0' || c > '9')
            return false;
        n = n * 10 + (c - '0');
    }
    *binary = open > 0 && line[open - 1] == '~';
    *size = n;
    *markerStart = *binary ? open - 1 : open;
    return true;
}

bool isTagChar(char c)
{
    // tag = 1*<any ASTRING-CHAR except "+">
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"' && c != '\\'
        && c != '+';
}

QByteArray tagOf(const QByteArray &text)
{
    qsizetype i = 0;
    while (i < text.size() && i < 64 && isTagChar(text[i]))
        ++i;
    if (i == 0 || (i < text.size() && text[i] != ' '))
        return QByteArrayLiteral("*");
    return text.left(i);
}

class Parser
{
public:
    Parser(const QByteArray &text, const QList<QPair<qsizetype, qsizetype>> &literals, const ReaderLimits &limits)
        : m_t(text)
        , m_literals(literals)
        , m_limits(limits)
    {
    }

    bool run(Command *out, QByteArray *error, QByteArray *tag)
    {
        *tag = tagOf(m_t);
        qsizetype i = 0;
        while (m_pos < m_t.size() && isTagChar(m_t[m_pos]))
            ++m_pos;
        if (m_pos == 0)
            return fail(error, "Missing tag");
        out->tag = m_t.left(m_pos);
        i = m_pos;
        if (!space())
            return fail(error, "Missing command");
        out->name = word().toUpper();
        if (out->name.isEmpty())
            return fail(error, "Missing command");
        Q_UNUSED(i);
        if (out->name == "UID") {
            if (!space())
                return fail(error, "UID needs a command");
            const QByteArray sub = word().toUpper();
            if (sub.isEmpty())
                return fail(error, "UID needs a command");
            out->name += ' ' + sub;
        }
        while (m_pos < m_t.size()) {
            if (!space())
                return fail(error, "Expected a space between arguments");
            if (m_pos >= m_t.size())
                break; // a trailing space is tolerated
            Arg a;
            if (!arg(&a, 0))
                return fail(error, m_error);
            out->args.append(std::move(a));
        }
        return true;
    }

private:
    bool fail(QByteArray *error, const QByteArray &why)
    {
        *error = why.isEmpty() ? QByteArrayLiteral("Invalid command syntax") : why;
        return false;
    }

    bool space()
    {
        if (m_pos >= m_t.size() || m_t[m_pos] != ' ')
            return false;
        while (m_pos < m_t.size() && m_t[m_pos] == ' ')
            ++m_pos;
        return true;
    }

    QByteArray word()
    {
        const qsizetype start = m_pos;
        while (m_pos < m_t.size() && m_t[m_pos] != ' ' && atomChar(m_t[m_pos]))
            ++m_pos;
        return m_t.mid(start, m_pos - start);
    }

    static bool atomChar(char c)
    {
        const auto u = static_cast<unsigned char>(c);
        // ATOM-CHAR plus list-wildcards and "\" for flags (\Seen, \*), "]"
        // is allowed as in resp-specials of astrings; 8-bit for UTF-8 names.
        return u > 0x20 && u != 0x7f && c != '(' && c != ')' && c != '{' && c != '"';
    }

    bool count()
    {
        if (++m_args > m_limits.maxArgs) {
            m_error = "Too many arguments";
            return false;
        }
        return true;
    }

    bool arg(Arg *a, int depth)
    {
        if (!count())
            return false;
        const char c = m_t[m_pos];
        if (c == '(')
            return list(a, depth + 1);
        if (c == '"')
            return quoted(a);
        if (c == '{' || (c == '~' && m_pos + 1 < m_t.size() && m_t[m_pos + 1] == '{'))
            return literal(a);
        return atom(a);
    }

    bool list(Arg *a, int depth)
    {
        if (depth > m_limits.maxDepth) {
            m_error = "Lists nested too deeply";
            return false;
        }
        a->kind = Arg::Kind::List;
        ++m_pos; // (
        while (true) {
            if (m_pos >= m_t.size()) {
                m_error = "Missing )";
                return false;
            }
            if (m_t[m_pos] == ')') {
                ++m_pos;
                return true;
            }
            if (!a->children.isEmpty() && !space()) {
                m_error = "Expected a space in a list";
                return false;
            }
            if (m_pos < m_t.size() && m_t[m_pos] == ')')
                continue;
            if (m_pos >= m_t.size()) {
                m_error = "Missing )";
                return false;
            }
            Arg child;
            if (!arg(&child, depth))
                return false;
            a->children.append(std::move(child));
        }
    }

    bool quoted(Arg *a)
    {
        a->kind = Arg::Kind::Quoted;
        ++m_pos;
        while (m_pos < m_t.size()) {
            const char c = m_t[m_pos++];
            if (c == '"')
                return true;
            if (c == '\r' || c == '\n' || c == '\0') {
                m_error = "Line break in a quoted string";
                return false;
            }
            if (c == '\\') {
                if (m_pos >= m_t.size() || (m_t[m_pos] != '"' && m_t[m_pos] != '\\')) {
                    m_error = "Invalid escape in a quoted string";
                    return false;
                }
                a->text += m_t[m_pos++];
                continue;
            }
            a->text += c;
        }
        m_error = "Missing closing quote";
        return false;
    }

    bool literal(Arg *a)
    {
        a->kind = Arg::Kind::Literal;
        a->binaryLiteral = m_t[m_pos] == '~';
        const qsizetype close = m_t.indexOf("}\r\n", m_pos);
        if (close < 0 || m_next >= m_literals.size()) {
            m_error = "Invalid literal";
            return false;
        }
        const auto [offset, length] = m_literals[m_next];
        if (offset != close + 3) {
            m_error = "Invalid literal";
            return false;
        }
        ++m_next;
        a->text = m_t.mid(offset, length);
        if (!a->binaryLiteral && a->text.contains('\0')) {
            m_error = "NUL in a literal (use literal8)";
            return false;
        }
        m_pos = offset + length;
        return true;
    }

    bool atom(Arg *a)
    {
        a->kind = Arg::Kind::Atom;
        const qsizetype start = m_pos;
        while (m_pos < m_t.size()) {
            const char c = m_t[m_pos];
            if (c == '[') {
                // A fetch item's section keeps its spaces, lists and quotes:
                // BODY[HEADER.FIELDS (From "X-A")]<0.100> is one argument.
                int nest = 0;
                bool inQuote = false;
                while (m_pos < m_t.size()) {
                    const char d = m_t[m_pos++];
                    if (d == '\r' || d == '\n') {
                        m_error = "Literals are not allowed in a section";
                        return false;
                    }
                    if (inQuote) {
                        if (d == '\\')
                            ++m_pos;
                        else if (d == '"')
                            inQuote = false;
                    } else if (d == '"') {
                        inQuote = true;
                    } else if (d == '[') {
                        ++nest;
                    } else if (d == ']' && --nest == 0) {
                        break;
                    }
                }
                if (nest != 0) {
                    m_error = "Missing ] in a section";
                    return false;
                }
                continue;
            }
            if (!atomChar(c))
                break;
            ++m_pos;
        }
        if (m_pos == start) {
            m_error = "Unexpected character in the command";
            return false;
        }
        a->text = m_t.mid(start, m_pos - start);
        return true;
    }

    const QByteArray &m_t;
    const QList<QPair<qsizetype, qsizetype>> &m_literals;
    const ReaderLimits &m_limits;
    qsizetype m_pos = 0;
    qsizetype m_next = 0; // next literal
    int m_args = 0;
    QByteArray m_error;
};
} // namespace

bool parseCommandText(const QByteArray &whole,
    const QList<QPair<qsizetype, qsizetype>> &literals,
    const ReaderLimits &limits,
    Command *out,
    QByteArray *error,
    QByteArray *tag)
{
    *out = Command();
    Parser p(whole, literals, limits);
    return p.run(out, error, tag);
}

CommandReader::CommandReader(ReaderLimits limits)
    : m_limits(limits)
{
}

void CommandReader::feed(const QByteArray &bytes)
{
    m_in += bytes;
}

void CommandReader::failCommand(const QByteArray &reason, bool fatal)
{
    m_errorTag = tagOf(m_current.isEmpty() ? m_in : m_current);
    m_error = reason;
    m_fatal = fatal;
    m_current.clear();
    m_literals.clear();
}

CommandReader::Event CommandReader::next()
{
    while (true) {
        if (m_skipRemaining > 0) {
            const qint64 n = std::min<qint64>(m_skipRemaining, m_in.size());
            m_in.remove(0, n);
            m_skipRemaining -= n;
            if (m_skipRemaining > 0)
                return Event::None;
        }
        if (m_literalRemaining > 0) {
            const qint64 n = std::min<qint64>(m_literalRemaining, m_in.size());
            m_current.append(m_in.constData(), n);
            m_in.remove(0, n);
            m_literalRemaining -= n;
            if (m_literalRemaining > 0)
                return Event::None;
        }
        const qsizetype lf = m_in.indexOf('\n');
        if (lf < 0) {
            if (m_in.size() > m_limits.lineBytes) {
                // An endless line: drop what we have and the rest of it.
                if (m_skippingLine) {
                    m_in.clear();
                    return Event::None;
                }
                failCommand("Line too long");
                m_in.clear();
                m_skippingLine = true;
                return Event::Error;
            }
            return Event::None;
        }
        QByteArray line = m_in.left(lf);
        m_in.remove(0, lf + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        qint64 size = 0;
        bool nonSync = false, binary = false;
        qsizetype marker = 0;
        const bool hasLiteral = literalMarker(line, &size, &nonSync, &binary, &marker);
        if (m_skippingLine) {
            // The rest of a refused command: its non-synchronizing literals
            // arrive regardless and are dropped; a synchronizing one is not
            // sent, since no "+" was given.
            if (hasLiteral && nonSync) {
                m_skipRemaining = size;
                continue;
            }
            m_skippingLine = false;
            continue;
        }
        if (line.size() > m_limits.lineBytes) {
            failCommand("Line too long");
            if (hasLiteral && nonSync) {
                m_skipRemaining = size;
                m_skippingLine = true;
            }
            return Event::Error;
        }
        if (!hasLiteral) {
            m_current += line;
            const QByteArray whole = std::move(m_current);
            const auto literals = std::move(m_literals);
            m_current.clear();
            m_literals.clear();
            if (whole.isEmpty())
                continue; // an empty line: ignored, as most servers do
            QByteArray error, tag;
            if (!parseCommandText(whole, literals, m_limits, &m_command, &error, &tag)) {
                m_errorTag = tag;
                m_error = error;
                m_fatal = false;
                return Event::Error;
            }
            return Event::Command;
        }
        const qint64 total = m_current.size() + line.size() + 2 + size;
        if (size > m_limits.literalBytes || total > m_limits.commandBytes) {
            m_current += line;
            failCommand("[TOOBIG] Literal too large");
            if (nonSync) {
                m_skipRemaining = size;
                m_skippingLine = true;
            }
            return Event::Error;
        }
        m_current += line;
        m_current += "\r\n";
        m_literals.append({ m_current.size(), qsizetype(size) });
        m_binaryLiteral = binary;
        m_current.reserve(m_current.size() + size);
        m_literalRemaining = size;
        if (!nonSync)
            return Event::Continue;
    }
}

QByteArray CommandReader::takeBuffered()
{
    QByteArray out = std::move(m_in);
    m_in.clear();
    return out;
}

bool CommandReader::readRawLine(QByteArray *line, bool *tooLong)
{
    *tooLong = false;
    const qsizetype lf = m_in.indexOf('\n');
    if (lf < 0) {
        if (m_in.size() > m_limits.lineBytes) {
            m_in.clear();
            m_skippingLine = true;
            *tooLong = true;
        }
        return false;
    }
    *line = m_in.left(lf);
    m_in.remove(0, lf + 1);
    if (line->endsWith('\r'))
        line->chop(1);
    if (m_skippingLine) {
        m_skippingLine = false;
        *tooLong = true;
        return true;
    }
    return true;
}

} // namespace mailroom::imap
