// DataReader: the DATA phase as a streaming state machine (RFC 5321 §4.1.1.4,
// §4.5.2). It removes dot-stuffing, ends only at <CRLF>.<CRLF>, and marks the
// message bad when any bare CR or LF appears: such a message is refused
// whole, so "<LF>.<LF>", "<CR>.<CR>", "<LF>.<CRLF>" or "<CRLF>.<LF>" can never
// end the data and smuggle a second message (CVE-2023-51764 and relatives).
// Bounded: past maxBytes it keeps reading to the end but stores nothing
// more. Trust level: parses input from the Internet.
#pragma once

#include <QByteArray>

namespace mailroom::smtp
{

class DataReader
{
public:
    // expectedBytes: the size the client declared (SIZE=), if any; room for
    // up to 1 MiB of it is set aside at once instead of growing by copies.
    explicit DataReader(qint64 maxBytes, qint64 expectedBytes = 0);

    // Consumes bytes from input (removed from its front); returns true when
    // the terminating <CRLF>.<CRLF> has been read. Bytes after it stay in
    // input (pipelined commands).
    bool feed(QByteArray &input);

    bool finished() const
    {
        return m_finished;
    }
    bool bareLineEnding() const
    {
        return m_bare;
    }
    bool tooBig() const
    {
        return m_tooBig;
    }
    qint64 received() const
    {
        return m_received;
    }
    const QByteArray &message() const
    {
        return m_message;
    }
    QByteArray takeMessage()
    {
        return std::move(m_message);
    }

private:
    void put(char c);
    void putRun(const char *s, qsizetype length);

    qint64 m_max;
    qint64 m_received = 0; // message bytes seen (including those not stored)
    QByteArray m_message;
    bool m_atLineStart = true; // the last line ended (a proper CRLF is tracked below)
    bool m_properStart = true; // ...and it ended with CRLF (the DATA line did)
    bool m_dotLine = false; // the current line so far is a single (removed) dot
    bool m_pendingCR = false;
    bool m_bare = false;
    bool m_tooBig = false;
    bool m_finished = false;
};

} // namespace mailroom::smtp
