#include "main/unixsignals.h"

#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QSocketNotifier>

namespace mailroom
{

namespace
{
int g_fds[2] = { -1, -1 };

void handler(int sig)
{
    const unsigned char c = static_cast<unsigned char>(sig);
    [[maybe_unused]] const ssize_t n = ::write(g_fds[0], &c, 1);
}
} // namespace

UnixSignals::UnixSignals(QObject *parent)
    : QObject(parent)
{
}

UnixSignals::~UnixSignals()
{
    for (int sig : { SIGTERM, SIGINT, SIGHUP })
        std::signal(sig, SIG_DFL);
}

bool UnixSignals::install()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_fds) != 0)
        return false;
    ::fcntl(g_fds[0], F_SETFL, O_NONBLOCK);
    m_notifier = new QSocketNotifier(g_fds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &UnixSignals::onReadable);
    struct sigaction sa {
    };
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (int sig : { SIGTERM, SIGINT, SIGHUP })
        if (::sigaction(sig, &sa, nullptr) != 0)
            return false;
    std::signal(SIGPIPE, SIG_IGN);
    return true;
}

void UnixSignals::onReadable()
{
    unsigned char c = 0;
    while (::read(g_fds[1], &c, 1) == 1) {
        if (c == SIGHUP)
            Q_EMIT reloadRequested();
        else
            Q_EMIT terminateRequested(c == SIGTERM ? QStringLiteral("SIGTERM") : QStringLiteral("SIGINT"));
        break;
    }
}

} // namespace mailroom
