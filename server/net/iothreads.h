// IoThreads: the threads that run protocol sessions (DESIGN §2). Listeners
// accept on the main thread and hand each connection to the next thread in
// turn; each thread has its own event loop and never blocks. Trust level:
// internal.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <QObject>
#include <QThread>

namespace mailroom::net
{

class IoThreads
{
public:
    explicit IoThreads(int count); // 0: one per CPU core
    ~IoThreads(); // stops every thread; sessions on them are deleted there
    IoThreads(const IoThreads &) = delete;
    IoThreads &operator=(const IoThreads &) = delete;

    // Runs work on the next thread (round robin). work receives a context
    // object that lives on that thread: parent new sessions to it.
    void post(std::function<void(QObject *context)> work);
    int count() const
    {
        return int(m_threads.size());
    }
    void stop();

private:
    struct Slot {
        std::unique_ptr<QThread> thread;
        QObject *context = nullptr;
    };
    std::vector<Slot> m_threads;
    std::size_t m_next = 0;
};

} // namespace mailroom::net
