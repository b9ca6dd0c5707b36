// UserMailWindow: one user's mail, opened from Domains & Users with
// "Mailboxes…": the folders with message, unread and size counts, the quota
// bar, the selected folder's messages (newest first, paged, draggable onto
// the Spam page) and a viewer with the main headers and the text. Read only.
// Trust level: shows what the local engine sends (mail from the Internet).
#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QProgressBar;
class QTableView;

namespace mailroom::adminclient
{
class AdminClient;
}

namespace mailroom::widgets
{
class Banner;
class MessageListModel;
class MessageViewer;
class PagedListModel;
} // namespace mailroom::widgets

namespace mailroom::console
{

class UserMailWindow : public QWidget
{
    Q_OBJECT
public:
    UserMailWindow(adminclient::AdminClient &client, const QString &user, QWidget *parent = nullptr);
    QString user() const
    {
        return m_user;
    }
    // Loads the folders and quota again, keeping the chosen folder.
    void reload();

    widgets::PagedListModel *folders() const
    {
        return m_folders;
    }
    widgets::MessageListModel *messages() const
    {
        return m_messages;
    }
    QTableView *folderView() const
    {
        return m_folderView;
    }
    QTableView *messageView() const
    {
        return m_messageView;
    }
    widgets::MessageViewer *viewer() const
    {
        return m_viewer;
    }
    QProgressBar *quotaBar() const
    {
        return m_quota;
    }
    widgets::Banner *notice() const
    {
        return m_notice;
    }

private:
    QWidget *buildFolders();
    QWidget *buildMessages();
    void showQuota(const QJsonObject &quota);
    void foldersLoaded();
    void folderChanged();
    void messageChanged();
    void updateCount();
    void problem(const QString &text);

    adminclient::AdminClient &m_client;
    QString m_user;
    QString m_folder; // the chosen folder, kept across reloads
    widgets::PagedListModel *m_folders;
    widgets::MessageListModel *m_messages;
    widgets::Banner *m_notice = nullptr;
    QProgressBar *m_quota = nullptr;
    QTableView *m_folderView = nullptr;
    QTableView *m_messageView = nullptr;
    QLabel *m_count = nullptr;
    widgets::MessageViewer *m_viewer = nullptr;
    quint64 m_viewRequest = 0; // replies to older messages.get calls are dropped
};

} // namespace mailroom::console
