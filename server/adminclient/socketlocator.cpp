#include "adminclient/socketlocator.h"

#include <unistd.h>

#include <QDir>
#include <QFileInfo>

namespace mailroom::adminclient
{

QString defaultDataFolder()
{
    const QByteArray env = qgetenv("MAILROOM_DATA");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
#ifdef Q_OS_WIN
    return QDir::fromNativeSeparators(qEnvironmentVariable("ProgramData")) + QStringLiteral("/Mailroom");
#else
    if (::geteuid() == 0)
        return QStringLiteral("/var/lib/mailroom");
    QString base = qEnvironmentVariable("XDG_DATA_HOME");
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/mailroom");
#endif
}

QString socketPathForDataFolder(const QString &dataFolder)
{
    return QDir(dataFolder).absoluteFilePath(QStringLiteral("run/admin.sock"));
}

QStringList candidateSocketPaths()
{
    QStringList out;
    const QString env = qEnvironmentVariable("MAILROOM_SOCKET");
    if (!env.isEmpty())
        out << env;
    out << socketPathForDataFolder(defaultDataFolder());
    const QString system = socketPathForDataFolder(QStringLiteral("/var/lib/mailroom"));
    if (!out.contains(system))
        out << system;
    out.removeDuplicates();
    return out;
}

QString findSocket()
{
    const QStringList candidates = candidateSocketPaths();
    for (const QString &c : candidates)
        if (QFileInfo::exists(c))
            return c;
    return candidates.value(0);
}

} // namespace mailroom::adminclient
