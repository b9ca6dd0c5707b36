// The data folder: created if missing, checked to be writable, and locked so
// that only one engine uses it at a time. Trust level: internal.
#pragma once

#include <memory>

#include <QLockFile>
#include <QString>

#include "base/result.h"

namespace mailroom
{

class DataFolder
{
public:
    explicit DataFolder(QString path);
    Status prepare(); // mkpath, mode 0750, write probe
    Status lock(); // fails with Conflict when another engine holds it
    void unlock();
    QString path() const
    {
        return m_path;
    }
    QString file(const QString &name) const;

private:
    QString m_path;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace mailroom
