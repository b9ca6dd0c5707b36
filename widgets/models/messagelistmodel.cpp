// MessageListModel: pages of messages.list, bold unread rows, and the drag
// payload (application/x-mailroom-message). Trust level: shows what the
// local engine sends; subjects and senders came from the Internet.
#include "models/messagelistmodel.h"

#include <algorithm>

#include <QFont>
#include <QJsonDocument>
#include <QMimeData>
#include <QSet>

#include "adminclient/adminclient.h"
#include "common/format.h"

namespace mailroom::widgets
{

namespace
{
QList<Column> columns()
{
    return {
        { QStringLiteral("date"), MessageListModel::tr("Received"),
            [](const QJsonObject &r) { return formatTime(r.value(QStringLiteral("date")).toString()); } },
        { QStringLiteral("from"), MessageListModel::tr("From"), {} },
        { QStringLiteral("subject"), MessageListModel::tr("Subject"),
            [](const QJsonObject &r) {
                const QString s = r.value(QStringLiteral("subject")).toString();
                return s.isEmpty() ? MessageListModel::tr("(no subject)") : s;
            } },
        { QStringLiteral("size"), MessageListModel::tr("Size"),
            [](const QJsonObject &r) { return formatBytes(r.value(QStringLiteral("size")).toInteger()); } },
    };
}

bool isUnread(const QJsonObject &row)
{
    return !row.value(QStringLiteral("flags")).toArray().contains(QJsonValue(QStringLiteral("\\Seen")));
}
} // namespace

MessageListModel::MessageListModel(adminclient::AdminClient &client, QObject *parent)
    : PagedListModel(columns(), parent)
{
    setPageSize(500);
    setFetcher([this, &client](qint64 offset, int limit, auto done, auto fail) {
        if (m_user.isEmpty() || m_mailbox.isEmpty())
            return done({}, 0);
        const QString user = m_user;
        const QString mailbox = m_mailbox;
        client.call(QStringLiteral("messages.list"),
            { { QStringLiteral("user"), user }, { QStringLiteral("mailbox"), mailbox },
                { QStringLiteral("offset"), offset }, { QStringLiteral("limit"), limit } },
            [done, fail, user, mailbox](const adminclient::Reply &r) {
                if (!r.ok)
                    return fail(
                        tr("The messages in %1 of %2 could not be loaded: %3").arg(mailbox, user, r.errorMessage));
                done(r.object().value(QStringLiteral("items")).toArray(),
                    r.object().value(QStringLiteral("total")).toInteger());
            });
    });
}

void MessageListModel::setMailbox(const QString &user, const QString &mailbox)
{
    m_user = user;
    m_mailbox = mailbox;
    reload();
}

qint64 MessageListModel::uidAt(int row) const
{
    return rowObject(row).value(QStringLiteral("uid")).toInteger();
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (role == Qt::FontRole && index.isValid() && isUnread(rowObject(index.row()))) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    return PagedListModel::data(index, role);
}

Qt::ItemFlags MessageListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
}

QStringList MessageListModel::mimeTypes() const
{
    return { QLatin1String(kMessageMimeType) };
}

QMimeData *MessageListModel::mimeData(const QModelIndexList &indexes) const
{
    // One entry per row however many of its cells are selected, in row order.
    QList<int> rows;
    QSet<int> seen;
    for (const QModelIndex &i : indexes)
        if (i.isValid() && !seen.contains(i.row())) {
            seen.insert(i.row());
            rows << i.row();
        }
    std::sort(rows.begin(), rows.end());
    QJsonArray items;
    for (int row : std::as_const(rows))
        items.append(QJsonObject { { QStringLiteral("user"), m_user }, { QStringLiteral("mailbox"), m_mailbox },
            { QStringLiteral("uid"), uidAt(row) } });
    if (items.isEmpty())
        return nullptr;
    auto *mime = new QMimeData;
    mime->setData(QLatin1String(kMessageMimeType), QJsonDocument(items).toJson(QJsonDocument::Compact));
    return mime;
}

Qt::DropActions MessageListModel::supportedDragActions() const
{
    // Training copies: the message stays where it is.
    return Qt::CopyAction;
}

} // namespace mailroom::widgets
