#include "adminproto/framecodec.h"

#include <QJsonDocument>
#include <QtEndian>

namespace mailroom::adminproto
{

QByteArray encodeFrame(const QJsonObject &message)
{
    const QByteArray body = QJsonDocument(message).toJson(QJsonDocument::Compact);
    QByteArray frame(4, Qt::Uninitialized);
    qToBigEndian<quint32>(quint32(body.size()), frame.data());
    frame += body;
    return frame;
}

FrameDecoder::FrameDecoder(qint64 maxFrameBytes)
    : m_maxFrame(maxFrameBytes)
{
}

FrameDecoder::State FrameDecoder::feed(const QByteArray &bytes, QList<QJsonObject> *out)
{
    if (m_state != State::Ok)
        return m_state;
    m_buffer += bytes;
    qsizetype pos = 0;
    while (m_buffer.size() - pos >= 4) {
        const quint32 len = qFromBigEndian<quint32>(m_buffer.constData() + pos);
        if (qint64(len) > m_maxFrame) {
            m_state = State::TooLarge;
            m_errorText = QStringLiteral("frame of %1 bytes is over the limit of %2 bytes").arg(len).arg(m_maxFrame);
            m_buffer.clear();
            return m_state;
        }
        if (m_buffer.size() - pos - 4 < qsizetype(len))
            break;
        QJsonParseError err {};
        const QJsonDocument doc = QJsonDocument::fromJson(m_buffer.mid(pos + 4, len), &err);
        pos += 4 + qsizetype(len);
        if (err.error != QJsonParseError::NoError || !doc.isObject()) {
            m_state = State::Malformed;
            m_errorText = err.error != QJsonParseError::NoError
                ? QStringLiteral("invalid JSON at offset %1: %2").arg(err.offset).arg(err.errorString())
                : QStringLiteral("the frame is JSON but not an object");
            m_buffer.clear();
            return m_state;
        }
        out->append(doc.object());
    }
    m_buffer.remove(0, pos);
    return m_state;
}

} // namespace mailroom::adminproto
