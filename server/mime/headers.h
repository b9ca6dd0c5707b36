// The header block of a message or MIME part: field names and unfolded values.
// RFC 5322 §2.2 (header fields), §2.2.3 (folding), RFC 6532 (raw UTF-8 values).
// Trust level: parses input from the Internet; pure, no I/O, bounded.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace mailroom::mime
{

// field-name = 1*ftext: printable US-ASCII except ":" (RFC 5322 §3.6.8).
bool isFieldName(QByteArrayView name);

struct HeaderField {
    QByteArray name; // as written (case kept), trailing WSP before the colon removed
    QByteArray value; // unfolded, leading WSP dropped, raw bytes otherwise kept
    qsizetype rawStart = 0; // offset of the field's first byte in the parsed buffer
    qsizetype rawEnd = 0; // offset just past its last line end (DKIM needs the raw bytes)
};

class HeaderBlock
{
public:
    // Parses the header block at the start of msg. *bodyOffset (may be null)
    // receives the offset of the first body byte (msg.size() when there is no body).
    static HeaderBlock parse(const QByteArray &msg, qsizetype *bodyOffset);
    // The same for the bytes [start, end) of msg; offsets are in msg.
    static HeaderBlock parse(const QByteArray &msg, qsizetype start, qsizetype end, qsizetype *bodyOffset);

    // The first field with this name (case-insensitive), or a null QByteArray.
    QByteArray value(const char *name) const;
    QList<QByteArray> values(const char *name) const;
    bool contains(const char *name) const;

    QList<HeaderField> fields; // at most kMaxHeaderFields
    int droppedFields = 0; // fields seen beyond the bound
};

} // namespace mailroom::mime
