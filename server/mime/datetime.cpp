// Date header parsing: a lenient tokenizer and a reading of the tokens.
//
//   date-time   = [ day-of-week "," ] date time [CFWS]        (RFC 5322 §3.3)
//   date        = day month year
//   time        = time-of-day zone
//   time-of-day = hour ":" minute [ ":" second ]
//   zone        = (FWS ( "+" / "-" ) 4DIGIT) / obs-zone
//   obs-year    = [CFWS] 2*DIGIT [CFWS]                        (RFC 5322 §4.3)
//   obs-zone    = "UT" / "GMT" / "EST" / "EDT" / "CST" / "CDT" / "MST" /
//                 "MDT" / "PST" / "PDT" / %d65-73 / %d75-90 / %d97-105 / %d107-122
//
// Rather than follow the grammar strictly, the value is cut into numbers,
// words, a time and zone offsets (comments dropped), and the date is read
// from what was found: that also covers the common mistakes listed in the
// header. Trust level: parses input from the Internet; bounded token sizes.
#include "mime/datetime.h"

#include <cstring>

namespace mailroom::mime
{

namespace
{

const char *const kMonths[] = { "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december" };
const char *const kDays[] = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };

struct NamedZone {
    const char *name;
    int minutes;
};
// RFC 5322 §4.3 names, plus the ones real mail uses most. Ambiguous names
// (IST, CST in Asia) keep their RFC or most common meaning.
const NamedZone kZones[] = { { "ut", 0 }, { "gmt", 0 }, { "utc", 0 }, { "z", 0 }, { "est", -300 }, { "edt", -240 },
    { "cst", -360 }, { "cdt", -300 }, { "mst", -420 }, { "mdt", -360 }, { "pst", -480 }, { "pdt", -420 }, { "wet", 0 },
    { "west", 60 }, { "bst", 60 }, { "cet", 60 }, { "cest", 120 }, { "met", 60 }, { "mest", 120 }, { "eet", 120 },
    { "eest", 180 }, { "msk", 180 }, { "jst", 540 }, { "kst", 540 }, { "hkt", 480 }, { "aest", 600 }, { "aedt", 660 },
    { "nzst", 720 }, { "nzdt", 780 }, { "akst", -540 }, { "akdt", -480 }, { "hst", -600 } };

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isLetter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// A word of at least three letters that begins a name in the table
// ("Thu", "Thurs", "Thursday"; "Sept").
int prefixIndex(const QByteArray &word, const char *const *names, int count)
{
    if (word.size() < 3)
        return -1;
    for (int i = 0; i < count; ++i) {
        const qsizetype len = qsizetype(std::strlen(names[i]));
        if (word.size() <= len && std::strncmp(names[i], word.constData(), size_t(word.size())) == 0)
            return i;
    }
    return -1;
}

struct Number {
    int value;
    int digits;
};

struct Found {
    QList<Number> numbers;
    int month = 0; // 1..12
    int isoYear = 0, isoDay = 0; // from "yyyy-mm-dd"
    int hour = -1, minute = 0, second = 0;
    bool pm = false, am = false;
    bool haveNumericZone = false, haveNamedZone = false;
    int numericZone = 0, namedZone = 0; // minutes east of UTC
};

// Reads up to maxDigits digits at s[*i]; -1 when there are none or too many.
int readNumber(const QByteArray &s, qsizetype *i, int maxDigits, int *digits)
{
    int value = 0;
    int n = 0;
    while (*i < s.size() && isDigit(s[*i])) {
        if (++n > maxDigits)
            return -1;
        value = value * 10 + (s[*i] - '0');
        ++*i;
    }
    if (digits)
        *digits = n;
    return n == 0 ? -1 : value;
}

// "+hhmm", "+hh:mm", "+hh", "+hmm" after the sign at s[*i]; false for junk.
bool readZone(const QByteArray &s, qsizetype *i, int *minutes)
{
    const int sign = s[*i] == '-' ? -1 : 1;
    ++*i;
    int digits = 0;
    int v = readNumber(s, i, 4, &digits);
    if (v < 0)
        return false;
    int h = v, m = 0;
    if (digits >= 3) {
        h = v / 100;
        m = v % 100;
    } else if (*i + 1 < s.size() && s[*i] == ':' && isDigit(s[*i + 1])) {
        ++*i;
        m = readNumber(s, i, 2, nullptr);
    }
    if (h > 23 || m > 59)
        return false;
    *minutes = sign * (h * 60 + m);
    return true;
}

// "hh:mm[:ss[.frac]]" with the hour already read.
bool readTime(const QByteArray &s, qsizetype *i, int hour, Found *f)
{
    ++*i; // ':'
    const int minute = readNumber(s, i, 2, nullptr);
    if (minute < 0)
        return false;
    int second = 0;
    if (*i + 1 < s.size() && s[*i] == ':' && isDigit(s[*i + 1])) {
        ++*i;
        second = readNumber(s, i, 2, nullptr);
        if (*i + 1 < s.size() && s[*i] == '.' && isDigit(s[*i + 1])) {
            ++*i;
            while (*i < s.size() && isDigit(s[*i]))
                ++*i;
        }
    }
    if (f->hour < 0) {
        f->hour = hour;
        f->minute = minute;
        f->second = second;
    }
    return true;
}

void readWord(const QByteArray &word, bool afterTime, Found *f)
{
    if (word == "am" || word == "pm") {
        (word == "am" ? f->am : f->pm) = true;
        return;
    }
    if (prefixIndex(word, kDays, 7) >= 0)
        return;
    if (const int m = prefixIndex(word, kMonths, 12); m >= 0) {
        if (f->month == 0)
            f->month = m + 1;
        return;
    }
    for (const NamedZone &z : kZones) {
        if (word == z.name) {
            f->haveNamedZone = true;
            f->namedZone = z.minutes;
            return;
        }
    }
    // RFC 5322 §4.3: military and unknown zones are taken as -0000.
    if (afterTime && word.size() <= 5)
        f->haveNamedZone = true;
}

bool tokenize(const QByteArray &s, Found *f)
{
    qsizetype i = 0;
    const qsizetype n = s.size();
    while (i < n) {
        const char c = s[i];
        if (c == '(') { // comment, nested; an unclosed one runs to the end
            int depth = 0;
            for (; i < n; ++i) {
                if (s[i] == '\\')
                    ++i;
                else if (s[i] == '(')
                    ++depth;
                else if (s[i] == ')' && --depth == 0)
                    break;
            }
            ++i;
        } else if ((c == '+' || c == '-') && f->hour >= 0 && i + 1 < n && isDigit(s[i + 1])) {
            int minutes = 0;
            if (readZone(s, &i, &minutes) && !f->haveNumericZone) {
                f->haveNumericZone = true;
                f->numericZone = minutes;
            }
        } else if (isDigit(c)) {
            int digits = 0;
            const int v = readNumber(s, &i, 9, &digits);
            if (v < 0)
                return false;
            if (i < n && s[i] == ':' && digits <= 2) {
                if (!readTime(s, &i, v, f))
                    return false;
            } else if (digits == 4 && i + 1 < n && s[i] == '-' && isDigit(s[i + 1])) {
                // ISO 8601 "yyyy-mm-dd", then "T" or a space and the time.
                ++i;
                const int month = readNumber(s, &i, 2, nullptr);
                if (i + 1 >= n || s[i] != '-' || !isDigit(s[i + 1]))
                    return false;
                ++i;
                f->isoDay = readNumber(s, &i, 2, nullptr);
                f->isoYear = v;
                f->month = month;
                if (i + 1 < n && (s[i] == 'T' || s[i] == 't') && isDigit(s[i + 1]))
                    ++i;
            } else {
                f->numbers.append({ v, digits });
                if (i + 1 < n && s[i] == '-' && isLetter(s[i + 1]))
                    ++i; // "13-Feb-1969"
            }
        } else if (isLetter(c)) {
            const qsizetype start = i;
            while (i < n && isLetter(s[i]))
                ++i;
            if (i - start <= 20)
                readWord(s.mid(start, i - start).toLower(), f->hour >= 0, f);
            if (f->hour < 0 && i + 1 < n && s[i] == '-' && isDigit(s[i + 1]))
                ++i; // "Feb-1969"
        } else {
            ++i; // whitespace, ",", "." and stray punctuation
        }
    }
    return true;
}

} // namespace

QDateTime parseDateTime(const QByteArray &value, int *offsetSeconds)
{
    if (offsetSeconds)
        *offsetSeconds = 0;
    Found f;
    if (value.size() > 1000 || !tokenize(value, &f) || f.month == 0 || f.hour < 0)
        return {};

    int year = f.isoYear, day = f.isoDay, yearDigits = 4;
    if (year == 0) {
        // A number of 3+ digits or above 31 is the year; of the rest, the
        // first plausible day is the day. Else RFC order: day, then year.
        int yearIdx = -1, dayIdx = -1;
        for (int k = 0; k < f.numbers.size() && yearIdx < 0; ++k)
            if (f.numbers[k].digits >= 3 || f.numbers[k].value > 31)
                yearIdx = k;
        for (int k = 0; k < f.numbers.size() && dayIdx < 0; ++k)
            if (k != yearIdx && f.numbers[k].value >= 1 && f.numbers[k].value <= 31)
                dayIdx = k;
        for (int k = dayIdx + 1; k < f.numbers.size() && yearIdx < 0; ++k)
            yearIdx = k;
        if (yearIdx < 0 || dayIdx < 0)
            return {};
        year = f.numbers[yearIdx].value;
        yearDigits = f.numbers[yearIdx].digits;
        day = f.numbers[dayIdx].value;
    }
    // obs-year: two digits are 1950-2049, three digits are added to 1900.
    if (yearDigits <= 2)
        year += year < 50 ? 2000 : 1900;
    else if (yearDigits == 3)
        year += 1900;

    int hour = f.hour;
    if (f.am || f.pm) {
        if (hour < 1 || hour > 12)
            return {};
        hour = hour % 12 + (f.pm ? 12 : 0);
    }
    if (hour > 23 || f.minute > 59 || f.second > 60)
        return {};
    const QDate date(year, f.month, day);
    const QTime time(hour, f.minute, qMin(f.second, 59)); // a leap second is kept in its minute
    if (!date.isValid() || !time.isValid())
        return {};
    const int zoneMinutes = f.haveNumericZone ? f.numericZone : (f.haveNamedZone ? f.namedZone : 0);
    if (offsetSeconds)
        *offsetSeconds = zoneMinutes * 60;
    return QDateTime(date, time, Qt::UTC).addSecs(-qint64(zoneMinutes) * 60);
}

} // namespace mailroom::mime
