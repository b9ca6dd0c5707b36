// Value helpers for IMAP arguments: numbers, dates and date-times
// (RFC 9051 §9: number64, nz-number, date, date-time, zone).
// Trust level: parses input from the Internet.
#include "imap/parser/args.h"

#include <QTimeZone>

namespace mailroom::imap
{

namespace
{
const char *const kMonths[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

bool digits(const QByteArray &v, int minLen, int maxLen, int *out)
{
    if (v.size() < minLen || v.size() > maxLen)
        return false;
    int n = 0;
    for (char c : v) {
        if (c < '0' || c > '9')
            return false;
        n = n * 10 + (c - '0');
    }
    *out = n;
    return true;
}

int month(const QByteArray &v)
{
    for (int i = 0; i < 12; ++i)
        if (v.compare(kMonths[i], Qt::CaseInsensitive) == 0)
            return i + 1;
    return 0;
}

// date-text = date-day "-" date-month "-" date-year
bool parseDateText(const QByteArray &t, bool fixedDay, QDate *out)
{
    QByteArray v = t;
    if (fixedDay && v.startsWith(' '))
        v = v.mid(1);
    const auto first = v.indexOf('-');
    if (first < 0)
        return false;
    const auto second = v.mid(first + 1).indexOf('-');
    if (second < 0)
        return false;
    int d = 0, y = 0;
    if (!digits(v.left(first), 1, 2, &d))
        return false;
    const int m = month(v.mid(first + 1, second));
    if (m == 0 || !digits(v.mid(first + 1 + second + 1), 4, 4, &y))
        return false;
    const QDate date(y, m, d);
    if (!date.isValid())
        return false;
    *out = date;
    return true;
}
} // namespace

bool toNumber(const Arg &a, qint64 *out)
{
    if (a.kind != Arg::Kind::Atom || a.text.isEmpty() || a.text.size() > 19)
        return false;
    qint64 n = 0;
    for (char c : a.text) {
        if (c < '0' || c > '9')
            return false;
        n = n * 10 + (c - '0');
        if (n < 0)
            return false;
    }
    *out = n;
    return true;
}

bool toNzNumber(const Arg &a, qint64 *out)
{
    qint64 n = 0;
    if (!toNumber(a, &n) || n == 0 || a.text.startsWith('0'))
        return false;
    *out = n;
    return true;
}

bool toDate(const Arg &a, QDate *out)
{
    if (a.isList() || a.kind == Arg::Kind::Literal)
        return false;
    return parseDateText(a.text, false, out);
}

bool toDateTime(const Arg &a, QDateTime *out)
{
    // "17-Jul-1996 02:44:25 -0700": 26 characters exactly.
    if (!a.isString() || a.text.size() != 26)
        return false;
    const QByteArray &t = a.text;
    QDate date;
    if (!parseDateText(t.left(11), true, &date) || t[11] != ' ' || t[14] != ':' || t[17] != ':' || t[20] != ' ')
        return false;
    int h = 0, m = 0, s = 0, zh = 0, zm = 0;
    if (!digits(t.mid(12, 2), 2, 2, &h) || !digits(t.mid(15, 2), 2, 2, &m) || !digits(t.mid(18, 2), 2, 2, &s))
        return false;
    const char sign = t[21];
    if ((sign != '+' && sign != '-') || !digits(t.mid(22, 2), 2, 2, &zh) || !digits(t.mid(24, 2), 2, 2, &zm))
        return false;
    const QTime time(h, m, s);
    if (!time.isValid() || zm > 59)
        return false;
    const int offset = (sign == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
    QDateTime dt(date, time, QTimeZone(offset));
    if (!dt.isValid())
        return false;
    *out = dt.toUTC();
    return true;
}

QByteArray formatDateTime(const QDateTime &dt)
{
    const QDateTime u = dt.toUTC();
    const QDate d = u.date();
    const QTime t = u.time();
    return QByteArray::number(d.day()).rightJustified(2, '0') + '-' + kMonths[d.month() - 1] + '-'
        + QByteArray::number(d.year()).rightJustified(4, '0') + ' '
        + QByteArray::number(t.hour()).rightJustified(2, '0') + ':'
        + QByteArray::number(t.minute()).rightJustified(2, '0') + ':'
        + QByteArray::number(t.second()).rightJustified(2, '0') + " +0000";
}

} // namespace mailroom::imap
