// Message files for the engine: the files of a drop (folders opened to their
// .eml files) and, a part at a time, their bytes in base64 ready for
// spam.train or spam.score. Both functions block on the disk, so the console
// runs them on a worker thread; they touch nothing but their arguments and
// stop soon after *cancel turns true.
// Trust level: local files of any kind; each one is checked to look like a
// message before it is sent.
#pragma once

#include <atomic>

#include <QJsonArray>
#include <QList>
#include <QStringList>

namespace mailroom::widgets
{

// A file that was left out, and why in a few words ("cannot be read:
// Permission denied", "does not look like a mail message").
struct FileProblem {
    QString path;
    QString reason;
};

struct MessageFileList {
    QStringList files;
    QList<FileProblem> problems;
};

// Files stay in their order; a folder gives its *.eml files (subfolders too)
// sorted by path. At most maxFiles files are listed.
MessageFileList listMessageFiles(const QStringList &paths, qsizetype maxFiles, const std::atomic_bool *cancel);

struct MessagePartLimits {
    qsizetype maxMessages = 200;
    qsizetype maxBase64Bytes = 4 * 1024 * 1024;
    // Larger files would not fit the engine's 16 MiB frame in base64.
    qint64 maxFileBytes = 10 * 1024 * 1024;
};

struct MessageFilePart {
    QJsonArray messages; // base64 strings
    QStringList files; // the file of each message, in the same order
    qsizetype consumed = 0; // files looked at from `from`, used or left out
    QList<FileProblem> problems;
};

// Reads files[from…] until a limit is reached; always consumes at least one
// file unless cancelled or at the end.
MessageFilePart readMessageFiles(
    const QStringList &files, qsizetype from, const MessagePartLimits &limits, const std::atomic_bool *cancel);

// Whether bytes start the way an RFC 5322 message (a header field) or an mbox
// entry ("From ") does.
bool looksLikeMessage(const QByteArray &bytes);

// Where a file dialog for messages opens the first time: the desktop when
// there is one, else the home folder. A folder that does not exist would
// show up as a file name in the dialog.
QString firstFolderForMessages();

} // namespace mailroom::widgets
