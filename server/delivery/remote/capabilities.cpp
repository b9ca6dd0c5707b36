// EHLO reply → Capabilities (see capabilities.h). RFC 5321 §4.1.1.1:
//   ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
//               / ( "250-" Domain [ SP ehlo-greet ] CRLF
//                   *( "250-" ehlo-line CRLF ) "250" SP ehlo-line CRLF )
//   ehlo-line   = ehlo-keyword *( SP ehlo-param )
// Trust level: reply text from the Internet; the first line is the greeting.
#include "delivery/remote/capabilities.h"

namespace mailroom::delivery
{

Capabilities Capabilities::fromEhlo(const SmtpReply &reply)
{
    Capabilities caps;
    caps.esmtp = true;
    for (qsizetype i = 1; i < reply.lines.size(); ++i) {
        const QStringList words = reply.lines.at(i).simplified().split(u' ', Qt::SkipEmptyParts);
        if (words.isEmpty())
            continue;
        const QString keyword = words.first().toUpper();
        if (keyword == QLatin1String("PIPELINING")) {
            caps.pipelining = true;
        } else if (keyword == QLatin1String("SIZE")) {
            caps.size = true;
            bool ok = false;
            const qint64 limit = words.size() > 1 ? words.at(1).toLongLong(&ok) : 0;
            caps.sizeLimit = ok && limit > 0 ? limit : 0;
        } else if (keyword == QLatin1String("8BITMIME")) {
            caps.eightBitMime = true;
        } else if (keyword == QLatin1String("SMTPUTF8")) {
            caps.smtpUtf8 = true;
        } else if (keyword == QLatin1String("DSN")) {
            caps.dsn = true;
        } else if (keyword == QLatin1String("STARTTLS")) {
            caps.startTls = true;
        } else if (keyword == QLatin1String("ENHANCEDSTATUSCODES")) {
            caps.enhancedStatusCodes = true;
        } else if (keyword == QLatin1String("AUTH") || keyword.startsWith(QLatin1String("AUTH="))) {
            // "AUTH=PLAIN LOGIN" is the pre-RFC 4954 spelling some servers still send.
            QStringList mechs = words.mid(1);
            if (keyword.startsWith(QLatin1String("AUTH=")))
                mechs.prepend(keyword.mid(5));
            for (const QString &m : std::as_const(mechs)) {
                const QString upper = m.toUpper();
                if (!upper.isEmpty() && !caps.authMechanisms.contains(upper))
                    caps.authMechanisms.append(upper);
            }
        }
    }
    return caps;
}

} // namespace mailroom::delivery
