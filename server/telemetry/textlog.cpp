#include "telemetry/textlog.h"

namespace mailroom::telemetry
{

TextLog::TextLog(QString path, qint64 maxBytes, int keep)
    : m_path(std::move(path))
    , m_maxBytes(maxBytes)
    , m_keep(keep)
{
}

bool TextLog::open()
{
    QMutexLocker lock(&m_mutex);
    m_file.setFileName(m_path);
    return m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text);
}

void TextLog::setLimits(qint64 maxBytes, int keep)
{
    QMutexLocker lock(&m_mutex);
    m_maxBytes = maxBytes;
    m_keep = keep;
}

void TextLog::write(const QString &line)
{
    QMutexLocker lock(&m_mutex);
    if (!m_file.isOpen())
        return;
    m_file.write(line.toUtf8() + '\n');
    m_file.flush();
    if (m_file.size() >= m_maxBytes)
        rotateLocked();
}

void TextLog::rotateLocked()
{
    m_file.close();
    QFile::remove(m_path + QLatin1Char('.') + QString::number(m_keep));
    for (int i = m_keep - 1; i >= 1; --i)
        QFile::rename(
            m_path + QLatin1Char('.') + QString::number(i), m_path + QLatin1Char('.') + QString::number(i + 1));
    QFile::rename(m_path, m_path + QStringLiteral(".1"));
    m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text);
}

} // namespace mailroom::telemetry
