#include "common/format.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

namespace mailroom::widgets
{

QString formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString formatDuration(qint64 s)
{
    if (s >= 86400)
        return QCoreApplication::translate("format", "%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
    if (s >= 3600)
        return QCoreApplication::translate("format", "%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    if (s >= 60)
        return QCoreApplication::translate("format", "%1 min %2 s").arg(s / 60).arg(s % 60);
    return QCoreApplication::translate("format", "%1 s").arg(s);
}

QString formatTime(const QString &isoUtc)
{
    const QDateTime t = QDateTime::fromString(isoUtc, Qt::ISODateWithMs);
    if (!t.isValid())
        return isoUtc;
    return t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace mailroom::widgets
