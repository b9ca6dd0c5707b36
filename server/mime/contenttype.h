// Content-Type and Content-Disposition header values: type, subtype and
// parameters. RFC 2045 §5.1-§5.2, RFC 2183 §2, RFC 2231 (parameter values).
// Trust level: parses input from the Internet; never fails.
#pragma once

#include <QByteArray>
#include <QMap>

namespace mailroom::mime
{

using Params = QMap<QByteArray, QByteArray>; // lower-case names; RFC 2231 values decoded to UTF-8

struct ContentType {
    QByteArray type = QByteArrayLiteral("text"); // lower case
    QByteArray subtype = QByteArrayLiteral("plain"); // lower case
    Params params;

    bool is(const char *t, const char *sub) const
    {
        return type == t && subtype == sub;
    }
    QByteArray param(const char *name) const
    {
        return params.value(QByteArray(name));
    }
};

struct ContentDisposition {
    QByteArray type; // lower case: "inline", "attachment", ...; empty if missing
    Params params;
};

// A missing or malformed value gives the RFC 2045 §5.2 default
// "text/plain; charset=us-ascii".
ContentType parseContentType(const QByteArray &value);

ContentDisposition parseContentDisposition(const QByteArray &value);

} // namespace mailroom::mime
