// Session, part three: RETR and TOP (RFC 1939 §§7, 11) and the UPDATE state
// (§6). The message file is read on the worker pool and written as the
// socket drains, about 64 KiB at a time, so one session holds at most one
// message and a few hundred KiB of output. At QUIT the retrieved messages
// get \Seen and the deleted ones \Deleted, then exactly those UIDs are
// expunged (MailStore::expunge with a UID list), so IMAP sessions on the
// same INBOX see the same result; a connection that ends without QUIT
// changes nothing. Trust level: talks to the Internet.
#include <QFutureWatcher>
#include <QtConcurrent>

#include "base/events.h"
#include "pop3/messagestream.h"
#include "pop3/server.h"
#include "pop3/session.h"
#include "store/mailboxes.h"
#include "store/mailstore.h"

namespace mailroom::pop3
{

namespace
{
constexpr qint64 kChunk = 64 * 1024;

struct ReadResult {
    QByteArray content;
    QString error; // empty: read
};

struct UpdateResult {
    int deleted = 0;
    int seen = 0;
    QString error; // empty: done
};

// On a worker thread: the flags, then the expunge of exactly our UIDs.
UpdateResult update(store::MailStore &mail, qint64 mailboxId, const QList<qint64> &seen, const QList<qint64> &deleted)
{
    UpdateResult r;
    if (!seen.isEmpty()) {
        store::FlagChange add;
        add.mode = store::FlagMode::Add;
        add.flags = store::FlagSeen;
        auto s = mail.storeFlags(mailboxId, seen, add);
        if (!s) {
            r.error = s.error().message;
            return r;
        }
        r.seen = int(seen.size());
    }
    if (!deleted.isEmpty()) {
        store::FlagChange add;
        add.mode = store::FlagMode::Add;
        add.flags = store::FlagDeleted;
        if (auto s = mail.storeFlags(mailboxId, deleted, add); !s) {
            r.error = s.error().message;
            return r;
        }
        auto gone = mail.expunge(mailboxId, &deleted);
        if (!gone) {
            r.error = gone.error().message;
            return r;
        }
        r.deleted = int(gone->size());
    }
    return r;
}
} // namespace

void Session::beginRetrieve(int number, qint64 bodyLines)
{
    const Maildrop::Message &m = m_drop->at(number);
    m_phase = Phase::Waiting;
    auto *watcher = new QFutureWatcher<ReadResult>(this);
    connect(watcher, &QFutureWatcher<ReadResult>::finished, this, [this, watcher, number, bodyLines] {
        watcher->deleteLater();
        ReadResult r = watcher->result();
        if (m_phase == Phase::Closing)
            return;
        m_phase = Phase::Command;
        armTimer();
        if (!r.error.isEmpty()) {
            storeFailed(QStringLiteral("reading message %1").arg(number), r.error);
            refuse(replies::tempFailure("Cannot read the message, try again later"), bodyLines < 0 ? "RETR" : "TOP",
                QStringLiteral("message file unreadable"));
            process();
            return;
        }
        if (bodyLines < 0) {
            m_drop->markRetrieved(number);
            reply(replies::ok(QByteArray::number(m_drop->at(number).size) + " octets"));
        } else {
            reply(replies::ok("Top of message follows"));
        }
        m_stream = std::make_unique<MessageStream>(std::move(r.content), bodyLines);
        m_phase = Phase::Sending;
        pump();
    });
    store::MailStore *mail = &m_ctx.mail;
    watcher->setFuture(QtConcurrent::run(&m_ctx.workers, [mail, hash = m.blobHash] {
        ReadResult r;
        auto content = mail->content(hash);
        if (content)
            r.content = std::move(content).value();
        else
            r.error = content.error().message;
        return r;
    }));
}

void Session::pump()
{
    while (m_phase == Phase::Sending && m_stream && pendingOutput() < kHighWater) {
        replyRaw(m_stream->next(kChunk));
        if (m_stream->atEnd()) {
            m_stream.reset();
            m_phase = Phase::Command;
            process();
            return;
        }
    }
}

void Session::beginUpdate()
{
    m_phase = Phase::Waiting;
    m_timer.stop();
    const QList<qint64> seen = m_drop->seenUids();
    const QList<qint64> deleted = m_drop->deletedUids();
    auto *watcher = new QFutureWatcher<UpdateResult>(this);
    connect(watcher, &QFutureWatcher<UpdateResult>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const UpdateResult r = watcher->result();
        if (m_phase == Phase::Closing)
            return;
        if (!r.error.isEmpty()) {
            storeFailed(QStringLiteral("QUIT update"), r.error);
            reply(replies::tempFailure("Some deleted messages were not removed"));
        } else {
            m_ctx.bus.raise(EventId::Pop3Updated,
                { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                    { QStringLiteral("user"), m_authUser }, { QStringLiteral("deleted"), r.deleted },
                    { QStringLiteral("seen"), r.seen } });
            reply(replies::ok("Bye, " + QByteArray::number(r.deleted) + " messages deleted"));
        }
        close(QStringLiteral("QUIT"));
    });
    store::MailStore *mail = &m_ctx.mail;
    // The update runs to its end even if the client hangs up meanwhile: it
    // sent QUIT, and RFC 1939 §6 makes that the commit point.
    watcher->setFuture(QtConcurrent::run(&m_ctx.workers,
        [mail, box = m_drop->mailboxId(), seen, deleted] { return update(*mail, box, seen, deleted); }));
}

} // namespace mailroom::pop3
