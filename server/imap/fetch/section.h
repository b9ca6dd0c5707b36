// FETCH body sections: "[1.2.HEADER.FIELDS (From To)]" parsed into a
// Section, the bytes a section names, partial ranges, and BINARY decoding.
// RFC 9051 §6.4.5 (BODY[section]<partial>), §9 (section ABNF); RFC 3516
// (BINARY, BINARY.SIZE). Trust level: parses input from the Internet (the
// section text) and reads messages written by outsiders; bounded by the
// command reader's line limit and the MIME tree's bounds.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include "mime/part.h"

namespace mailroom::imap
{

struct Section {
    enum class Text {
        Full, // [] or [1.2]: the whole message, or the part's body
        Header, // HEADER
        HeaderFields, // HEADER.FIELDS (...)
        HeaderFieldsNot, // HEADER.FIELDS.NOT (...)
        Text, // TEXT
        Mime, // 1.MIME: the part's own header block (needs a part number)
    };
    QList<int> part; // section-part; empty for the top level
    Text text = Text::Full;
    QList<QByteArray> fields; // header field names for (HEADER.FIELDS[.NOT]), as the client wrote them

    // The section-spec as echoed in the response: "1.HEADER.FIELDS (From To)".
    QByteArray toText() const;
};

// Parses what is between "[" and "]". On failure returns false and sets
// *error (may be null) to a short reason for the BAD response.
bool parseSection(QByteArrayView insideBrackets, Section *out, QByteArray *error);

// The index of the "]" that closes a section whose content starts at from
// in text (quoted strings, literals and parenthesised lists skipped), or -1.
qsizetype findSectionEnd(QByteArrayView text, qsizetype from);

// The part a section-part names, or null when there is none. Part 1 of a
// non-multipart is that part itself; a message/rfc822 part followed by more
// numbers stands for the parts of the embedded message.
const mime::Part *findPart(const mime::Part &root, const QList<int> &part);

// The bytes the section names in msg (root = mime::parseMessage(msg)); an
// empty QByteArray when the part does not exist, and for HEADER / TEXT /
// HEADER.FIELDS after a part number that is not a message/rfc822 part.
QByteArray extractSection(const QByteArray &msg, const mime::Part &root, const Section &section);

// <start.length>: the bytes from start, at most length of them; empty when
// start is beyond the end. start < 0 means no partial (all of data).
QByteArray applyPartial(const QByteArray &data, qint64 start, qint64 length);

enum class BinaryResult {
    Ok,
    UnknownCte, // RFC 3516 §4.3: answer NO [UNKNOWN-CTE]
};

// BINARY[part]: the part's content with its Content-Transfer-Encoding
// removed (base64, quoted-printable; 7bit, 8bit and binary as they are).
// An empty part list gives the whole message unchanged; a missing part
// gives empty data.
BinaryResult extractBinary(const QByteArray &msg, const mime::Part &root, const QList<int> &part, QByteArray *out);

} // namespace mailroom::imap
