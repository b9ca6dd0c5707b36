// DeliveryAgent: what the queue hands a batch of recipients to, and what it
// gets back per recipient (DESIGN §4: queue defines the interface, delivery
// implements it, main wires them). Trust level: internal.
#pragma once

#include <functional>

#include <QDateTime>
#include <QList>
#include <QString>

#include "store/mailboxes.h"

namespace mailroom::queue
{

// RFC 3461 NOTIFY bits; 0 means the parameter was absent (default: FAILURE).
enum Notify : quint8 {
    NotifyNever = 1,
    NotifySuccess = 2,
    NotifyFailure = 4,
    NotifyDelay = 8,
};

struct Recipient {
    qint64 id = 0; // queue_recipients row
    QString address; // lower-case domain; local part as given
    QString originalRecipient; // ORCPT (RFC 3461), "rfc822;addr", or empty
    quint8 notify = 0;
    int attempts = 0; // attempts made before this one
};

struct DeliveryJob {
    qint64 messageId = 0;
    QString queueId; // shown to admins and in logs: "Q1A2B3C4D5E6"
    QString sender; // envelope sender; empty for the null sender <>
    QString contentPath; // the immutable message file
    qint64 contentOffset = 0; // bytes to skip (the Return-Path line kept for local delivery)
    qint64 size = 0; // bytes after contentOffset
    bool smtpUtf8 = false; // needs SMTPUTF8 at the next hop
    bool body8bit = false; // BODY=8BITMIME
    QString envid; // RFC 3461 ENVID, or empty
    QString ret; // RFC 3461 RET: "FULL", "HDRS" or empty
    QString domain; // the destination domain of every recipient (remote jobs)
    // For local delivery, which files the same blob into mailboxes.
    QString blobHash;
    qint64 fileSize = 0;
    QString verdict; // "accept", "junk", "quarantine"
    QDateTime received;
    store::EnvelopeFields env;
    QList<Recipient> recipients;
};

enum class Outcome { Delivered, Deferred, Failed };

struct RecipientResult {
    qint64 recipientId = 0;
    Outcome outcome = Outcome::Deferred;
    QString status; // enhanced status code, "2.0.0", "4.4.1", "5.1.1"
    QString diagnostic; // RFC 3464 Diagnostic-Code, "smtp; 550 5.1.1 No such user"
    QString remoteMta; // "mx1.example.com [192.0.2.1]" or empty
    // The next hop advertised DSN and got the recipient's DSN parameters, so
    // it reports from here on and a success here is not "relayed" (RFC 3461
    // §4.1, §5.2.2).
    bool dsnPassedOn = false;
};

class DeliveryAgent
{
public:
    virtual ~DeliveryAgent() = default;
    // Called on the queue's thread; done must be called exactly once, on that
    // thread, with one result per recipient of the job.
    virtual void deliver(const DeliveryJob &job, std::function<void(const QList<RecipientResult> &)> done) = 0;
    // Stops starting new work; pending jobs end with Deferred results.
    virtual void shutdown() = 0;
};

} // namespace mailroom::queue
