// Submitter: how a protocol hands an accepted message to the queue
// (DESIGN §4: queue defines it, smtp calls it, main wires it). The future
// finishes only when the message file is fsynced and its rows committed:
// only then may SMTP answer 250. Trust level: internal.
#pragma once

#include <QByteArray>
#include <QFuture>

#include "queue/envelope.h"

namespace mailroom::queue
{

class Submitter
{
public:
    virtual ~Submitter() = default;
    // Thread-safe; message is the whole RFC 5322 message with CRLF line ends,
    // trace headers already added.
    virtual QFuture<SubmitResult> submit(const Envelope &envelope, const QByteArray &message) = 0;
};

} // namespace mailroom::queue
