// BDAT (RFC 3030 CHUNKING): "BDAT size [LAST]"; the chunk's bytes follow
// at once, with no dot-stuffing. Chunks add up to one message, bounded by
// smtp.message_size_limit; the last one submits it.
#include "smtp/commands.h"
#include "smtp/session.h"

namespace mailroom::smtp::commands
{

void bdat(Session &s, const QByteArray &args)
{
    const QList<QByteArray> words = args.split(' ');
    bool ok = false;
    const qint64 size = words.value(0).toLongLong(&ok);
    const bool last = words.size() == 2 && words[1].toUpper() == "LAST";
    if (!ok || size < 0 || words.size() > 2 || (words.size() == 2 && !last)) {
        // The chunk size is unknown: its bytes would be read as commands.
        s.refuse(replies::syntax("BDAT size [LAST]"), "BDAT", QStringLiteral("bad BDAT arguments"));
        s.close(QStringLiteral("bad BDAT"));
        return;
    }
    Session::Transaction &tx = s.tx();
    // A chunk is always read, even when refused, so the stream stays in step.
    if (!tx.active || tx.recipients.isEmpty() || tx.dataUsed)
        tx.bdatTooBig = true; // marks the chunk to be dropped; the reply says why
    tx.bdatUsed = true;
    s.beginBdat(size, last);
}

void bdatChunkDone(Session &s, bool last)
{
    Session::Transaction &tx = s.tx();
    if (!tx.active || tx.recipients.isEmpty()) {
        s.refuse(
            !tx.active ? replies::badSequence("need MAIL before BDAT") : Reply { 554, "5.5.1", "No valid recipients" },
            "BDAT", QStringLiteral("BDAT without a transaction"));
        s.resetTransaction();
        return;
    }
    if (tx.bdatTooBig) {
        if (last) {
            s.refuse({ 552, "5.3.4", "Message size exceeds fixed maximum message size" }, "BDAT",
                QStringLiteral("message over smtp.message_size_limit"));
            s.resetTransaction();
        } else {
            s.reply({ 552, "5.3.4", "Message size exceeds fixed maximum message size" });
        }
        return;
    }
    if (!last) {
        s.reply({ 250, "2.0.0", QByteArray::number(tx.bdatBuffer.size()) + " octets received" });
        return;
    }
    s.submitMessage(std::move(tx.bdatBuffer));
}

} // namespace mailroom::smtp::commands
