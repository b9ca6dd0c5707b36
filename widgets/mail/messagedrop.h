// MessageDrop: what a drag brings that can be read as mail messages, taken
// out of its QMimeData at once (the drag owns that data): messages stored on
// the engine (application/x-mailroom-message from the console's message
// lists, grouped per user and mailbox), local files and folders
// (text/uri-list with file:// URLs, e.g. .eml files from the desktop) and a
// message dragged out of a mail program (message/rfc822).
// Trust level: local data of any kind from any program; nothing is read here.
#pragma once

#include <QByteArray>
#include <QFlags>
#include <QList>
#include <QStringList>

class QMimeData;

namespace mailroom::widgets
{

// Messages in one mailbox of one user, by UID (the engine's spam.train takes
// them as strings).
struct StoredMessages {
    QString user;
    QString mailbox;
    QStringList uids;
};

struct MessageDrop {
    enum class Kind { Stored = 0x1, Files = 0x2, Inline = 0x4 };
    Q_DECLARE_FLAGS(Kinds, Kind)

    QList<StoredMessages> stored; // in drop order, one entry per user + mailbox
    QStringList paths; // local files and folders
    QList<QByteArray> inlineMessages; // message/rfc822 data

    bool isEmpty() const
    {
        return stored.isEmpty() && paths.isEmpty() && inlineMessages.isEmpty();
    }
    // Stored and inline messages; files are counted once folders are opened.
    qsizetype knownMessages() const;
};

inline constexpr char kRfc822MimeType[] = "message/rfc822";

// Cheap enough for every drag-enter: no JSON is parsed and no file touched.
bool canDropMessages(const QMimeData *data, MessageDrop::Kinds accepted);
// The usable part of the data, of the accepted kinds only; empty when none.
MessageDrop messageDrop(const QMimeData *data, MessageDrop::Kinds accepted);

} // namespace mailroom::widgets

Q_DECLARE_OPERATORS_FOR_FLAGS(mailroom::widgets::MessageDrop::Kinds)
