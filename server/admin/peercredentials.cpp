#include "admin/peercredentials.h"

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <QByteArray>
#include <QVector>

namespace mailroom::admin
{

std::optional<PeerCredentials> peerCredentials(qintptr socketDescriptor)
{
#if defined(SO_PEERCRED) && defined(Q_OS_LINUX)
    struct ucred cred {
    };
    socklen_t len = sizeof(cred);
    if (::getsockopt(int(socketDescriptor), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof(cred))
        return std::nullopt;
    return PeerCredentials { qint64(cred.uid), qint64(cred.gid), qint64(cred.pid) };
#elif defined(Q_OS_UNIX)
    uid_t uid = 0;
    gid_t gid = 0;
    if (::getpeereid(int(socketDescriptor), &uid, &gid) != 0)
        return std::nullopt;
    return PeerCredentials { qint64(uid), qint64(gid), -1 };
#else
    Q_UNUSED(socketDescriptor);
    return std::nullopt; // TODO(admin): named-pipe client token check on Windows
#endif
}

bool isTrustedPeer(const PeerCredentials &peer, const QString &adminGroup)
{
    if (peer.uid < 0)
        return false;
    if (peer.uid == 0 || peer.uid == qint64(::geteuid()))
        return true;
    if (adminGroup.isEmpty())
        return false;
    const QByteArray groupName = adminGroup.toLocal8Bit();
    struct group *gr = ::getgrnam(groupName.constData());
    if (!gr)
        return false;
    const gid_t adminGid = gr->gr_gid;
    if (peer.gid == qint64(adminGid))
        return true;
    struct passwd *pw = ::getpwuid(uid_t(peer.uid));
    if (!pw)
        return false;
    int count = 64;
    QVector<gid_t> groups(count);
    if (::getgrouplist(pw->pw_name, pw->pw_gid, groups.data(), &count) < 0) {
        groups.resize(count);
        if (::getgrouplist(pw->pw_name, pw->pw_gid, groups.data(), &count) < 0)
            return false;
    }
    for (int i = 0; i < count; ++i)
        if (groups[i] == adminGid)
            return true;
    return false;
}

} // namespace mailroom::admin
