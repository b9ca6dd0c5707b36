// Charset conversion of bytes from messages (MIME charset parameters, RFC 2047
// encoded words, RFC 2231 parameter values) through QStringDecoder (ICU).
// RFC 2045 §5.1 (charset), RFC 2978 (names), RFC 6532 (raw UTF-8 headers).
// Trust level: parses input from the Internet.
#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

namespace mailroom::mime
{

// Decodes bytes in the named charset, or nullopt if the charset is unknown.
// us-ascii (and an empty name) is read as raw8bitToString, since mislabelled
// 8-bit text is common.
std::optional<QString> decodeCharset(const QByteArray &bytes, const QByteArray &charset);

// Raw 8-bit text: UTF-8 when it is valid UTF-8 (RFC 6532), else Latin-1.
QString raw8bitToString(const QByteArray &bytes);

} // namespace mailroom::mime
