// TextLog: the plain-text log mailroomd.log in the data folder, rotated by
// size (mailroomd.log.1 … .N). Trust level: internal; lines are built from
// events whose secret fields the EventBus has already masked.
#pragma once

#include <QFile>
#include <QMutex>
#include <QString>

namespace mailroom::telemetry
{

class TextLog
{
public:
    TextLog(QString path, qint64 maxBytes, int keep);
    bool open();
    void write(const QString &line); // thread-safe; appends '\n'
    void setLimits(qint64 maxBytes, int keep);
    QString path() const
    {
        return m_path;
    }

private:
    void rotateLocked();

    QMutex m_mutex;
    QString m_path;
    qint64 m_maxBytes;
    int m_keep;
    QFile m_file;
};

} // namespace mailroom::telemetry
