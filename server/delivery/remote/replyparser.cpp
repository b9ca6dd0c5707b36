// SMTP reply parsing (see replyparser.h). The grammar, RFC 5321 §4.2:
//   Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//                Reply-code [ SP textstring ] CRLF
//   Reply-code = %x32-35 %x30-35 %x30-39
// A bare LF ends a line too (lenient towards old servers); the code of every
// continuation line must equal the first one.
// Trust level: input from servers on the Internet, bounded here.
#include "delivery/remote/replyparser.h"

namespace mailroom::delivery
{

namespace
{

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Text for logs and diagnostics: UTF-8 (invalid bytes replaced) with control
// characters masked so that a reply cannot forge log lines or DSN fields.
QString cleanText(QByteArrayView bytes)
{
    QString s = QString::fromUtf8(bytes);
    for (QChar &c : s) {
        if ((c.unicode() < 0x20 && c != u'\t') || c.unicode() == 0x7f)
            c = u'?';
    }
    return s;
}

// digits "." digits, 1 to 3 digits each; returns the characters used or 0.
qsizetype numberPart(const QString &s, qsizetype from)
{
    qsizetype i = from;
    while (i < s.size() && i - from < 4 && s.at(i).isDigit() && s.at(i).unicode() < 128)
        ++i;
    const qsizetype n = i - from;
    return (n >= 1 && n <= 3) ? n : 0;
}

} // namespace

QString takeEnhancedCode(QString &text, int kind)
{
    if (text.size() < 5 || text.at(0).unicode() != u'0' + kind || text.at(1) != u'.')
        return {};
    const qsizetype subject = numberPart(text, 2);
    if (subject == 0 || 2 + subject >= text.size() || text.at(2 + subject) != u'.')
        return {};
    const qsizetype detailStart = 3 + subject;
    const qsizetype detail = numberPart(text, detailStart);
    const qsizetype end = detailStart + detail;
    if (detail == 0 || (end < text.size() && text.at(end) != u' '))
        return {};
    const QString code = text.left(end);
    text = text.mid(end < text.size() ? end + 1 : end);
    return code;
}

QString SmtpReply::text() const
{
    return lines.join(u' ').trimmed();
}

QString SmtpReply::status() const
{
    if (!enhanced.isEmpty())
        return enhanced;
    return QStringLiteral("%1.0.0").arg(kind());
}

QString SmtpReply::diagnostic() const
{
    QString d = QStringLiteral("smtp; %1").arg(code);
    if (!enhanced.isEmpty())
        d += u' ' + enhanced;
    const QString t = text();
    if (!t.isEmpty())
        d += u' ' + t;
    return d;
}

ReplyParser::ReplyParser(int maxLineBytes, int maxLines)
    : m_maxLineBytes(maxLineBytes)
    , m_maxLines(maxLines)
{
}

void ReplyParser::reset()
{
    m_line.clear();
    m_current = {};
    m_replies.clear();
    m_error.clear();
}

SmtpReply ReplyParser::takeReply()
{
    return m_replies.takeFirst();
}

void ReplyParser::fail(const QString &why)
{
    m_error = why;
    m_line.clear();
    m_current = {};
}

void ReplyParser::feed(QByteArrayView data)
{
    while (!data.isEmpty() && !failed()) {
        const qsizetype lf = data.indexOf('\n');
        const QByteArrayView chunk = lf < 0 ? data : data.first(lf);
        // The limit counts the line without its CRLF.
        if (m_line.size() + chunk.size() > m_maxLineBytes + 1) {
            fail(QStringLiteral("reply line longer than %1 bytes").arg(m_maxLineBytes));
            return;
        }
        m_line.append(chunk);
        if (lf < 0)
            return;
        data = data.sliced(lf + 1);
        QByteArrayView line(m_line);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.size() > m_maxLineBytes) {
            fail(QStringLiteral("reply line longer than %1 bytes").arg(m_maxLineBytes));
            return;
        }
        parseLine(line);
        m_line.clear();
    }
}

void ReplyParser::parseLine(QByteArrayView line)
{
    if (line.size() < 3 || line[0] < '2' || line[0] > '5' || !isDigit(line[1]) || !isDigit(line[2])) {
        fail(QStringLiteral("malformed reply line"));
        return;
    }
    const bool last = line.size() == 3 || line[3] == ' ';
    if (!last && line[3] != '-') {
        fail(QStringLiteral("malformed reply line"));
        return;
    }
    const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (!m_current.lines.isEmpty() && code != m_current.code) {
        fail(QStringLiteral("reply code changed inside a multi-line reply"));
        return;
    }
    if (m_current.lines.size() >= m_maxLines) {
        fail(QStringLiteral("reply longer than %1 lines").arg(m_maxLines));
        return;
    }
    QString text = cleanText(line.size() > 4 ? line.sliced(4) : QByteArrayView());
    const QString enhanced = takeEnhancedCode(text, code / 100);
    if (m_current.lines.isEmpty()) {
        m_current.code = code;
        m_current.enhanced = enhanced;
    }
    m_current.lines.append(text);
    if (last) {
        m_replies.append(m_current);
        m_current = {};
    }
}

} // namespace mailroom::delivery
