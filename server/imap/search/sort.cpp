// SORT criteria, base subject extraction and message ordering.
// RFC 5256 §2.1, §3, §5; RFC 5957 §3 (display sort keys).
//
//   subject     = *subj-leader [subj-middle] *subj-trailer
//   subj-refwd  = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
//   subj-blob   = "[" *BLOBCHAR "]" *WSP
//   subj-fwd    = subj-fwd-hdr subject subj-fwd-trl
//   subj-fwd-hdr = "[fwd:"
//   subj-fwd-trl = "]"
//   subj-leader = (*subj-blob subj-refwd) / WSP
//   subj-middle = *subj-blob (subj-base / subj-fwd)
//   subj-trailer = "(fwd)" / WSP
//   subj-base   = NONWSP *(*WSP NONWSP)
//   BLOBCHAR    = %x01-5a / %x5c / %x5e-ff      ; anything but "[" and "]"
//
// Trust level: parses input from the Internet; linear per step, and every
// repetition removes text, so the whole is quadratic at worst in a subject.
#include "imap/search/sort.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <vector>

#include "mime/address.h"
#include "mime/charset.h"
#include "mime/datetime.h"
#include "mime/envelope.h"

namespace mailroom::imap
{

namespace
{

bool isWsp(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t');
}

// subj-blob at s[pos]: the offset just past it (and its *WSP), or -1.
qsizetype blobEnd(const QString &s, qsizetype pos)
{
    if (pos >= s.size() || s[pos] != QLatin1Char('['))
        return -1;
    for (qsizetype i = pos + 1; i < s.size(); ++i) {
        if (s[i] == QLatin1Char('['))
            return -1;
        if (s[i] == QLatin1Char(']')) {
            ++i;
            while (i < s.size() && isWsp(s[i]))
                ++i;
            return i;
        }
    }
    return -1;
}

// subj-leader "*subj-blob subj-refwd" at the start: its length, or 0.
qsizetype refwdLeader(const QString &s)
{
    qsizetype pos = 0;
    for (qsizetype e; (e = blobEnd(s, pos)) > 0;)
        pos = e;
    static const char *const words[] = { "re", "fwd", "fw" };
    for (const char *w : words) {
        const QLatin1String word(w);
        if (!QStringView(s).mid(pos).startsWith(word, Qt::CaseInsensitive))
            continue;
        qsizetype p = pos + word.size();
        while (p < s.size() && isWsp(s[p]))
            ++p;
        if (const qsizetype e = blobEnd(s, p); e > 0)
            p = e;
        if (p < s.size() && s[p] == QLatin1Char(':'))
            return p + 1;
    }
    return 0;
}

// Step 2: subj-trailer = "(fwd)" / WSP, repeatedly.
void removeTrailers(QString *s, bool *reply)
{
    for (;;) {
        if (!s->isEmpty() && isWsp(s->back())) {
            s->chop(1);
        } else if (s->endsWith(QLatin1String("(fwd)"), Qt::CaseInsensitive)) {
            s->chop(5);
            *reply = true;
        } else {
            return;
        }
    }
}

// Steps 3 to 5: leaders and a leading blob, until neither matches.
void removeLeaders(QString *s, bool *reply)
{
    for (bool changed = true; changed;) {
        changed = false;
        for (;;) { // (3) *subj-leader
            if (!s->isEmpty() && isWsp(s->front())) {
                s->remove(0, 1);
            } else if (const qsizetype n = refwdLeader(*s); n > 0) {
                s->remove(0, n);
                *reply = true;
            } else {
                break;
            }
            changed = true;
        }
        // (4) a leading subj-blob, unless nothing (no subj-base) would be left
        if (const qsizetype e = blobEnd(*s, 0); e > 0 && e < s->size()) {
            s->remove(0, e);
            changed = true;
        }
    }
}

int compareStrings(const QString &a, const QString &b)
{
    return a.compare(b, Qt::CaseSensitive); // both already case folded
}

template<typename T> int compareValues(const T &a, const T &b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

int compareBy(const SortFields &a, const SortFields &b, SortKey::Field field)
{
    switch (field) {
    case SortKey::Field::Arrival:
        return compareValues(a.arrival, b.arrival);
    case SortKey::Field::Date:
        return compareValues(a.sent, b.sent);
    case SortKey::Field::Size:
        return compareValues(a.size, b.size);
    case SortKey::Field::Cc:
        return compareStrings(a.cc, b.cc);
    case SortKey::Field::From:
        return compareStrings(a.from, b.from);
    case SortKey::Field::To:
        return compareStrings(a.to, b.to);
    case SortKey::Field::Subject:
        return compareStrings(a.subject, b.subject);
    case SortKey::Field::DisplayFrom:
        return compareStrings(a.displayFrom, b.displayFrom);
    case SortKey::Field::DisplayTo:
        return compareStrings(a.displayTo, b.displayTo);
    }
    return 0;
}

// RFC 5256 §3: the addr-mailbox of the first address; a group's start is
// an address whose mailbox is the group name (RFC 3501 §7.4.2).
QString firstMailbox(const QList<mime::AddressGroup> &list)
{
    if (list.isEmpty())
        return {};
    const mime::AddressGroup &g = list.first();
    if (g.isGroup)
        return g.name.toCaseFolded();
    return g.members.isEmpty() ? QString() : mime::raw8bitToString(g.members.first().local).toCaseFolded();
}

// RFC 5957 §3: the display name of the first address when it has one, else
// its addr-spec; a group gives its name.
QString firstDisplay(const QList<mime::AddressGroup> &list)
{
    if (list.isEmpty())
        return {};
    const mime::AddressGroup &g = list.first();
    if (g.isGroup)
        return g.name.simplified().toCaseFolded();
    if (g.members.isEmpty())
        return {};
    const mime::Mailbox &m = g.members.first();
    const QString name = m.name.simplified();
    return (name.isEmpty() ? mime::raw8bitToString(m.addrSpec()) : name).toCaseFolded();
}

} // namespace

bool parseSortCriteria(const Args &args, int index, QList<SortKey> *out, QByteArray *error)
{
    static const struct {
        const char *name;
        SortKey::Field field;
    } keys[] = { { "ARRIVAL", SortKey::Field::Arrival }, { "CC", SortKey::Field::Cc }, { "DATE", SortKey::Field::Date },
        { "FROM", SortKey::Field::From }, { "SIZE", SortKey::Field::Size }, { "SUBJECT", SortKey::Field::Subject },
        { "TO", SortKey::Field::To }, { "DISPLAYFROM", SortKey::Field::DisplayFrom },
        { "DISPLAYTO", SortKey::Field::DisplayTo } };
    if (index < 0 || index >= args.size() || !args[index].isList() || args[index].children.isEmpty()) {
        *error = "sort criteria expected";
        return false;
    }
    QList<SortKey> result;
    bool reverse = false;
    for (const Arg &a : args[index].children) {
        if (!reverse && a.is("REVERSE")) {
            reverse = true;
            continue;
        }
        bool known = false;
        for (const auto &k : keys) {
            if (a.is(k.name)) {
                result.append({ k.field, reverse });
                known = true;
                break;
            }
        }
        if (!known) {
            *error = "unknown sort key";
            return false;
        }
        reverse = false;
    }
    if (reverse) {
        *error = "sort key expected after REVERSE";
        return false;
    }
    *out = std::move(result);
    return true;
}

QString baseSubject(const QString &decodedSubject, bool *isReplyOrForward)
{
    // (1) Tabs and line breaks become spaces; runs of spaces become one.
    QString s;
    s.reserve(decodedSubject.size());
    for (QChar c : decodedSubject) {
        if (c == QLatin1Char('\t') || c == QLatin1Char('\r') || c == QLatin1Char('\n'))
            c = QLatin1Char(' ');
        if (c == QLatin1Char(' ') && s.endsWith(QLatin1Char(' ')))
            continue;
        s += c;
    }
    bool reply = false;
    for (;;) {
        removeTrailers(&s, &reply); // (2)
        removeLeaders(&s, &reply); // (3), (4), (5)
        // (6) "[fwd:" subject "]": unwrap and start again from (2).
        if (s.size() >= 6 && s.startsWith(QLatin1String("[fwd:"), Qt::CaseInsensitive)
            && s.endsWith(QLatin1Char(']'))) {
            s = s.mid(5, s.size() - 6);
            reply = true;
            continue;
        }
        break;
    }
    if (isReplyOrForward)
        *isReplyOrForward = reply;
    return s;
}

SortFields sortFieldsFrom(const mime::HeaderBlock &headers, qint64 id, qint64 size, const QDateTime &arrival)
{
    SortFields f;
    f.id = id;
    f.size = size;
    f.arrival = arrival.toUTC();
    f.sent = mime::parseDateTime(headers.value("Date"));
    if (!f.sent.isValid())
        f.sent = f.arrival; // RFC 5256 §2.2: the internal date stands in
    const QList<mime::AddressGroup> from = mime::parseAddressList(headers.value("From"));
    const QList<mime::AddressGroup> to = mime::parseAddressList(headers.value("To"));
    f.from = firstMailbox(from);
    f.to = firstMailbox(to);
    f.cc = firstMailbox(mime::parseAddressList(headers.value("Cc")));
    f.displayFrom = firstDisplay(from);
    f.displayTo = firstDisplay(to);
    f.subject = baseSubject(mime::decodedSubject(headers)).toCaseFolded();
    return f;
}

bool sortableFromCache(const QList<SortKey> &keys)
{
    return std::all_of(keys.cbegin(), keys.cend(), [](const SortKey &k) {
        using F = SortKey::Field;
        return k.field == F::Arrival || k.field == F::Date || k.field == F::Size || k.field == F::Subject;
    });
}

SortFields sortFieldsFromCache(const QString &dateText,
    const QString &decodedSubject,
    qint64 id,
    qint64 size,
    const QDateTime &arrival,
    const QList<SortKey> &keys)
{
    const auto wants = [&keys](SortKey::Field field) {
        return std::any_of(keys.cbegin(), keys.cend(), [field](const SortKey &k) { return k.field == field; });
    };
    SortFields f;
    f.id = id;
    f.size = size;
    f.arrival = arrival.toUTC();
    if (wants(SortKey::Field::Date)) {
        f.sent = mime::parseDateTime(dateText.toLatin1());
        if (!f.sent.isValid())
            f.sent = f.arrival;
    }
    if (wants(SortKey::Field::Subject))
        f.subject = baseSubject(decodedSubject).toCaseFolded();
    return f;
}

QList<qint64> sortMessages(const QList<SortFields> &messages, const QList<SortKey> &keys)
{
    QList<qsizetype> order(messages.size());
    std::iota(order.begin(), order.end(), qsizetype(0));
    // Dates as numbers, once: comparing QDateTimes is slow enough to matter
    // in a 100,000-message sort. An invalid date sorts first, as in Qt.
    const auto msecs
        = [](const QDateTime &t) { return t.isValid() ? t.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min(); };
    std::vector<qint64> sent(size_t(messages.size()));
    std::vector<qint64> arrival(size_t(messages.size()));
    for (qsizetype i = 0; i < messages.size(); ++i) {
        sent[size_t(i)] = msecs(messages[i].sent);
        arrival[size_t(i)] = msecs(messages[i].arrival);
    }
    const auto compare = [&](qsizetype x, qsizetype y, SortKey::Field field) {
        switch (field) {
        case SortKey::Field::Date:
            return compareValues(sent[size_t(x)], sent[size_t(y)]);
        case SortKey::Field::Arrival:
            return compareValues(arrival[size_t(x)], arrival[size_t(y)]);
        default:
            return compareBy(messages[x], messages[y], field);
        }
    };
    std::sort(order.begin(), order.end(), [&](qsizetype x, qsizetype y) {
        const SortFields &a = messages[x];
        const SortFields &b = messages[y];
        for (const SortKey &k : keys) {
            const int c = compare(x, y, k.field);
            if (c != 0)
                return k.reverse ? c > 0 : c < 0;
        }
        return a.id < b.id;
    });
    QList<qint64> ids;
    ids.reserve(order.size());
    for (qsizetype i : order)
        ids.append(messages[i].id);
    return ids;
}

} // namespace mailroom::imap
