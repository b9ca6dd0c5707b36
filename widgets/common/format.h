// Formatting helpers for the console: sizes, durations, times.
#pragma once

#include <QString>

namespace mailroom::widgets
{
QString formatBytes(qint64 bytes);
QString formatDuration(qint64 seconds);
QString formatTime(const QString &isoUtc); // local time, short
} // namespace mailroom::widgets
