// ClientHello peeking: the server name (SNI, RFC 6066 §3) a TLS client asks
// for, read from the first bytes it sends, before the handshake starts, so
// that the listener can pick the certificate for that name. Qt 6.4 has no
// server-side SNI callback; the bytes are peeked, never consumed.
// Trust level: parses input from the Internet (bounded by kMaxClientHello).
// Standards: RFC 8446 §4.1.2 and §5.1 (TLS 1.3 records and ClientHello),
// RFC 5246 §7.4.1.2 (TLS 1.2), RFC 6066 §3 (server_name).
#pragma once

#include <QByteArrayView>
#include <QString>

namespace mailroom::net
{

// The most we wait for: one full TLS record and its header.
constexpr qsizetype kMaxClientHello = 5 + 16384;

enum class HelloState {
    NeedMore, // the first record is not complete yet
    Complete, // parsed; *serverName is the host name, or empty when none was sent
    NotHello, // not a TLS ClientHello: let the handshake fail on its own
};

// Reads the ClientHello in the first TLS record of data. *serverName gets the
// first host_name entry, lower-cased, when it is a plausible DNS name
// (letters, digits, '-', '.', at most 253 characters); else it stays empty.
HelloState parseClientHello(QByteArrayView data, QString *serverName);

} // namespace mailroom::net
