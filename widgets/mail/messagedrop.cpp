// MessageDrop: reads the three kinds of message drags out of a QMimeData.
// Preference when a drag carries several: stored references first (they
// need no upload), then files, then inline data, so one message is never
// taken twice. Trust level: data from any local program.
#include "mail/messagedrop.h"

#include <algorithm>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QUrl>

#include "models/messagelistmodel.h"

namespace mailroom::widgets
{

namespace
{
bool hasLocalFile(const QMimeData *data)
{
    if (!data->hasUrls())
        return false;
    const QList<QUrl> urls = data->urls();
    return std::any_of(urls.cbegin(), urls.cend(), [](const QUrl &u) { return u.isLocalFile(); });
}

QList<StoredMessages> storedMessages(const QMimeData *data)
{
    const QJsonArray items = QJsonDocument::fromJson(data->data(QLatin1String(kMessageMimeType))).array();
    QList<StoredMessages> out;
    for (const QJsonValue &v : items) {
        const QJsonObject o = v.toObject();
        const QString user = o.value(QStringLiteral("user")).toString();
        const QString mailbox = o.value(QStringLiteral("mailbox")).toString();
        const qint64 uid = o.value(QStringLiteral("uid")).toInteger();
        if (user.isEmpty() || mailbox.isEmpty() || uid <= 0)
            continue;
        auto group = std::find_if(
            out.begin(), out.end(), [&](const StoredMessages &s) { return s.user == user && s.mailbox == mailbox; });
        if (group == out.end()) {
            out.append({ user, mailbox, {} });
            group = out.end() - 1;
        }
        group->uids << QString::number(uid);
    }
    return out;
}
} // namespace

qsizetype MessageDrop::knownMessages() const
{
    qsizetype n = inlineMessages.size();
    for (const StoredMessages &s : stored)
        n += s.uids.size();
    return n;
}

bool canDropMessages(const QMimeData *data, MessageDrop::Kinds accepted)
{
    if (!data)
        return false;
    return (accepted.testFlag(MessageDrop::Kind::Stored) && data->hasFormat(QLatin1String(kMessageMimeType)))
        || (accepted.testFlag(MessageDrop::Kind::Files) && hasLocalFile(data))
        || (accepted.testFlag(MessageDrop::Kind::Inline) && data->hasFormat(QLatin1String(kRfc822MimeType)));
}

MessageDrop messageDrop(const QMimeData *data, MessageDrop::Kinds accepted)
{
    MessageDrop drop;
    if (!data)
        return drop;
    if (accepted.testFlag(MessageDrop::Kind::Stored) && data->hasFormat(QLatin1String(kMessageMimeType))) {
        drop.stored = storedMessages(data);
        if (!drop.stored.isEmpty())
            return drop;
    }
    if (accepted.testFlag(MessageDrop::Kind::Files) && data->hasUrls()) {
        for (const QUrl &u : data->urls())
            if (u.isLocalFile() && !u.toLocalFile().isEmpty())
                drop.paths << u.toLocalFile();
        if (!drop.paths.isEmpty())
            return drop;
    }
    if (accepted.testFlag(MessageDrop::Kind::Inline) && data->hasFormat(QLatin1String(kRfc822MimeType))) {
        const QByteArray bytes = data->data(QLatin1String(kRfc822MimeType));
        if (!bytes.trimmed().isEmpty())
            drop.inlineMessages << bytes;
    }
    return drop;
}

} // namespace mailroom::widgets
