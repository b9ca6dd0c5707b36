// THREAD: the ORDEREDSUBJECT and REFERENCES algorithms and the rendering of
// their result as an IMAP thread list. RFC 5256 §2.2 (sent date), §3
// (THREAD command, algorithms), §4 (thread-list syntax).
// Trust level: works on header data from the Internet; iterative where the
// input decides the depth (a reply chain can be as long as the mailbox).
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include "imap/parser/args.h"
#include "mime/headers.h"

namespace mailroom::imap
{

struct ThreadInput {
    qint64 id = 0; // UID or sequence number (ascending = mailbox order)
    QByteArray messageId; // without "<>"; empty when missing
    QList<QByteArray> references; // References msg-ids, oldest first, without "<>"
    QByteArray inReplyTo; // the first msg-id of In-Reply-To, without "<>"
    QString baseSubject; // RFC 5256 §2.1 (sort.h baseSubject)
    bool replyOrForward = false; // the subject had Re:/Fwd:/(fwd) (step 5 of REFERENCES)
    QDateTime sent; // the Date header, or the internal date
};

enum class ThreadAlgorithm { OrderedSubject, References };

//   thread = ["UID" SP] "THREAD" SP thread-alg SP search-criteria
//   thread-alg = "ORDEREDSUBJECT" / "REFERENCES" / thread-alg-ext
bool parseThreadAlgorithm(const Arg &arg, ThreadAlgorithm *out);

// The THREAD fields of one message from its header block.
ThreadInput threadInputFrom(const mime::HeaderBlock &headers, qint64 id, const QDateTime &internalDate);

// The msg-ids of a References / In-Reply-To value, without "<>", in order.
QList<QByteArray> parseMessageIds(const QByteArray &value);

// The thread list for "* THREAD ...": "(2)(3 6 (4 23)(44 7 96))", or an
// empty string when there are no messages.
//   thread-list    = "(" (thread-members / thread-nested) ")"
//   thread-members = nz-number *(SP nz-number) [SP thread-nested]
//   thread-nested  = 2*thread-list
QByteArray threadOrderedSubject(const QList<ThreadInput> &messages);
QByteArray threadReferences(const QList<ThreadInput> &messages);

// Either of the above ("thread" would clash with QObject::thread in a session).
QByteArray threadMessages(ThreadAlgorithm algorithm, const QList<ThreadInput> &messages);

} // namespace mailroom::imap
