// Who is on the other end of a local socket, from the kernel (SO_PEERCRED on
// Linux, getpeereid on BSD and macOS), and whether that user may administer
// the engine. Trust level: decides who is trusted; it trusts nobody by default
// (STYLE rule 9, OpenSMTPD control.c).
#pragma once

#include <optional>

#include <QString>

namespace mailroom::admin
{

struct PeerCredentials {
    qint64 uid = -1;
    qint64 gid = -1;
    qint64 pid = -1;
};

std::optional<PeerCredentials> peerCredentials(qintptr socketDescriptor);

// root, the engine's own effective user, or a member (primary or
// supplementary) of adminGroup when it is not empty.
bool isTrustedPeer(const PeerCredentials &peer, const QString &adminGroup);

} // namespace mailroom::admin
