// CAPA (RFC 2449 §5): what this connection may use now. USER and SASL only
// where a login may be sent (under TLS, or with auth.allow_plaintext) and
// only before login; STLS only before TLS and where a certificate exists.
// No EXPIRE (messages stay until deleted) and no LOGIN-DELAY.
#include "auth/sasl.h"
#include "pop3/commands.h"
#include "pop3/server.h"
#include "pop3/session.h"

namespace mailroom::pop3::commands
{

void capa(Session &s, const QByteArray &)
{
    QByteArrayList lines { "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING" };
    if (!s.inTransaction()) {
        if (s.plaintextAuthAllowed()) {
            lines << "USER";
            lines << "SASL "
                    + auth::saslMechanismNames(s.isTls(), true, s.ctx().credentials.cramMd5Offered()).join(' ');
        }
        if (!s.isTls() && s.tlsAvailable())
            lines << "STLS";
    }
    lines << "IMPLEMENTATION Mailroom";
    s.reply(replies::ok("Capability list follows"));
    s.replyRaw(formatBody(lines));
}

} // namespace mailroom::pop3::commands
