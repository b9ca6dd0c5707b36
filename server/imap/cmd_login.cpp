// LOGIN (RFC 9051 §6.2.3): "LOGIN" SP userid SP password. Refused before TLS
// unless auth.allow_plaintext (LOGINDISABLED is then advertised). The check
// runs as SASL PLAIN, so it shares the throttle with AUTHENTICATE.
// Trust level: talks to the Internet; the password never reaches a log.
#include "auth/sasl.h"
#include "imap/commands.h"
#include "imap/server.h"
#include "imap/session.h"

namespace mailroom::imap::commands
{

void login(CommandContext &c)
{
    if (c.args().size() != 2 || !c.args()[0].isAString() || !c.args()[1].isAString())
        return c.badSyntax("LOGIN needs a user name and a password");
    if (!c.session.plaintextAllowed())
        return c.no("[PRIVACYREQUIRED] Use STARTTLS first");
    auto mech = auth::createSaslMechanism("PLAIN", c.session.ctx().credentials, c.session.ctx().hostname.toUtf8());
    QByteArray initial = '\0' + c.args()[0].text + '\0' + c.args()[1].text;
    c.session.beginAuthenticate(c.tag(), std::move(mech), initial, true, "LOGIN");
    initial.fill('\0');
}

} // namespace mailroom::imap::commands
