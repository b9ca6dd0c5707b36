// DotStuffer and BodyWriter (see bodywriter.h). RFC 5321 §4.5.2: "Before
// sending a line of mail text, the SMTP client checks the first character of
// the line. If it is a period, one additional period is inserted at the
// beginning of the line." A bare LF or a bare CR becomes CRLF (§2.3.8).
// Trust level: our queue file, sent to servers on the Internet.
#include "delivery/remote/bodywriter.h"

#include <QFile>
#include <QSslSocket>

namespace mailroom::delivery
{

QByteArray DotStuffer::feed(QByteArrayView in)
{
    QByteArray out;
    out.reserve(in.size() + in.size() / 16 + 4);
    for (const char c : in) {
        if (m_pendingCr) {
            m_pendingCr = false;
            out.append("\r\n", 2);
            m_lineStart = true;
            if (c == '\n')
                continue;
        }
        if (c == '\r') {
            m_pendingCr = true;
            continue;
        }
        if (c == '\n') {
            out.append("\r\n", 2);
            m_lineStart = true;
            continue;
        }
        if (m_lineStart && c == '.')
            out.append('.');
        m_lineStart = false;
        out.append(c);
    }
    return out;
}

QByteArray DotStuffer::finish()
{
    QByteArray out;
    if (m_pendingCr || !m_lineStart)
        out.append("\r\n", 2);
    m_pendingCr = false;
    m_lineStart = true;
    out.append(".\r\n", 3);
    return out;
}

BodyWriter::BodyWriter(QSslSocket &socket, QFile &file, std::function<void(const QString &error)> done, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_file(file)
    , m_done(std::move(done))
{
    connect(&m_socket, &QSslSocket::bytesWritten, this, &BodyWriter::pump);
    connect(&m_socket, &QSslSocket::encryptedBytesWritten, this, &BodyWriter::pump);
}

void BodyWriter::start()
{
    pump();
}

void BodyWriter::stop()
{
    m_finished = true;
    m_done = nullptr;
    disconnect(&m_socket, nullptr, this, nullptr);
}

void BodyWriter::pump()
{
    if (m_finished || m_pumping)
        return;
    m_pumping = true; // a write may emit bytesWritten from inside
    QString error;
    bool atEnd = false;
    while (m_socket.bytesToWrite() + m_socket.encryptedBytesToWrite() < HighWaterBytes) {
        const QByteArray chunk = m_file.read(ChunkBytes);
        if (chunk.isEmpty() && m_file.error() != QFileDevice::NoError) {
            error = QStringLiteral("cannot read the message file: %1").arg(m_file.errorString());
            break;
        }
        if (chunk.isEmpty()) {
            m_socket.write(m_stuffer.finish());
            atEnd = true;
            break;
        }
        m_socket.write(m_stuffer.feed(chunk));
    }
    m_pumping = false;
    if (atEnd || !error.isEmpty()) {
        m_finished = true;
        disconnect(&m_socket, nullptr, this, nullptr);
        auto done = std::move(m_done);
        done(error);
    }
}

} // namespace mailroom::delivery
