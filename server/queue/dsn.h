// Delivery status notifications: builds the bounce, delay or success report the
// queue sends to an envelope sender (RFC 3464 multipart/report with
// message/delivery-status, RFC 6522 report type, RFC 3461 §6 NOTIFY/RET rules,
// RFC 6533 §3 "utf-8" address type, RFC 3834 Auto-Submitted). Pure functions,
// no I/O. Trust level: the input holds text from remote servers (diagnostics)
// and from the Internet (the original message), so every value that goes into
// a header or a delivery-status field has CR, LF and other controls removed.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace mailroom::queue
{

struct DsnRecipient {
    QString finalRecipient; // address
    QString originalRecipient; // ORCPT as received ("rfc822;a@b"), may be empty
    enum class Action { Failed, Delayed, Delivered, Relayed, Expanded } action = Action::Failed;
    QString status; // "5.1.1"
    QString remoteMta; // "mx.example.com" or empty
    QString diagnostic; // "smtp; 550 5.1.1 No such user" or empty
    QDateTime lastAttempt; // may be invalid
    QDateTime willRetryUntil; // for Delayed
};

struct DsnRequest {
    QString reportingMta; // our host name
    QString queueId;
    QString envid; // ENVID (xtext-decoded) or empty
    QDateTime arrival;
    QString from; // "MAILER-DAEMON@host": the From: header; the envelope sender of a DSN is always <>
    QString to; // the original envelope sender (recipient of the DSN)
    bool returnFullMessage = false; // RET=FULL; otherwise only the headers (text/rfc822-headers)
    qint64 maxReturnBytes = 2 * 1024 * 1024; // longer originals are returned as headers only
    QByteArray original; // the message as queued; a leading "Return-Path:" line is dropped
    QList<DsnRecipient> recipients;
};

// The whole RFC 5322 message with CRLF line ends: a multipart/report with a
// text/plain explanation, the message/delivery-status part and the original
// (message/rfc822) or its header block (text/rfc822-headers).
QByteArray composeDsn(const DsnRequest &request);

// RFC 3461 §4.1: whether a recipient with these NOTIFY bits (0 = parameter
// absent, meaning FAILURE only) is reported for this action. NEVER suppresses
// every report; SUCCESS covers delivered, relayed and expanded.
bool wantsNotification(quint8 notify, DsnRecipient::Action action);

// "Mon, 23 Nov 2026 15:04:05 +0000" (RFC 5322 §3.3) in UTC with English names,
// whatever the locale.
QByteArray rfc5322Date(const QDateTime &when);

} // namespace mailroom::queue
