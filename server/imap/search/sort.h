// SORT: criteria parsing, the base subject, per-message sort fields and the
// ordering itself. RFC 5256 §2.1 (base subject), §3 (SORT command and sort
// keys), RFC 5957 (DISPLAYFROM, DISPLAYTO).
// Trust level: parses input from the Internet (the criteria and the headers).
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include "imap/parser/args.h"
#include "mime/headers.h"

namespace mailroom::imap
{

struct SortKey {
    enum class Field { Arrival, Cc, Date, From, Size, Subject, To, DisplayFrom, DisplayTo };
    Field field = Field::Arrival;
    bool reverse = false;
};

//   sort-criteria  = "(" sort-criterion *(SP sort-criterion) ")"
//   sort-criterion = ["REVERSE" SP] sort-key
//   sort-key       = "ARRIVAL" / "CC" / "DATE" / "FROM" / "SIZE" /
//                    "SUBJECT" / "TO"                               (RFC 5256 §4)
//   sort-key       =/ "DISPLAYFROM" / "DISPLAYTO"                   (RFC 5957 §4)
// args[index] must be the list. False with a reason for a BAD in *error.
bool parseSortCriteria(const Args &args, int index, QList<SortKey> *out, QByteArray *error);

// The base subject of RFC 5256 §2.1 from an RFC 2047-decoded subject:
// "Re:", "Fw:", "Fwd:" (with an optional [blob]), leading [blob]s, trailing
// "(fwd)" and "[Fwd: ...]" wrappers removed, whitespace collapsed. Case is
// kept; *isReplyOrForward (may be null) is set when anything of that kind
// was removed (THREAD=REFERENCES step 5 needs it).
QString baseSubject(const QString &decodedSubject, bool *isReplyOrForward = nullptr);

// What SORT compares, one per message. Strings are in comparison form
// (case folded).
struct SortFields {
    qint64 id = 0; // UID or sequence number: the final tie-break, ascending
    qint64 size = 0;
    QDateTime arrival; // INTERNALDATE
    QDateTime sent; // the Date header, or the internal date when unparseable
    QString cc; // addr-mailbox of the first Cc address
    QString from;
    QString to;
    QString subject; // base subject
    QString displayFrom; // display name of the first From address, else its addr-spec
    QString displayTo;
};

SortFields sortFieldsFrom(const mime::HeaderBlock &headers, qint64 id, qint64 size, const QDateTime &arrival);

// Whether every key can be served from the store's cached fields (the Date
// header's text and the decoded subject), without reading the messages:
// ARRIVAL, DATE, SIZE and SUBJECT.
bool sortableFromCache(const QList<SortKey> &keys);
// The fields those keys compare, from the cached Date text and decoded
// subject; what no key asks for (and the address fields) stays empty.
SortFields sortFieldsFromCache(const QString &dateText,
    const QString &decodedSubject,
    qint64 id,
    qint64 size,
    const QDateTime &arrival,
    const QList<SortKey> &keys);

// The ids of messages in SORT order: by each key in turn (REVERSE inverts
// that key only), ties by id ascending.
QList<qint64> sortMessages(const QList<SortFields> &messages, const QList<SortKey> &keys);

} // namespace mailroom::imap
