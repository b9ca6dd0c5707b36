// Evaluates a parsed SEARCH query against one message at a time. The
// session supplies each message through SearchSubject; index data (flags,
// size, dates, UID, modseq) is tested before anything that needs the
// message's bytes, and those are parsed at most once per matches() call.
// RFC 9051 §6.4.4 (key semantics, case-insensitive substring matching),
// RFC 2047 (header decoding), RFC 5322 §3.3 (Date for SENT*), RFC 7162 §3.1.5.
// Trust level: evaluates input from the Internet (the query and the mail).
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QStringList>

#include "imap/search/searchkey.h"

namespace mailroom::imap
{

class SearchSubject
{
public:
    virtual ~SearchSubject();
    virtual qint64 seq() const = 0;
    virtual qint64 uid() const = 0;
    virtual quint32
    flags() const = 0; // MessageFlag bits: 1 Seen, 2 Answered, 4 Flagged, 8 Deleted, 16 Draft, 32 Recent
    virtual const QStringList &keywords() const = 0;
    virtual qint64 size() const = 0;
    virtual QDateTime internalDate() const = 0;
    virtual qint64 modseq() const = 0;
    virtual const QByteArray &message() = 0; // full bytes, loaded on first call
    // The RFC 2047-decoded, whitespace-collapsed value of the first field of
    // that name, when the store keeps it (the subject), so that a search on
    // it need not read the message; null when unknown or possibly cut short.
    virtual const QString *cachedField(const QByteArray &name) const
    {
        Q_UNUSED(name);
        return nullptr;
    }
};

// True when the message matches. largestSeq and largestUid resolve "*" in
// sequence sets (0 for an empty mailbox). Header keys match a case-folded
// substring of the RFC 2047-decoded value of every occurrence of the field
// (an empty string matches when the field is present); BODY searches the
// decoded text of the text parts (HTML as text, embedded messages' headers
// included); TEXT searches the headers and then the body. SINCE/ON/BEFORE
// use the UTC date of the internal date; SENT* the Date header's date as
// the sender wrote it, or the internal date when it cannot be parsed.
bool matches(const SearchQuery &query, SearchSubject &subject, qint64 largestSeq, qint64 largestUid);

} // namespace mailroom::imap
