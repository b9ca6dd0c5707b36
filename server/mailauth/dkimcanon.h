// DKIM canonicalization and the two hashes a signature covers: the body hash
// (bh=) and the header data that b= signs. RFC 6376 §3.4 (simple and relaxed
// canonicalization), §3.5 (l=), §3.7 (computing the message hashes), §5.4.2
// (fields signed bottom-up). Internal to the DKIM code; exposed for tests.
// Trust level: works on messages from the Internet; pure, linear, no I/O.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include "mime/headers.h"

namespace mailroom::mailauth::dkim
{

// One header field in canonical form, with its CRLF: for simple the raw bytes
// as received (a bare LF line end becomes CRLF), for relaxed "name:value\r\n"
// with the name lower-cased, the value unfolded, WSP runs squeezed to one SP
// and WSP trimmed at both ends (§3.4.1, §3.4.2).
QByteArray canonicalHeader(QByteArrayView rawField, bool relaxed);

// The whole canonical body (§3.4.3, §3.4.4). Lines end at LF; a CR before it
// belongs to the line end. Tests use it; hashing streams (bodyHash).
QByteArray canonicalBody(QByteArrayView body, bool relaxed);

struct BodyHash {
    QByteArray sha256; // of the first `limit` canonical bytes (all of them without a limit)
    qint64 canonicalLength = 0; // length of the whole canonical body
};

// SHA-256 over the canonical body, streamed without a copy of the body.
// limit < 0 hashes everything.
BodyHash bodyHash(QByteArrayView body, bool relaxed, qint64 limit = -1);

// The fields named in h=, in h= order, each name taking the next instance
// from the bottom (§5.4.2); a name with no instance left adds nothing.
// Returns the concatenated canonical fields.
QByteArray signedHeaderData(
    const QByteArray &message, const QList<mime::HeaderField> &fields, const QList<QByteArray> &names, bool relaxed);

// The DKIM-Signature field itself as it enters the hash: the value of b=
// (with the whitespace around it) removed by the caller, canonicalized, and
// without its final CRLF (§3.7).
QByteArray signatureFieldData(QByteArrayView rawFieldWithoutB, bool relaxed);

QByteArray sha256(QByteArrayView data);

} // namespace mailroom::mailauth::dkim
