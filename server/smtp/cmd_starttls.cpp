// STARTTLS (RFC 3207): only once, only without arguments, only where a
// certificate exists. Session::beginStartTls drops any pipelined input.
#include "smtp/commands.h"
#include "smtp/session.h"

namespace mailroom::smtp::commands
{

void starttls(Session &s, const QByteArray &args)
{
    if (!args.isEmpty()) {
        s.refuse(replies::syntax("STARTTLS: no arguments allowed"), "STARTTLS", QStringLiteral("arguments"));
        return;
    }
    if (s.isTls()) {
        s.refuse(replies::badSequence("TLS already active"), "STARTTLS", QStringLiteral("already in TLS"));
        return;
    }
    if (!s.tlsAvailable()) {
        s.refuse({ 454, "4.7.0", "TLS not available" }, "STARTTLS", QStringLiteral("no certificate"));
        return;
    }
    s.beginStartTls();
}

} // namespace mailroom::smtp::commands
