// AUTHENTICATE (RFC 9051 §6.2.2) with SASL-IR (RFC 4959):
//   authenticate = "AUTHENTICATE" SP auth-type [SP initial-resp]
//   initial-resp = (base64 / "=")
// Mechanisms are those auth::saslMechanismNames offers this connection.
// Trust level: talks to the Internet.
#include "auth/sasl.h"
#include "imap/commands.h"
#include "imap/server.h"
#include "imap/session.h"

namespace mailroom::imap::commands
{

void authenticate(CommandContext &c)
{
    if (c.args().isEmpty() || c.args().size() > 2 || !c.args()[0].isAtom())
        return c.badSyntax("AUTHENTICATE needs a mechanism");
    const QByteArray name = c.args()[0].text.toUpper();
    if (!c.session.plaintextAllowed())
        return c.no("[PRIVACYREQUIRED] Use STARTTLS first");
    const auto offered = auth::saslMechanismNames(
        c.session.isTls(), c.session.plaintextAllowed(), c.session.ctx().credentials.cramMd5Offered());
    if (!offered.contains(name)) {
        if (!c.session.plaintextAllowed() && (name == "PLAIN" || name == "LOGIN"))
            return c.no("[PRIVACYREQUIRED] Use STARTTLS first");
        return c.no("[CANNOT] Unsupported authentication mechanism");
    }
    QByteArray initial;
    const bool hasInitial = c.args().size() == 2;
    if (hasInitial) {
        const Arg &ir = c.args()[1];
        if (!ir.isAtom())
            return c.badSyntax("The initial response must be base64");
        if (ir.text != "=") {
            auto decoded = QByteArray::fromBase64Encoding(ir.text, QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return c.badSyntax("Invalid base64 in the initial response");
            initial = *decoded;
        }
    }
    auto mech = auth::createSaslMechanism(name, c.session.ctx().credentials, c.session.ctx().hostname.toUtf8());
    if (!mech)
        return c.no("[CANNOT] Unsupported authentication mechanism");
    c.session.beginAuthenticate(c.tag(), std::move(mech), initial, hasInitial, name);
}

} // namespace mailroom::imap::commands
