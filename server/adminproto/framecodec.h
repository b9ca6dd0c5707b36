// Length-prefixed JSON framing of the admin protocol (see protocol.h).
// Trust level: input from local clients, bounded. The decoder takes bytes in
// any split (it is tested byte by byte) and never buffers more than one
// frame's header plus the size limit.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace mailroom::adminproto
{

QByteArray encodeFrame(const QJsonObject &message);

class FrameDecoder
{
public:
    enum class State { Ok, TooLarge, Malformed };

    explicit FrameDecoder(qint64 maxFrameBytes);

    // Appends bytes and decodes every complete frame into out. Returns the
    // state; after TooLarge or Malformed the stream is unusable (the peer
    // must be disconnected) and further input is ignored.
    State feed(const QByteArray &bytes, QList<QJsonObject> *out);
    State state() const
    {
        return m_state;
    }
    QString errorText() const
    {
        return m_errorText;
    }
    qint64 buffered() const
    {
        return m_buffer.size();
    }

private:
    qint64 m_maxFrame;
    QByteArray m_buffer;
    State m_state = State::Ok;
    QString m_errorText;
};

} // namespace mailroom::adminproto
