#include "queue/spool.h"

#include "base/events.h"
#include "mime/encodedword.h"
#include "mime/envelope.h"
#include "queue/logging.h"
#include "queue/signer.h"
#include "store/blobstore.h"
#include "store/queuerepository.h"
#include "store/store.h"

namespace mailroom::queue
{

namespace
{
// Message files written at once. Enough to keep a disk's queue busy; the
// threads mostly wait in fsync.
constexpr int kParallelWrites = 8;

store::EnvelopeFields envelopeFields(const QByteArray &message)
{
    const mime::HeaderBlock h = mime::HeaderBlock::parse(message, nullptr);
    store::EnvelopeFields f;
    f.date = QString::fromLatin1(h.value("Date")).left(200);
    f.subject = mime::decodedSubject(h).left(1000);
    f.from = mime::fromDisplay(h).left(1000);
    f.to = mime::decodeUnstructured(h.value("To")).simplified().left(4000);
    f.cc = mime::decodeUnstructured(h.value("Cc")).simplified().left(4000);
    f.messageId = QString::fromLatin1(h.value("Message-ID")).trimmed().left(1000);
    f.inReplyTo = QString::fromLatin1(h.value("In-Reply-To")).trimmed().left(1000);
    return f;
}
} // namespace

QByteArray returnPathLine(const QString &sender)
{
    return QByteArrayLiteral("Return-Path: <") + sender.toUtf8() + QByteArrayLiteral(">\r\n");
}

Spool::Spool(store::Store &store, EventBus &bus, QString hostname)
    : m_store(store)
    , m_bus(bus)
    , m_hostname(std::move(hostname))
{
    m_thread.setObjectName(QStringLiteral("spool"));
    m_writers.setMaxThreadCount(kParallelWrites);
}

Spool::~Spool()
{
    stop();
}

void Spool::start()
{
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

void Spool::stop()
{
    if (!m_thread.isRunning())
        return;
    {
        QMutexLocker lock(&m_mutex);
        m_stopped = true;
    }
    // What was submitted is still written and committed: its sessions wait
    // for the answer.
    m_writers.waitForDone();
    QMetaObject::invokeMethod(
        m_worker, [this] { drain(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
}

QFuture<SubmitResult> Spool::submit(const Envelope &envelope, const QByteArray &message)
{
    auto p = std::make_unique<Pending>();
    p->envelope = envelope;
    p->message = message;
    QFuture<SubmitResult> future = p->promise.future();
    p->promise.start();
    {
        QMutexLocker lock(&m_mutex);
        if (m_stopped) {
            p->promise.addResult(SubmitResult { false, {}, QStringLiteral("the queue is shutting down"), false });
            p->promise.finish();
            return future;
        }
    }
    // The file is written at once on a writer thread; the spool thread then
    // commits whatever files are ready, while the next ones are written.
    Pending *raw = p.release();
    m_writers.start([this, raw] { write(std::unique_ptr<Pending>(raw)); });
    return future;
}

void Spool::write(std::unique_ptr<Pending> p)
{
    // 1. the message file, durable (fsync of file and folder). Files are
    // written in parallel: each fsync waits on the disk, not the CPU, and the
    // kernel serves concurrent ones together.
    p->head = returnPathLine(p->envelope.sender);
    // Signed before the file exists: the queued bytes are the signed ones.
    // The signer never fails; at worst the message goes out unsigned.
    if (m_signer)
        p->message.prepend(m_signer->signatures(p->envelope, p->message));
    auto hash = m_store.blobs().writeFile(p->head + p->message);
    if (!hash) {
        const bool full = hash.error().code == ErrorCode::QuotaExceeded || hash.error().message.contains(u"space");
        p->promise.addResult(SubmitResult { false, {}, hash.error().message, full });
        p->promise.finish();
        m_bus.raise(EventId::QueueError, { { QStringLiteral("error"), hash.error().message } });
        return;
    }
    p->hash = *hash;
    QMutexLocker lock(&m_mutex);
    m_written.push_back(std::move(p));
    if (!m_drainScheduled) {
        m_drainScheduled = true;
        QMetaObject::invokeMethod(
            m_worker, [this] { drain(); }, Qt::QueuedConnection);
    }
}

void Spool::drain()
{
    std::vector<std::unique_ptr<Pending>> batch;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_written);
        m_drainScheduled = false;
    }
    if (batch.empty())
        return;
    QList<store::NewQueueMessage> rows;
    rows.reserve(qsizetype(batch.size()));
    for (const auto &p : batch) {
        store::NewQueueMessage m;
        const Envelope &e = p->envelope;
        m.blobHash = p->hash;
        m.size = p->head.size() + p->message.size();
        m.bodyOffset = p->head.size();
        m.sender = e.sender;
        m.clientAddress = e.clientAddress;
        m.clientHelo = e.clientHelo;
        m.authUser = e.authUser;
        m.service = e.service;
        m.envid = e.envid;
        m.ret = e.ret;
        m.smtpUtf8 = e.smtpUtf8;
        m.body8bit = e.body8bit;
        m.verdict = e.verdict;
        m.spamScored = e.spamScored;
        m.spamScore = e.spamScore;
        m.spamTags = e.spamTags;
        m.env = envelopeFields(p->message);
        for (const EnvelopeRecipient &r : e.recipients)
            m.recipients.append({ r.address, r.originalRecipient, r.notify, r.verdict });
        rows.append(std::move(m));
    }
    // 2. the rows of every file written meanwhile in one transaction: one
    // fsync for the batch
    auto ids = m_store.queue().insertBatch(rows);
    for (size_t i = 0; i < batch.size(); ++i) {
        Pending *p = batch[i].get();
        if (!ids) {
            p->promise.addResult(
                SubmitResult { false, {}, ids.error().message, ids.error().code == ErrorCode::QuotaExceeded });
        } else {
            const QString queueId = ids->at(qsizetype(i)).queueId;
            QStringList to;
            for (const auto &r : std::as_const(p->envelope.recipients))
                to << r.address;
            m_bus.raise(EventId::MessageQueued,
                { { QStringLiteral("queue_id"), queueId }, { QStringLiteral("sender"), p->envelope.sender },
                    { QStringLiteral("recipients"), to.join(QStringLiteral(", ")).left(500) },
                    { QStringLiteral("size"), rows[qsizetype(i)].size },
                    { QStringLiteral("service"), p->envelope.service },
                    { QStringLiteral("peer"), p->envelope.clientAddress } });
            p->promise.addResult(SubmitResult { true, queueId, {}, false });
        }
        p->promise.finish();
    }
    if (!ids)
        m_bus.raise(EventId::QueueError, { { QStringLiteral("error"), ids.error().message } });
    else
        Q_EMIT queued();
}

} // namespace mailroom::queue
