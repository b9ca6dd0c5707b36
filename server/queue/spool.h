// Spool: the queue's durable intake (Submitter). Each message file is written
// as soon as it is submitted, on a small pool of writer threads, with base's
// DurableFile (fsync of file and folder); the spool thread then puts the rows
// of every file written meanwhile in one transaction (group commit, Postfix cleanup(8) + SQLite
// WAL with synchronous=FULL). Each future finishes after that commit. With a
// MessageSigner set, each message is signed (DKIM) before its file is written,
// so that the queued file is what every delivery sends.
// Trust level: internal.
#pragma once

#include <QList>
#include <QMutex>
#include <QObject>
#include <QPromise>
#include <QThread>
#include <QThreadPool>

#include "queue/submitter.h"

namespace mailroom
{
class EventBus;
namespace store
{
class Store;
}
} // namespace mailroom

namespace mailroom::queue
{

class MessageSigner;

class Spool : public QObject, public Submitter
{
    Q_OBJECT
public:
    Spool(store::Store &store, EventBus &bus, QString hostname);
    ~Spool() override;
    void start();
    void stop(); // finishes what was submitted, then stops the thread
    // Set before start(); null (the default) queues messages as given.
    void setSigner(MessageSigner *signer)
    {
        m_signer = signer;
    }

    QFuture<SubmitResult> submit(const Envelope &envelope, const QByteArray &message) override;

Q_SIGNALS:
    // Emitted from the spool thread after a batch is committed.
    void queued();

private:
    struct Pending {
        Envelope envelope;
        QByteArray message;
        QByteArray head; // the Return-Path line the file starts with
        QString hash; // the message file, once written
        QPromise<SubmitResult> promise;
    };
    void write(std::unique_ptr<Pending> p); // on a writer thread
    void drain(); // on the spool thread

    store::Store &m_store;
    EventBus &m_bus;
    QString m_hostname;
    MessageSigner *m_signer = nullptr;
    QThread m_thread;
    QThreadPool m_writers; // message files, written in parallel
    QObject *m_worker = nullptr;
    QMutex m_mutex;
    std::vector<std::unique_ptr<Pending>> m_written; // files on disk, rows not yet committed
    bool m_drainScheduled = false;
    bool m_stopped = false;
};

// "Return-Path: <sender>\r\n": the first line of every queued file. Local
// delivery keeps it (RFC 5321 §4.4); remote delivery skips it.
QByteArray returnPathLine(const QString &sender);

} // namespace mailroom::queue
