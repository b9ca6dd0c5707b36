// The ESMTP extensions a server announced in its EHLO reply, as the outbound
// client needs them. RFC 5321 §4.1.1.1 (ehlo-line), RFC 1870 SIZE, RFC 6152
// 8BITMIME, RFC 6531 SMTPUTF8, RFC 3461 DSN, RFC 2920 PIPELINING, RFC 3207
// STARTTLS, RFC 4954 AUTH. Pure.
// Trust level: parses a reply from a server on the Internet (already bounded
// by ReplyParser); unknown or malformed keywords are ignored.
#pragma once

#include <QStringList>

#include "delivery/remote/replyparser.h"

namespace mailroom::delivery
{

struct Capabilities {
    bool esmtp = false; // false after a HELO fallback: no extension may be used
    bool pipelining = false;
    bool size = false;
    qint64 sizeLimit = 0; // 0: SIZE without a limit
    bool eightBitMime = false;
    bool smtpUtf8 = false;
    bool dsn = false;
    bool startTls = false;
    bool enhancedStatusCodes = false;
    QStringList authMechanisms; // upper case

    static Capabilities fromEhlo(const SmtpReply &reply);
};

} // namespace mailroom::delivery
