// Small helpers shared by the store's table code. Trust level: internal.
#pragma once

#include <QDateTime>
#include <QString>
#include <QVariantMap>

#include "base/events.h"

namespace mailroom::store
{

inline qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

inline QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

// A LIKE pattern matching filter as a substring (with '\' as escape).
inline QString likePattern(const QString &filter)
{
    QString f = filter;
    f.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('%'), QStringLiteral("\\%"))
        .replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + f + QLatin1Char('%');
}

inline void raise(EventBus *bus, EventId id, QVariantMap fields)
{
    if (bus)
        bus->raise(id, std::move(fields));
}

} // namespace mailroom::store
