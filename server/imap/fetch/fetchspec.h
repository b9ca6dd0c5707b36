// What a FETCH command asks for: the fetch-att arguments parsed into a
// FetchSpec, and the response piece for each body item.
// RFC 9051 §6.4.5 (FETCH), §7.5.2 (FETCH response), §9 (fetch-att, msg-att);
// RFC 3501 §6.4.5 (RFC822, RFC822.HEADER, RFC822.TEXT); RFC 3516 (BINARY);
// RFC 7162 §3.1.4.1 (MODSEQ). Trust level: parses input from the Internet;
// the argument tree is already bounded by the command reader.
#pragma once

#include <QByteArray>
#include <QList>

#include "imap/fetch/section.h"
#include "imap/parser/args.h"
#include "mime/part.h"

namespace mailroom::imap
{

struct BodyItem {
    enum Kind {
        Body, // BODY[section]<partial>: sets \Seen
        BodyPeek, // BODY.PEEK[section]<partial>
        Binary, // BINARY[part]<partial>: sets \Seen
        BinaryPeek, // BINARY.PEEK[part]<partial>
        BinarySize, // BINARY.SIZE[part]
        Rfc822, // = BODY[], answered as RFC822
        Rfc822Header, // = BODY.PEEK[HEADER], answered as RFC822.HEADER
        Rfc822Text, // = BODY[TEXT], answered as RFC822.TEXT
    };
    Kind kind = Body;
    Section section;
    qint64 partialStart = -1; // -1: no <start.length>
    qint64 partialLength = -1;

    bool setsSeen() const;
    bool isBinary() const
    {
        return kind == Binary || kind == BinaryPeek || kind == BinarySize;
    }
    // The item name in the response: "BODY[1.MIME]<0>", "BINARY.SIZE[1]", "RFC822.HEADER".
    QByteArray responseName() const;
};

struct FetchSpec {
    bool uid = false;
    bool flags = false;
    bool internalDate = false;
    bool rfc822Size = false;
    bool envelope = false;
    bool body = false; // BODY without a section: the non-extensible structure
    bool bodyStructure = false;
    bool modseq = false;
    QList<BodyItem> items; // in request order

    // A body item without .PEEK: the session sets \Seen (RFC 9051 §6.4.5).
    bool setsSeen() const;
    // The message bytes are needed: any body item, or ENVELOPE, BODY,
    // BODYSTRUCTURE (the session may answer those from its cache instead).
    bool needsContent() const;
    // The MIME tree is needed: ENVELOPE, BODY, BODYSTRUCTURE, or an item with
    // a part number or HEADER/TEXT/MIME (BODY[] and RFC822 need only bytes).
    bool needsParse() const;
};

// Parses one fetch-att, e.g. "BODY.PEEK[HEADER.FIELDS (A B)]<0.10>", into *out.
bool parseFetchAtt(QByteArrayView text, FetchSpec *out, QByteArray *error);

// args[index] is a macro (ALL, FAST, FULL), one fetch-att atom, or a list of
// fetch-att atoms. Adds what it asks for to *out; on failure returns false
// and sets *error (may be null) to a short reason for the BAD response.
bool parseFetchAtts(const Args &args, int index, FetchSpec *out, QByteArray *error);

// The complete response piece for one item, e.g. "BODY[1.MIME] {123}\r\n..."
// or "BINARY.SIZE[1] 1234". msg is the message and root its MIME tree. For a
// BINARY item whose part has an unknown Content-Transfer-Encoding, sets
// *unknownCte (may be null) and returns an empty QByteArray: the session
// answers NO [UNKNOWN-CTE] (RFC 3516 §4.3).
QByteArray renderBodyItem(const BodyItem &item, const QByteArray &msg, const mime::Part &root, bool *unknownCte);

} // namespace mailroom::imap
