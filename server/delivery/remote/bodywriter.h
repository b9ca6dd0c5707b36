// Streams a message file onto an SMTP connection after "354": reads 64 KiB
// at a time and writes the next chunk only when the socket has drained, so
// memory stays bounded whatever the message size. DotStuffer does the pure
// transformation: dot-stuffing, CRLF line ends, the final CRLF.CRLF.
// RFC 5321 §4.1.1.4 (DATA), §4.5.2 (transparency), §2.3.8 (CRLF only).
// Trust level: internal input (our own queue file) going to the Internet; a
// bare CR or LF never reaches the peer (no SMTP smuggling through us).
#pragma once

#include <functional>

#include <QByteArray>
#include <QByteArrayView>
#include <QObject>

class QFile;
class QSslSocket;

namespace mailroom::delivery
{

class DotStuffer
{
public:
    // Converts the next piece of the message.
    QByteArray feed(QByteArrayView in);
    // The rest: a pending CR, a CRLF if the last line was open, and ".\r\n".
    QByteArray finish();

private:
    bool m_lineStart = true;
    bool m_pendingCr = false;
};

class BodyWriter : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 ChunkBytes = 64 * 1024;
    static constexpr qint64 HighWaterBytes = 4 * ChunkBytes;

    // `file` is open and positioned; the writer does not own it. `done` gets
    // an empty string once the terminating dot is queued, or an error.
    BodyWriter(QSslSocket &socket, QFile &file, std::function<void(const QString &error)> done, QObject *parent);

    void start();
    // No more writes and no callback (the connection is going away).
    void stop();

private:
    void pump();

    QSslSocket &m_socket;
    QFile &m_file;
    std::function<void(const QString &)> m_done;
    DotStuffer m_stuffer;
    bool m_finished = false;
    bool m_pumping = false;
};

} // namespace mailroom::delivery
