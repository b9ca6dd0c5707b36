// DurableFile: the one way the engine writes a file that must survive a crash.
// Trust level: internal. Sequence (STYLE rule 5, Postfix mail_stream.c):
//   temp file in the target folder -> write (all of it) -> fsync (checked)
//   -> close (checked) -> rename over the target -> fsync(folder) (checked).
// Only when commit() returns ok may a caller acknowledge the data to anyone.
// QSaveFile is not used: it ignores sync errors and never syncs the folder.
#pragma once

#include <sys/types.h>

#include <QByteArray>
#include <QString>

#include "base/result.h"

namespace mailroom
{

// The system calls DurableFile makes, so tests can make any one of them fail.
struct FileOps {
    int (*open)(const char *path, int flags, mode_t mode);
    ssize_t (*write)(int fd, const void *buf, size_t count);
    int (*fsync)(int fd);
    int (*close)(int fd);
    int (*rename)(const char *from, const char *to);
    int (*unlink)(const char *path);

    static const FileOps &system();
};

class DurableFile
{
public:
    explicit DurableFile(QString targetPath, const FileOps &ops = FileOps::system());
    ~DurableFile(); // aborts (removes the temp file) unless committed
    DurableFile(const DurableFile &) = delete;
    DurableFile &operator=(const DurableFile &) = delete;

    Status open(); // creates the temp file beside the target, mode 0640
    Status append(const char *data, qsizetype size);
    Status append(const QByteArray &data)
    {
        return append(data.constData(), data.size());
    }
    Status commit(); // fsync, close, rename, fsync(folder)
    void abort();

    qint64 bytesWritten() const
    {
        return m_written;
    }
    QString targetPath() const
    {
        return m_target;
    }

    // Writes all of data to path durably, replacing any file there.
    static Status writeAll(const QString &path, const QByteArray &data, const FileOps &ops = FileOps::system());
    // fsync of a folder, so a rename or create inside it is durable.
    static Status syncFolder(const QString &folder, const FileOps &ops = FileOps::system());

private:
    Status failure(const char *step, int err);

    QString m_target;
    QString m_temp;
    const FileOps &m_ops;
    int m_fd = -1;
    qint64 m_written = 0;
    bool m_committed = false;
};

} // namespace mailroom
