// Envelope: what an SMTP transaction hands the queue besides the message
// bytes (RFC 5321 §2.3.1; DSN parameters of RFC 3461). Trust level: the
// fields came from a client, already checked by the protocol layer.
#pragma once

#include <QList>
#include <QString>

namespace mailroom::queue
{

struct EnvelopeRecipient {
    QString address;
    QString originalRecipient; // ORCPT, "rfc822;addr", or empty
    quint8 notify = 0; // queue::Notify bits
    QString verdict; // "" = the message's; set where allow or block lists made this recipient differ
};

struct Envelope {
    QString sender; // empty: the null reverse-path <>
    QList<EnvelopeRecipient> recipients;
    QString clientAddress, clientHelo, authUser, service;
    QString envid, ret; // RFC 3461: ENVID (decoded), RET=FULL|HDRS
    bool smtpUtf8 = false, body8bit = false;
    QString verdict = QStringLiteral("accept"); // "accept", "junk", "quarantine"
    bool spamScored = false; // the spam filter looked at it
    double spamScore = 0;
    QString spamTags; // "TAG:points,TAG:points", highest first
};

struct SubmitResult {
    bool ok = false;
    QString queueId;
    QString error; // for the log; the peer gets a generic 451
    bool diskFull = false; // 452 4.3.1 instead of 451
};

} // namespace mailroom::queue
