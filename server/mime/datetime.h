// The Date header: RFC 5322 §3.3 date-time, the obsolete forms of §4.3
// (two- and three-digit years, named and military zones, comments and
// folding anywhere) and the mistakes real mail makes (no comma, full day
// and month names, "13-Feb-1969", asctime order, missing seconds or zone,
// "+01:00", "GMT+0100", ISO 8601 "1969-02-13T23:32:54Z", AM/PM).
// Trust level: parses input from the Internet; pure, linear, never throws.
#pragma once

#include <QByteArray>
#include <QDateTime>

namespace mailroom::mime
{

// The instant in UTC, or an invalid QDateTime when no day, month, year and
// time could be found or they do not form a real date. *offsetSeconds (may
// be null) receives the zone offset the header gave (east of UTC positive,
// 0 for unknown or missing zones), so callers can recover the date as the
// sender wrote it: parsed.addSecs(offset).date().
QDateTime parseDateTime(const QByteArray &value, int *offsetSeconds = nullptr);

} // namespace mailroom::mime
