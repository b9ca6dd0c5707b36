// Address-list parser: a lexer for RFC 5322 tokens (atoms, quoted strings,
// domain literals, specials; comments kept aside) and a lenient parser over
// them. RFC 5322 §3.2 (lexical tokens), §3.4, §4.4 (obs-route, obs-domain).
// Trust level: parses input from the Internet. No recursion: comments nest by
// a bounded counter, and the number of mailboxes is capped.
#include "mime/address.h"

#include "mime/encodedword.h"
#include "mime/limits.h"

namespace mailroom::mime
{

namespace
{

enum class Kind { Atom, Quoted, Literal, Special, Comment };

struct Token {
    Kind kind;
    QByteArray text; // Special: the character; Quoted/Comment: the unescaped content
    bool spaceBefore; // whitespace or a comment came before it
};

bool isSpecial(char c)
{
    return QByteArrayView("()<>[]:;@\\,\"").contains(c);
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Reads a delimited run starting after its opening character. Handles
// quoted-pair ("\" char). For comments, nested parens count up to the bound.
QByteArray readDelimited(const QByteArray &s, qsizetype *pos, char close, bool nests)
{
    QByteArray out;
    int depth = 1;
    qsizetype i = *pos;
    while (i < s.size()) {
        const char c = s.at(i++);
        if (c == '\\' && i < s.size()) {
            out.append(s.at(i++));
            continue;
        }
        if (nests && c == '(' && depth < kMaxCommentDepth)
            ++depth;
        else if (c == close && --depth == 0)
            break;
        out.append(c);
    }
    *pos = i;
    return out;
}

/*
 * RFC 5322 §3.2.2-§3.2.4:
 *   comment       = "(" *([FWS] ccontent) [FWS] ")"
 *   quoted-string = [CFWS] DQUOTE *([FWS] qcontent) [FWS] DQUOTE [CFWS]
 *   atom          = [CFWS] 1*atext [CFWS]       ; we also take "." and 8-bit
 *   domain-literal = [CFWS] "[" *([FWS] dtext) [FWS] "]" [CFWS]
 */
QList<Token> lex(const QByteArray &s)
{
    QList<Token> tokens;
    bool space = false;
    qsizetype i = 0;
    while (i < s.size()) {
        const char c = s.at(i);
        if (isSpace(c)) {
            space = true;
            ++i;
        } else if (c == '(') {
            ++i;
            tokens.append({ Kind::Comment, readDelimited(s, &i, ')', true), space });
            space = true;
        } else if (c == '"') {
            ++i;
            tokens.append({ Kind::Quoted, readDelimited(s, &i, '"', false), space });
            space = false;
        } else if (c == '[') {
            const qsizetype start = i++;
            readDelimited(s, &i, ']', false);
            tokens.append({ Kind::Literal, s.mid(start, i - start), space });
            space = false;
        } else if (c == ')' || c == ']' || c == '\\') {
            ++i; // stray closing or escape character: skipped
        } else if (isSpecial(c)) {
            tokens.append({ Kind::Special, QByteArray(1, c), space });
            space = false;
            ++i;
        } else {
            const qsizetype start = i;
            while (i < s.size() && !isSpace(s.at(i)) && !isSpecial(s.at(i)))
                ++i;
            tokens.append({ Kind::Atom, s.mid(start, i - start), space });
            space = false;
        }
    }
    return tokens;
}

class Parser
{
public:
    explicit Parser(const QList<Token> &tokens)
        : m_tokens(tokens)
    {
    }
    QList<AddressGroup> run();

private:
    bool atSpecial(char c) const
    {
        return m_pos < m_tokens.size() && m_tokens.at(m_pos).kind == Kind::Special
            && m_tokens.at(m_pos).text.at(0) == c;
    }
    void skipComments(QByteArray *lastComment = nullptr);
    QByteArray joinUntilSpecial(bool literalsToo);
    void readAngleAddr(Mailbox *mb);
    void skipToSeparator();
    void addMailbox(Mailbox mb);

    const QList<Token> &m_tokens;
    qsizetype m_pos = 0;
    int m_count = 0;
    QList<AddressGroup> m_out;
    AddressGroup *m_group = nullptr; // the open group, if any
};

void Parser::skipComments(QByteArray *lastComment)
{
    while (m_pos < m_tokens.size() && m_tokens.at(m_pos).kind == Kind::Comment) {
        if (lastComment)
            *lastComment = m_tokens.at(m_pos).text;
        ++m_pos;
    }
}

// local-part / domain: the texts of atoms, quoted strings (and for domains
// literals) glued together, since obs-local-part and obs-domain allow CFWS
// around the dots.
QByteArray Parser::joinUntilSpecial(bool literalsToo)
{
    QByteArray out;
    while (m_pos < m_tokens.size()) {
        const Token &t = m_tokens.at(m_pos);
        if (t.kind == Kind::Special || (t.kind == Kind::Literal && !literalsToo))
            break;
        if (t.kind != Kind::Comment)
            out += t.text;
        ++m_pos;
    }
    return out;
}

/*
 *   angle-addr     = [CFWS] "<" addr-spec ">" [CFWS] / obs-angle-addr
 *   obs-angle-addr = [CFWS] "<" obs-route addr-spec ">" [CFWS]
 *   obs-route      = obs-domain-list ":"
 *   obs-domain-list = *(CFWS / ",") "@" domain *("," [CFWS] ["@" domain])
 *   addr-spec      = local-part "@" domain
 * Called after "<". The route is dropped.
 */
void Parser::readAngleAddr(Mailbox *mb)
{
    skipComments();
    if (atSpecial('@') || atSpecial(',')) {
        qsizetype p = m_pos;
        while (p < m_tokens.size()
            && !(m_tokens.at(p).kind == Kind::Special && QByteArrayView(":>").contains(m_tokens.at(p).text.at(0))))
            ++p;
        if (p < m_tokens.size() && m_tokens.at(p).text.at(0) == ':')
            m_pos = p + 1;
    }
    mb->local = joinUntilSpecial(false);
    if (atSpecial('@')) {
        ++m_pos;
        mb->domain = joinUntilSpecial(true);
    }
    while (m_pos < m_tokens.size() && !atSpecial('>') && !atSpecial(',') && !atSpecial(';'))
        ++m_pos; // junk inside the brackets
    if (atSpecial('>'))
        ++m_pos;
}

void Parser::skipToSeparator()
{
    while (m_pos < m_tokens.size() && !atSpecial(',') && !atSpecial(';'))
        ++m_pos;
}

void Parser::addMailbox(Mailbox mb)
{
    if (mb.local.isEmpty() && mb.domain.isEmpty() && mb.name.isEmpty())
        return;
    if (m_count >= kMaxAddresses)
        return;
    ++m_count;
    if (m_group) {
        m_group->members.append(std::move(mb));
        return;
    }
    AddressGroup single;
    single.members.append(std::move(mb));
    m_out.append(std::move(single));
}

/*
 *   address-list = (address *("," address)) / obs-addr-list
 *   address      = mailbox / group
 *   mailbox      = name-addr / addr-spec
 *   name-addr    = [display-name] angle-addr
 *   group        = display-name ":" [group-list] ";" [CFWS]
 *   display-name = phrase ; phrase = 1*word / obs-phrase (words, "." and CFWS)
 *   obs-addr-list = *([CFWS] ",") address *("," [address / CFWS])
 */
QList<AddressGroup> Parser::run()
{
    while (m_pos < m_tokens.size()) {
        // Collect a phrase: it is a display name, a group name, or a local part.
        QByteArray phrase;
        QByteArray local;
        QByteArray lastComment;
        const qsizetype phraseStart = m_pos;
        while (m_pos < m_tokens.size() && m_tokens.at(m_pos).kind != Kind::Special) {
            const Token &t = m_tokens.at(m_pos++);
            if (t.kind == Kind::Comment)
                continue;
            if (!phrase.isEmpty() && t.spaceBefore)
                phrase += ' ';
            phrase += t.text;
            local += t.text;
        }
        const bool more = m_pos < m_tokens.size();
        const char sep = more ? m_tokens.at(m_pos).text.at(0) : ',';
        if (more)
            ++m_pos;
        Mailbox mb;
        switch (sep) {
        case '<':
            mb.name = decodeUnstructured(phrase).trimmed();
            readAngleAddr(&mb);
            addMailbox(std::move(mb));
            skipToSeparator();
            break;
        case ':':
            if (m_group) {
                skipToSeparator(); // groups do not nest
                break;
            }
            if (phrase.isEmpty())
                break; // a group needs a display name: a stray ":" is junk
            if (m_count < kMaxAddresses) {
                ++m_count; // groups count against the bound too, empty ones included
                AddressGroup g;
                g.isGroup = true;
                g.name = decodeUnstructured(phrase).trimmed();
                m_out.append(std::move(g));
                m_group = &m_out.last();
            }
            break;
        case '@': {
            mb.local = local;
            mb.domain = joinUntilSpecial(true);
            // Old style "addr (Full Name)": the comment names the mailbox.
            for (qsizetype p = phraseStart; p < m_pos; ++p)
                if (m_tokens.at(p).kind == Kind::Comment)
                    lastComment = m_tokens.at(p).text;
            if (!lastComment.isEmpty())
                mb.name = decodeUnstructured(lastComment).trimmed();
            addMailbox(std::move(mb));
            skipToSeparator();
            break;
        }
        case ',':
        case ';':
            if (!local.isEmpty()) {
                mb.local = local; // a mailbox without a domain ("postmaster")
                addMailbox(std::move(mb));
            }
            break;
        default:
            break; // a stray ">" or similar
        }
        if (atSpecial(';') || (sep == ';')) {
            if (atSpecial(';'))
                ++m_pos;
            m_group = nullptr;
        } else if (atSpecial(',')) {
            ++m_pos;
        }
    }
    return m_out;
}

bool isDotAtom(const QByteArray &s)
{
    if (s.isEmpty() || s.startsWith('.') || s.endsWith('.') || s.contains(".."))
        return false;
    for (char c : s)
        if (isSpace(c) || isSpecial(c) || uchar(c) < 32 || uchar(c) == 127)
            return false;
    return true;
}

} // namespace

QByteArray Mailbox::addrSpec() const
{
    QByteArray out;
    if (isDotAtom(local)) {
        out = local;
    } else {
        out = QByteArray(1, '"');
        for (char c : local) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    if (!domain.isEmpty())
        out += '@' + domain;
    return out;
}

QList<AddressGroup> parseAddressList(const QByteArray &value)
{
    const QList<Token> tokens = lex(value);
    Parser parser(tokens);
    return parser.run();
}

QList<Mailbox> mailboxes(const QList<AddressGroup> &list)
{
    QList<Mailbox> out;
    for (const AddressGroup &g : list)
        out += g.members;
    return out;
}

} // namespace mailroom::mime
