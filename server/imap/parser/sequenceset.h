// Sequence sets: "1:4,7,9:*" (RFC 9051 §9 sequence-set), for message
// sequence numbers and UIDs, and "$" for the saved search result (RFC 5182,
// not advertised). Trust level: parses input from the Internet; a set is
// kept as ranges, so "1:4294967295" costs two numbers, not four billion.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace mailroom::imap
{

class SequenceSet
{
public:
    struct Range {
        qint64 first; // 0 stands for "*" until resolved
        qint64 last;
    };

    // Parses seq-number / seq-range lists. Numbers are 1..2^32-1, "*" allowed.
    static bool parse(const QByteArray &text, SequenceSet *out);
    static SequenceSet fromList(QList<qint64> sortedValues); // compacts into ranges

    // With "*" replaced by largest (the highest sequence number or UID in
    // the mailbox, 0 when empty); ranges are ordered (a:b == b:a).
    bool contains(qint64 value, qint64 largest) const;
    // The values of the set that are in sorted (ascending) candidates.
    QList<qint64> filter(const QList<qint64> &sortedCandidates, qint64 largest) const;
    // Every value 1..largest in the set, ascending, without duplicates.
    QList<qint64> expand(qint64 largest) const;
    bool isEmpty() const
    {
        return m_ranges.isEmpty();
    }
    const QList<Range> &ranges() const
    {
        return m_ranges;
    }
    // "1:4,7" with ascending, merged ranges (COPYUID, ESEARCH ALL, VANISHED).
    QByteArray toText() const;
    static QByteArray toText(const QList<qint64> &sortedValues);

private:
    QList<Range> m_ranges;
};

} // namespace mailroom::imap
