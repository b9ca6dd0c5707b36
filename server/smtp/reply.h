// Reply: every SMTP answer is built here as (code, enhanced code, generic
// text) (STYLE rule 3, RFC 5321 §4.2, RFC 3463/2034). The text says what a
// client needs and nothing of our configuration or policy; the detail goes
// to the log. Trust level: talks to the Internet.
#pragma once

#include <QByteArray>
#include <QByteArrayList>

namespace mailroom::smtp
{

struct Reply {
    int code = 250;
    QByteArray enhanced; // "2.0.0"; empty for replies that carry none (220, 221 before EHLO, 334, 354)
    QByteArray text;

    bool isError() const
    {
        return code >= 400;
    }
    // "250 2.0.0 OK\r\n"; enhanced codes only when the client said EHLO.
    QByteArray format(bool enhancedCodes) const;
};

// Multi-line reply: "250-first\r\n250-...\r\n250 last\r\n".
QByteArray formatMultiline(int code, const QByteArrayList &lines);

namespace replies
{
Reply ok();
Reply syntax(const QByteArray &what); // 501 5.5.4 / 5.5.2
Reply badSequence(const QByteArray &what); // 503 5.5.1
Reply unknownCommand(); // 500 5.5.2
Reply lineTooLong(); // 500 5.5.2
Reply tempFailure(); // 451 4.3.0
Reply tooManyErrors(); // 421 4.7.0
Reply timeout(); // 421 4.4.2
Reply authRequired(); // 530 5.7.0
Reply encryptionRequired(); // 530 5.7.0 Must issue a STARTTLS command first
Reply relayDenied(); // 554 5.7.1
Reply noSuchUser(); // 550 5.1.1
} // namespace replies

} // namespace mailroom::smtp
