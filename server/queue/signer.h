// MessageSigner: what the spool asks, before a message file is written, for
// header fields to put on top of it (DKIM-Signature, RFC 6376 §5). queue
// defines it, delivery implements it, main wires it (DESIGN §4: queue does not
// include mailauth). Trust level: internal; the message may come from a local
// user or from the Internet, and the signer decides from the envelope
// whether it signs at all.
#pragma once

#include <QByteArray>

#include "queue/envelope.h"

namespace mailroom::queue
{

class MessageSigner
{
public:
    virtual ~MessageSigner() = default;
    // Thread-safe: called on the spool's writer threads. Returns whole header
    // fields (each ending in CRLF) to prepend, or nothing. Never fails: a
    // signer that cannot sign logs why and returns what it has, so that the
    // message is queued all the same.
    virtual QByteArray signatures(const Envelope &envelope, const QByteArray &message) = 0;
};

} // namespace mailroom::queue
