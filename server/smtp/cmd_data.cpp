// DATA (RFC 5321 §4.1.1.4): 354, then the DataReader until <CRLF>.<CRLF>;
// the reply comes from Session::submitMessage once the message is durable.
#include "smtp/commands.h"
#include "smtp/session.h"

namespace mailroom::smtp::commands
{

void data(Session &s, const QByteArray &args)
{
    if (!args.isEmpty()) {
        s.refuse(replies::syntax("DATA: no arguments allowed"), "DATA", QStringLiteral("DATA with arguments"));
        return;
    }
    if (!s.tx().active) {
        s.refuse(replies::badSequence("need MAIL before DATA"), "DATA", QStringLiteral("DATA without MAIL"));
        return;
    }
    if (s.tx().recipients.isEmpty()) {
        s.refuse({ 554, "5.5.1", "No valid recipients" }, "DATA", QStringLiteral("DATA without recipients"));
        return;
    }
    if (s.tx().bdatUsed) {
        s.refuse(replies::badSequence("DATA after BDAT"), "DATA", QStringLiteral("DATA after BDAT"));
        return;
    }
    s.replyRaw("354 End data with <CR><LF>.<CR><LF>\r\n");
    s.beginData();
}

} // namespace mailroom::smtp::commands
