// SEARCH criteria as a tree of keys, parsed from a command's arguments.
// RFC 3501 §6.4.4 and RFC 9051 §6.4.4 (SEARCH), RFC 4731 (ESEARCH: RETURN
// MIN MAX ALL COUNT), RFC 7162 §3.1.5 (MODSEQ), RFC 5256 §3 (the mandatory
// charset of SORT and THREAD).
// Trust level: parses input from the Internet. Pure; nesting is bounded by
// kMaxSearchDepth and the key count by the command reader's argument bound.
#pragma once

#include <QByteArray>
#include <QDate>
#include <QList>
#include <QString>

#include "imap/parser/args.h"
#include "imap/parser/sequenceset.h"

namespace mailroom::imap
{

// The flag bits of SearchSubject::flags().
enum MessageFlag : quint32 {
    FlagSeen = 1,
    FlagAnswered = 2,
    FlagFlagged = 4,
    FlagDeleted = 8,
    FlagDraft = 16,
    FlagRecent = 32,
};

constexpr int kMaxSearchDepth = 64; // NOT / OR / ( ) nesting; deeper is refused as BAD

struct SearchKey {
    enum class Kind {
        And, // children: all must match (the top level, "( ... )")
        Or, // children: two
        Not, // children: one
        All,
        Flags, // flagsSet all set and flagsClear all clear (ANSWERED ... UNSEEN, NEW, OLD)
        Keyword, // text: the keyword
        Unkeyword,
        Header, // field: the name ("From" for FROM ...); text: the string, case folded
        Body, // text
        Text, // text: headers or body
        Before, // internal date (its UTC date) < date
        On,
        Since, // >= date
        SentBefore, // Date header as the sender wrote it
        SentOn,
        SentSince,
        Larger, // size > number
        Smaller, // size < number
        Sequence, // set of message sequence numbers
        Uid, // set of UIDs
        ModSeq, // modseq >= number
    };
    // Evaluation cost: keys are evaluated cheapest first.
    enum Cost { CostIndex = 0, CostHeaders = 1, CostBody = 2 };

    Kind kind = Kind::All;
    quint32 flagsSet = 0;
    quint32 flagsClear = 0;
    QByteArray field;
    QString text;
    QDate date;
    qint64 number = 0;
    SequenceSet set;
    QByteArray modseqEntry; // MODSEQ "/flags/\Seen" all: accepted, not used (one modseq per message)
    QByteArray modseqType;
    QList<SearchKey> children;
    int cost = CostIndex; // the highest cost in the subtree
};

struct SearchQuery {
    enum ReturnOption {
        ReturnMin = 1,
        ReturnMax = 2,
        ReturnAll = 4,
        ReturnCount = 8,
    };
    SearchKey root; // Kind::And of the top-level keys
    bool esearch = false; // RETURN (...) was given: answer with ESEARCH (RFC 4731)
    int returnOptions = 0; // ReturnOption bits; "RETURN ()" means ReturnAll
    QByteArray charset = QByteArrayLiteral("UTF-8"); // upper case
};

// SEARCH arguments from args[start]:
//   search = "SEARCH" [search-return-opts] SP search-program
//   search-return-opts = SP "RETURN" SP "(" [search-return-opt
//                        *(SP search-return-opt)] ")"            (RFC 4731)
//   search-program = ["CHARSET" SP charset SP] search-key *(SP search-key)
// Returns false with a short reason for a BAD in *error. An unsupported
// charset (only UTF-8 and US-ASCII are) sets *badCharset (may be null): the
// answer is NO [BADCHARSET (UTF-8 US-ASCII)].
bool parseSearch(const Args &args, int start, SearchQuery *out, QByteArray *error, bool *badCharset);

// SORT and THREAD criteria from args[start] (RFC 5256 §3):
//   search-criteria = charset 1*(SP search-key)
bool parseSearchCriteria(const Args &args, int start, SearchQuery *out, QByteArray *error, bool *badCharset);

// The query has a MODSEQ key: SEARCH answers with (MODSEQ n), RFC 7162 §3.1.5.
bool usesModSeq(const SearchQuery &query);
// Evaluation will call SearchSubject::message() for headers (header keys,
// SENT*) or for the body (BODY, TEXT).
bool needsHeaders(const SearchQuery &query);
bool needsBody(const SearchQuery &query);

// A canonical text of a key tree, for tests and logs, in evaluation order:
// "(SEEN (OR UID 1:* HEADER From \"bob\"))". Strings are shown case folded.
QByteArray describe(const SearchKey &key);

} // namespace mailroom::imap
