// STLS (RFC 2595 §4): only before login, once, and where a certificate
// exists. Session::beginStls drops any input pipelined after it.
#include "pop3/commands.h"
#include "pop3/session.h"

namespace mailroom::pop3::commands
{

void stls(Session &s, const QByteArray &)
{
    if (s.isTls()) {
        s.refuse({ false, {}, "TLS already active" }, "STLS", QStringLiteral("already in TLS"));
        return;
    }
    if (!s.tlsAvailable()) {
        s.refuse(replies::tempFailure("TLS not available"), "STLS", QStringLiteral("no certificate"));
        return;
    }
    s.beginStls();
}

} // namespace mailroom::pop3::commands
