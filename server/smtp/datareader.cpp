#include "smtp/datareader.h"

namespace mailroom::smtp
{

DataReader::DataReader(qint64 maxBytes, qint64 expectedBytes)
    : m_max(maxBytes)
{
    // A declared size is only a hint from the client: never more than 1 MiB
    // is set aside for it.
    constexpr qint64 kMaxReserve = 1024 * 1024;
    if (expectedBytes > 0)
        m_message.reserve(qsizetype(qMin(qMin(expectedBytes, m_max), kMaxReserve)));
}

void DataReader::put(char c)
{
    ++m_received;
    if (m_received > m_max) {
        m_tooBig = true;
        return;
    }
    m_message += c;
}

void DataReader::putRun(const char *s, qsizetype length)
{
    const qint64 room = m_max - m_received;
    m_received += length;
    if (room < length) {
        m_tooBig = true;
        if (room > 0)
            m_message.append(s, qsizetype(room));
        return;
    }
    m_message.append(s, length);
}

bool DataReader::feed(QByteArray &input)
{
    qsizetype i = 0;
    const qsizetype n = input.size();
    const char *p = input.constData();
    for (; i < n && !m_finished; ++i) {
        // Inside a line the bytes up to the next CR or LF are data as they
        // are: one append instead of one per byte.
        if (!m_pendingCR && !m_atLineStart && !m_dotLine) {
            qsizetype j = i;
            while (j < n && p[j] != '\r' && p[j] != '\n')
                ++j;
            if (j > i) {
                putRun(p + i, j - i);
                i = j;
                if (i == n)
                    break;
            }
        }
        const char c = p[i];
        if (m_pendingCR) {
            m_pendingCR = false;
            if (c == '\n') {
                if (m_dotLine && m_properStart) {
                    m_finished = true;
                    continue;
                }
                if (m_dotLine)
                    put('.'); // "." after a bare line end: data, not the end
                put('\r');
                put('\n');
                m_atLineStart = true;
                m_properStart = true;
                m_dotLine = false;
                continue;
            }
            // A CR not followed by LF.
            m_bare = true;
            if (m_dotLine) {
                put('.');
                m_dotLine = false;
            }
            put('\r');
        }
        if (c == '\r') {
            m_pendingCR = true;
            continue;
        }
        if (c == '\n') {
            // A bare LF: never a line end that can finish the data.
            m_bare = true;
            if (m_dotLine)
                put('.');
            put('\r');
            put('\n');
            m_atLineStart = true;
            m_properStart = false;
            m_dotLine = false;
            continue;
        }
        if (m_atLineStart) {
            m_atLineStart = false;
            if (c == '.') {
                m_dotLine = true; // removed: dot-stuffing, or the end marker
                continue;
            }
        } else if (m_dotLine) {
            m_dotLine = false;
        }
        put(c);
    }
    input.remove(0, i);
    return m_finished;
}

} // namespace mailroom::smtp
