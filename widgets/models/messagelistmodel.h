// MessageListModel: the messages of one user's mailbox (messages.list),
// newest first, paged in as the view scrolls so 100,000 messages stay fast.
// Unread messages are bold. Rows can be dragged out as
// application/x-mailroom-message, a JSON array [{user, mailbox, uid}] that
// the Spam page accepts for training (DESIGN §6).
// Trust level: shows what the local engine sends (mail from the Internet).
#pragma once

#include "models/pagedlistmodel.h"

namespace mailroom::adminclient
{
class AdminClient;
}

namespace mailroom::widgets
{

// The drag-and-drop type of messages in a user's mailbox.
inline constexpr char kMessageMimeType[] = "application/x-mailroom-message";

class MessageListModel : public PagedListModel
{
    Q_OBJECT
public:
    explicit MessageListModel(adminclient::AdminClient &client, QObject *parent = nullptr);

    // Shows that mailbox from its newest message; an empty user shows nothing.
    void setMailbox(const QString &user, const QString &mailbox);
    QString user() const
    {
        return m_user;
    }
    QString mailbox() const
    {
        return m_mailbox;
    }
    qint64 uidAt(int row) const;

    QVariant data(const QModelIndex &index, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override;

private:
    QString m_user;
    QString m_mailbox;
};

} // namespace mailroom::widgets
