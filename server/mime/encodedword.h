// Decoding of non-ASCII text in headers: RFC 2047 encoded words in
// unstructured text and phrases, RFC 2231 parameter values and continuations,
// and raw UTF-8 header text (RFC 6532).
// Trust level: parses input from the Internet; lenient, never fails.
#pragma once

#include <utility>

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

namespace mailroom::mime
{

// Unstructured header text (Subject, a display name, a comment) as a string:
// encoded words are decoded (adjacent ones separated only by whitespace are
// joined), words in an unknown charset are kept as written, and other bytes are
// read as UTF-8, falling back to Latin-1 when they are not valid UTF-8.
QString decodeUnstructured(const QByteArray &text);

// Combines raw Content-Type / Content-Disposition parameters (names in lower
// case, values already unquoted) per RFC 2231: "name*=charset'lang'%XX",
// continuations "name*0", "name*1*", .... The result maps each base name to its
// value; RFC 2231 values are converted to UTF-8 (kept as decoded bytes when the
// charset is unknown) and win over a plain parameter of the same name. Plain
// values are returned as written. The first plain parameter of a name wins.
QMap<QByteArray, QByteArray> combineParameters(const QList<std::pair<QByteArray, QByteArray>> &raw);

} // namespace mailroom::mime
