// PASS string (RFC 1939 §7): the rest of the line is the password (it may
// hold spaces). Checked as SASL PLAIN, so USER/PASS and AUTH share one
// password check and one throttle; a failure returns to the state before
// USER. The password is never logged.
#include "auth/sasl.h"
#include "pop3/commands.h"
#include "pop3/server.h"
#include "pop3/session.h"

namespace mailroom::pop3::commands
{

void pass(Session &s, const QByteArray &args)
{
    if (s.userArg().isEmpty()) {
        s.refuse({ false, {}, "Send USER first" }, "PASS", QStringLiteral("PASS without USER"));
        return;
    }
    if (args.isEmpty() || args.contains('\0')) {
        s.setUserArg({});
        s.refuse(replies::syntax("PASS password"), "PASS", QStringLiteral("empty password"));
        return;
    }
    auto mech = auth::createSaslMechanism("PLAIN", s.ctx().credentials, s.ctx().hostname.toUtf8());
    const QByteArray initial = '\0' + s.userArg().toUtf8() + '\0' + args;
    s.beginAuth(std::move(mech), initial, true, "USER");
}

} // namespace mailroom::pop3::commands
