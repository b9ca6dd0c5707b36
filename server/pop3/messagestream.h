// MessageStream: turns a stored message into the multi-line body of RETR or
// TOP (RFC 1939 §§7, 11), a chunk at a time, so the session can write a big
// message as the socket drains instead of doubling it in memory. Lines go
// out with CRLF (a bare LF in the file becomes CRLF), a line that starts
// with "." gets another "." (byte-stuffing), and the body ends with ".\r\n".
// TOP sends the header, the empty line and the first n body lines.
// Trust level: internal (the content is ours; its lines came from senders).
#pragma once

#include <QByteArray>

namespace mailroom::pop3
{

class MessageStream
{
public:
    // bodyLines < 0: the whole message (RETR).
    explicit MessageStream(QByteArray content, qint64 bodyLines = -1);

    // The next piece of output, about maxBytes long (a long line may make it
    // longer); the terminator comes with the last piece.
    QByteArray next(qint64 maxBytes);
    bool atEnd() const
    {
        return m_done;
    }

private:
    QByteArray m_content;
    qsizetype m_pos = 0;
    qint64 m_bodyLines; // body lines still to send; < 0: no limit
    bool m_inHeader = true;
    bool m_done = false;
};

} // namespace mailroom::pop3
