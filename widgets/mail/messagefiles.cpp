// Message files: listing and reading on a worker thread (see the header).
// RFC 5322 §2.2: field-name = 1*ftext, ftext = %d33-57 / %d59-126, then ":".
// Trust level: local files of any kind.
#include "mail/messagefiles.h"

#include <algorithm>

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace mailroom::widgets
{

namespace
{
// The translation context of the sentences below.
struct MessageFiles {
    Q_DECLARE_TR_FUNCTIONS(MessageFiles)
};

bool cancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}
} // namespace

bool looksLikeMessage(const QByteArray &bytes)
{
    if (bytes.startsWith("From "))
        return true;
    qsizetype i = 0;
    while (i < bytes.size() && i < 998) {
        const auto c = static_cast<unsigned char>(bytes.at(i));
        if (c == ':')
            return i > 0;
        if (c < 33 || c > 126)
            return false;
        ++i;
    }
    return false;
}

MessageFileList listMessageFiles(const QStringList &paths, qsizetype maxFiles, const std::atomic_bool *cancel)
{
    MessageFileList out;
    for (const QString &path : paths) {
        if (cancelled(cancel) || out.files.size() >= maxFiles)
            break;
        const QFileInfo info(path);
        if (!info.exists()) {
            out.problems.append({ path, MessageFiles::tr("is no longer there") });
            continue;
        }
        if (!info.isDir()) {
            out.files << path;
            continue;
        }
        QStringList found;
        QDirIterator it(
            path, { QStringLiteral("*.eml"), QStringLiteral("*.EML") }, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext() && !cancelled(cancel))
            found << it.next();
        if (found.isEmpty())
            out.problems.append({ path, MessageFiles::tr("is a folder without .eml files") });
        std::sort(found.begin(), found.end());
        out.files += found.mid(0, maxFiles - out.files.size());
    }
    return out;
}

MessageFilePart readMessageFiles(
    const QStringList &files, qsizetype from, const MessagePartLimits &limits, const std::atomic_bool *cancel)
{
    MessageFilePart part;
    qsizetype bytes = 0;
    for (qsizetype i = from; i < files.size(); ++i) {
        if (cancelled(cancel) || part.messages.size() >= limits.maxMessages)
            break;
        const QString &path = files.at(i);
        QFile f(path);
        const QFileInfo info(path);
        if (info.isFile() && info.size() > limits.maxFileBytes) {
            part.problems.append({ path,
                MessageFiles::tr("is larger than %1 MB, too large for a message to learn from")
                    .arg(limits.maxFileBytes / (1024 * 1024)) });
            ++part.consumed;
            continue;
        }
        // The base64 of this file would not fit beside the ones read already:
        // it starts the next part.
        const qint64 expected = (info.size() + 2) / 3 * 4;
        if (!part.messages.isEmpty() && bytes + expected > limits.maxBase64Bytes)
            break;
        ++part.consumed;
        if (!info.isFile()) {
            part.problems.append(
                { path, info.exists() ? MessageFiles::tr("is not a file") : MessageFiles::tr("is no longer there") });
            continue;
        }
        if (!f.open(QIODevice::ReadOnly)) {
            part.problems.append({ path, MessageFiles::tr("cannot be read: %1").arg(f.errorString()) });
            continue;
        }
        // In pieces: read(limit) would reserve the whole limit for every file.
        QByteArray data;
        data.reserve(info.size());
        while (data.size() <= limits.maxFileBytes) {
            const QByteArray piece = f.read(256 * 1024);
            if (piece.isEmpty())
                break;
            data += piece;
        }
        if (f.error() != QFileDevice::NoError) {
            part.problems.append({ path, MessageFiles::tr("cannot be read: %1").arg(f.errorString()) });
            continue;
        }
        if (data.isEmpty()) {
            part.problems.append({ path, MessageFiles::tr("is empty") });
            continue;
        }
        if (data.size() > limits.maxFileBytes) {
            part.problems.append({ path,
                MessageFiles::tr("is larger than %1 MB, too large for a message to learn from")
                    .arg(limits.maxFileBytes / (1024 * 1024)) });
            continue;
        }
        if (!looksLikeMessage(data)) {
            part.problems.append({ path, MessageFiles::tr("does not look like a mail message") });
            continue;
        }
        const QByteArray b64 = data.toBase64();
        bytes += b64.size();
        part.messages.append(QString::fromLatin1(b64));
        part.files << path;
    }
    return part;
}

QString firstFolderForMessages()
{
    const QString desktop = QStandardPaths::writableLocation(QStandardPaths::DesktopLocation);
    if (!desktop.isEmpty() && QFileInfo(desktop).isDir())
        return desktop;
    return QDir::homePath();
}

} // namespace mailroom::widgets
