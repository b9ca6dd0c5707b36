// Parser for Content-Type and Content-Disposition values. Lenient: comments
// are skipped, a missing ";" between parameters is tolerated, and RFC 2047
// encoded words in name/filename (a common violation) are decoded.
// RFC 2045 §5.1-§5.2, RFC 2183 §2, RFC 2231, RFC 2047 §5.
// Trust level: parses input from the Internet. At most kMaxParams parameters.
#include "mime/contenttype.h"

#include <utility>

#include <QList>

#include "mime/encodedword.h"
#include "mime/limits.h"

namespace mailroom::mime
{

namespace
{

// tspecials := "(" / ")" / "<" / ">" / "@" / "," / ";" / ":" / "\" / <"> / "/" / "[" / "]" / "?" / "="
bool isTspecial(char c)
{
    return QByteArrayView("()<>@,;:\\\"/[]?=").contains(c);
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

class Scanner
{
public:
    explicit Scanner(const QByteArray &s)
        : m_s(s)
    {
    }
    bool atEnd()
    {
        skipCfws();
        return m_pos >= m_s.size();
    }
    bool take(char c)
    {
        skipCfws();
        if (m_pos < m_s.size() && m_s.at(m_pos) == c) {
            ++m_pos;
            return true;
        }
        return false;
    }
    // token := 1*<any (US-ASCII) CHAR except SPACE, CTLs, or tspecials>
    // (8-bit bytes are let through: real mail has them.)
    QByteArray token()
    {
        skipCfws();
        const qsizetype start = m_pos;
        while (
            m_pos < m_s.size() && !isSpace(m_s.at(m_pos)) && !isTspecial(m_s.at(m_pos)) && uchar(m_s.at(m_pos)) >= 32)
            ++m_pos;
        return m_s.mid(start, m_pos - start);
    }
    // value := token / quoted-string
    QByteArray value()
    {
        skipCfws();
        if (m_pos < m_s.size() && m_s.at(m_pos) == '"') {
            QByteArray out;
            ++m_pos;
            while (m_pos < m_s.size() && m_s.at(m_pos) != '"') {
                if (m_s.at(m_pos) == '\\' && m_pos + 1 < m_s.size())
                    ++m_pos;
                out.append(m_s.at(m_pos++));
            }
            m_pos = qMin(m_pos + 1, m_s.size()); // the closing quote
            return out;
        }
        // Lenient: an unquoted value runs to ";" (spaces and "/", "?", "=" appear in real mail).
        const qsizetype start = m_pos;
        while (m_pos < m_s.size() && m_s.at(m_pos) != ';' && m_s.at(m_pos) != '(')
            ++m_pos;
        return m_s.mid(start, m_pos - start).trimmed();
    }
    // Skips to just after the next ";" (junk recovery).
    void skipPast(char c)
    {
        while (m_pos < m_s.size() && m_s.at(m_pos) != c)
            ++m_pos;
        if (m_pos < m_s.size())
            ++m_pos;
    }

private:
    // CFWS: whitespace and (nested) comments, by a counter, not recursion.
    void skipCfws()
    {
        while (m_pos < m_s.size()) {
            if (isSpace(m_s.at(m_pos))) {
                ++m_pos;
            } else if (m_s.at(m_pos) == '(') {
                int depth = 0;
                while (m_pos < m_s.size()) {
                    const char c = m_s.at(m_pos++);
                    if (c == '\\')
                        ++m_pos;
                    else if (c == '(')
                        ++depth;
                    else if (c == ')' && --depth == 0)
                        break;
                }
            } else {
                break;
            }
        }
        m_pos = qMin(m_pos, m_s.size()); // a trailing "\\" may step past the end
    }

    const QByteArray &m_s;
    qsizetype m_pos = 0;
};

// *(";" parameter) ; parameter := attribute "=" value
Params parseParams(Scanner &sc)
{
    QList<std::pair<QByteArray, QByteArray>> raw;
    while (!sc.atEnd() && raw.size() < kMaxParams) {
        sc.take(';');
        if (sc.atEnd())
            break;
        const QByteArray name = sc.token().toLower();
        if (name.isEmpty() || !sc.take('=')) {
            sc.skipPast(';');
            continue;
        }
        raw.append({ name, sc.value() });
    }
    Params params = combineParameters(raw);
    for (const char *key : { "name", "filename" }) {
        const QByteArray k(key);
        const QByteArray v = params.value(k);
        if (v.contains("=?") && v.contains("?="))
            params.insert(k, decodeUnstructured(v).toUtf8());
    }
    return params;
}

} // namespace

/*
 * RFC 2045 §5.1:
 *   content := "Content-Type" ":" type "/" subtype *(";" parameter)
 *   type    := discrete-type / composite-type   ; a token, case-insensitive
 */
ContentType parseContentType(const QByteArray &value)
{
    ContentType ct;
    Scanner sc(value);
    const QByteArray type = sc.token().toLower();
    QByteArray subtype;
    if (sc.take('/'))
        subtype = sc.token().toLower();
    if (type.isEmpty() || subtype.isEmpty()) {
        // §5.2: an invalid Content-Type means text/plain; charset=us-ascii.
        // A lone "text" keeps its parameters (charset), as deployed readers do.
        if (type == "text") {
            ct.params = parseParams(sc);
            if (!ct.params.contains("charset"))
                ct.params.insert(QByteArrayLiteral("charset"), QByteArrayLiteral("us-ascii"));
            return ct;
        }
        ct.params.insert(QByteArrayLiteral("charset"), QByteArrayLiteral("us-ascii"));
        return ct;
    }
    ct.type = type;
    ct.subtype = subtype;
    ct.params = parseParams(sc);
    return ct;
}

/*
 * RFC 2183 §2:
 *   disposition := "Content-Disposition" ":" disposition-type *(";" disposition-parm)
 *   disposition-type := "inline" / "attachment" / extension-token
 */
ContentDisposition parseContentDisposition(const QByteArray &value)
{
    ContentDisposition cd;
    Scanner sc(value);
    cd.type = sc.token().toLower();
    cd.params = parseParams(sc);
    return cd;
}

} // namespace mailroom::mime
