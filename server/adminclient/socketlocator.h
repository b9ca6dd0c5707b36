// Where a local engine's admin socket is found. Trust level: local.
// Order: $MAILROOM_SOCKET, the system data folder (/var/lib/mailroom), then the
// per-user data folder (~/.local/share/mailroom). mailroomd uses the same
// defaults for its data folder, so the console finds an engine started either
// way without being told.
#pragma once

#include <QString>
#include <QStringList>

namespace mailroom::adminclient
{

QString defaultDataFolder(); // root: /var/lib/mailroom; others: ~/.local/share/mailroom
QString socketPathForDataFolder(const QString &dataFolder);
QStringList candidateSocketPaths();
QString findSocket(); // first candidate that exists, else the first candidate

} // namespace mailroom::adminclient
