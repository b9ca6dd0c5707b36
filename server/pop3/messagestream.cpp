#include "pop3/messagestream.h"

namespace mailroom::pop3
{

MessageStream::MessageStream(QByteArray content, qint64 bodyLines)
    : m_content(std::move(content))
    , m_bodyLines(bodyLines)
{
}

QByteArray MessageStream::next(qint64 maxBytes)
{
    QByteArray out;
    if (m_done)
        return out;
    out.reserve(qsizetype(maxBytes + 1024));
    while (out.size() < maxBytes) {
        const bool bodyDone = !m_inHeader && m_bodyLines == 0;
        if (m_pos >= m_content.size() || bodyDone) {
            out += ".\r\n";
            m_done = true;
            m_content.clear(); // the message is no longer held
            break;
        }
        qsizetype eol = m_content.indexOf('\n', m_pos);
        const qsizetype next = eol < 0 ? m_content.size() : eol + 1;
        if (eol < 0)
            eol = m_content.size(); // a last line without a line end gets one
        qsizetype end = eol;
        if (end > m_pos && m_content.at(end - 1) == '\r')
            --end;
        const qsizetype length = end - m_pos;
        if (length > 0 && m_content.at(m_pos) == '.')
            out += '.';
        out.append(m_content.constData() + m_pos, length);
        out += "\r\n";
        if (m_inHeader) {
            if (length == 0)
                m_inHeader = false; // the empty line between header and body
        } else if (m_bodyLines > 0) {
            --m_bodyLines;
        }
        m_pos = next;
    }
    return out;
}

} // namespace mailroom::pop3
