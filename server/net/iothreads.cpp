#include "net/iothreads.h"

namespace mailroom::net
{

IoThreads::IoThreads(int count)
{
    if (count <= 0)
        count = std::max(1, QThread::idealThreadCount());
    for (int i = 0; i < count; ++i) {
        Slot s;
        s.thread = std::make_unique<QThread>();
        s.thread->setObjectName(QStringLiteral("io-%1").arg(i));
        s.context = new QObject;
        s.context->moveToThread(s.thread.get());
        // Deleting the context on its own thread deletes the sessions
        // parented to it there, before the thread's loop ends.
        QObject::connect(s.thread.get(), &QThread::finished, s.context, &QObject::deleteLater);
        s.thread->start();
        m_threads.push_back(std::move(s));
    }
}

IoThreads::~IoThreads()
{
    stop();
}

void IoThreads::post(std::function<void(QObject *)> work)
{
    if (m_threads.empty())
        return;
    Slot &s = m_threads[m_next++ % m_threads.size()];
    QObject *context = s.context;
    QMetaObject::invokeMethod(
        context, [context, work = std::move(work)] { work(context); }, Qt::QueuedConnection);
}

void IoThreads::stop()
{
    for (Slot &s : m_threads) {
        // Sessions go first, on their own thread, then the loop ends.
        QObject *context = s.context;
        QMetaObject::invokeMethod(
            context, [context] { qDeleteAll(context->children()); }, Qt::BlockingQueuedConnection);
        s.thread->quit();
        s.thread->wait();
    }
    m_threads.clear();
}

} // namespace mailroom::net
