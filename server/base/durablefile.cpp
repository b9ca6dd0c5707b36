#include "base/durablefile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <QFileInfo>
#include <QRandomGenerator>

#include "base/logging.h"

namespace mailroom
{

namespace
{
int sysOpen(const char *path, int flags, mode_t mode)
{
    return ::open(path, flags | O_CLOEXEC, mode);
}
} // namespace

const FileOps &FileOps::system()
{
    static const FileOps ops { sysOpen, ::write, ::fsync, ::close, ::rename, ::unlink };
    return ops;
}

DurableFile::DurableFile(QString targetPath, const FileOps &ops)
    : m_target(std::move(targetPath))
    , m_ops(ops)
{
}

DurableFile::~DurableFile()
{
    if (!m_committed)
        abort();
}

Status DurableFile::failure(const char *step, int err)
{
    const QString detail = QString::fromLocal8Bit(std::strerror(err));
    qCWarning(lcBase).noquote() << "durable write of" << m_target << "failed at" << step << ":" << detail;
    abort();
    const ErrorCode code = (err == ENOSPC || err == EDQUOT) ? ErrorCode::QuotaExceeded : ErrorCode::IoError;
    return Error(code,
        QStringLiteral("Could not save %1 (%2: %3). Check free disk space and the permissions of the data "
                       "folder.")
            .arg(m_target, QString::fromLatin1(step), detail));
}

Status DurableFile::open()
{
    const QFileInfo info(m_target);
    m_temp = info.absolutePath() + QStringLiteral("/.tmp-") + info.fileName() + QLatin1Char('-')
        + QString::number(QRandomGenerator::global()->generate64(), 36);
    m_fd = m_ops.open(QFile::encodeName(m_temp).constData(), O_WRONLY | O_CREAT | O_EXCL, 0640);
    if (m_fd < 0) {
        const int err = errno;
        m_temp.clear();
        return failure("create", err);
    }
    m_written = 0;
    return {};
}

Status DurableFile::append(const char *data, qsizetype size)
{
    if (m_fd < 0)
        return Error(ErrorCode::Internal, QStringLiteral("Internal error: write to a file that is not open."));
    while (size > 0) {
        const ssize_t n = m_ops.write(m_fd, data, size_t(size));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return failure("write", errno);
        }
        if (n == 0)
            return failure("write", EIO);
        data += n;
        size -= n;
        m_written += n;
    }
    return {};
}

Status DurableFile::commit()
{
    if (m_fd < 0)
        return Error(ErrorCode::Internal, QStringLiteral("Internal error: commit of a file that is not open."));
    if (m_ops.fsync(m_fd) != 0)
        return failure("fsync", errno);
    const int fd = m_fd;
    m_fd = -1;
    if (m_ops.close(fd) != 0)
        return failure("close", errno);
    if (m_ops.rename(QFile::encodeName(m_temp).constData(), QFile::encodeName(m_target).constData()) != 0)
        return failure("rename", errno);
    m_temp.clear(); // the temp name no longer exists; the target does
    m_committed = true;
    return syncFolder(QFileInfo(m_target).absolutePath(), m_ops);
}

void DurableFile::abort()
{
    if (m_fd >= 0) {
        m_ops.close(m_fd);
        m_fd = -1;
    }
    if (!m_temp.isEmpty()) {
        m_ops.unlink(QFile::encodeName(m_temp).constData());
        m_temp.clear();
    }
}

Status DurableFile::writeAll(const QString &path, const QByteArray &data, const FileOps &ops)
{
    DurableFile file(path, ops);
    if (auto s = file.open(); !s)
        return s;
    if (auto s = file.append(data); !s)
        return s;
    return file.commit();
}

Status DurableFile::syncFolder(const QString &folder, const FileOps &ops)
{
    const int fd = ops.open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0 || ops.fsync(fd) != 0) {
        const int err = errno;
        if (fd >= 0)
            ops.close(fd);
        qCWarning(lcBase).noquote() << "fsync of folder" << folder << "failed:" << std::strerror(err);
        return Error(ErrorCode::IoError,
            QStringLiteral("Could not flush the folder %1 to disk (%2). Check the disk and its file system.")
                .arg(folder, QString::fromLocal8Bit(std::strerror(err))));
    }
    ops.close(fd);
    return {};
}

} // namespace mailroom
