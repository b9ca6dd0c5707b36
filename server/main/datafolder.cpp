#include "main/datafolder.h"

#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "base/durablefile.h"

namespace mailroom
{

DataFolder::DataFolder(QString path)
    : m_path(QDir(path).absolutePath())
{
}

QString DataFolder::file(const QString &name) const
{
    return QDir(m_path).filePath(name);
}

Status DataFolder::prepare()
{
    const QFileInfo info(m_path);
    if (info.exists() && !info.isDir())
        return Error(ErrorCode::IoError,
            QStringLiteral("The data folder %1 is a file, not a folder. Choose another path with --data.").arg(m_path));
    if (!QDir().mkpath(m_path))
        return Error(ErrorCode::IoError,
            QStringLiteral("Cannot create the data folder %1. Check that its parent exists and is writable "
                           "by this user, or choose another path with --data.")
                .arg(m_path));
    ::chmod(QFile::encodeName(m_path).constData(), 0750);
    // A durable write is the honest test: it needs create, fsync and rename.
    const QString probe = file(QStringLiteral(".write-probe"));
    if (auto s = DurableFile::writeAll(probe, QByteArrayLiteral("ok\n")); !s)
        return Error(ErrorCode::IoError,
            QStringLiteral("The data folder %1 is not writable: %2").arg(m_path, s.error().message));
    QFile::remove(probe);
    return {};
}

Status DataFolder::lock()
{
    m_lock = std::make_unique<QLockFile>(file(QStringLiteral("mailroomd.lock")));
    m_lock->setStaleLockTime(0); // only a dead pid makes a lock stale
    if (m_lock->tryLock(0))
        return {};
    qint64 pid = 0;
    QString host, app;
    m_lock->getLockInfo(&pid, &host, &app);
    if (m_lock->error() == QLockFile::LockFailedError)
        return Error(ErrorCode::Conflict,
            QStringLiteral("Another mailroomd (pid %1) is using the data folder %2. Stop "
                           "it first, or use another folder with --data.")
                .arg(pid)
                .arg(m_path));
    return Error(ErrorCode::IoError, QStringLiteral("Cannot lock the data folder %1.").arg(m_path));
}

void DataFolder::unlock()
{
    if (m_lock)
        m_lock->unlock();
    m_lock.reset();
}

} // namespace mailroom
