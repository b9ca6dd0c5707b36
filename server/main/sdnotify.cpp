#include "main/sdnotify.h"

#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace mailroom
{

void sdNotify(const QByteArray &state)
{
    const QByteArray path = qgetenv("NOTIFY_SOCKET");
    if (path.isEmpty() || size_t(path.size()) >= sizeof(sockaddr_un::sun_path))
        return;
    sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.constData(), size_t(path.size()));
    if (addr.sun_path[0] == '@')
        addr.sun_path[0] = '\0'; // abstract namespace
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    const socklen_t len = socklen_t(offsetof(sockaddr_un, sun_path) + size_t(path.size()));
    [[maybe_unused]] const ssize_t n
        = ::sendto(fd, state.constData(), size_t(state.size()), 0, reinterpret_cast<sockaddr *>(&addr), len);
    ::close(fd);
}

} // namespace mailroom
