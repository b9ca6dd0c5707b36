// Server-side TLS with per-domain certificates: waits, without reading, for
// the client's first TLS record, picks the certificate for the host name it
// asks for (SNI) and only then starts the handshake. Sessions call it for
// implicit TLS and after answering STARTTLS/STLS, and read nothing from the
// socket until `encrypted` (or an error) arrives.
// Trust level: faces the Internet; waits for at most kMaxClientHello bytes,
// and the session's own timeout ends a client that sends nothing.
#pragma once

class QSslSocket;

namespace mailroom::net
{

class TlsContext;

// tls must outlive the socket's handshake (the engine's context does).
void startServerTls(QSslSocket *socket, const TlsContext &tls);

} // namespace mailroom::net
