// systemd readiness (Type=notify): sends "READY=1" / "STOPPING=1" to
// $NOTIFY_SOCKET when it is set; does nothing otherwise.
#pragma once

#include <QByteArray>

namespace mailroom
{
void sdNotify(const QByteArray &state);
}
