// MainWindow: sidebar of pages, a banner for problems, and the connection to
// the local engine (found automatically, chosen with File > Connect to…,
// re-established on its own when the engine restarts).
#pragma once

#include <QMainWindow>
#include <QStyle>

class QListWidget;
class QStackedWidget;
class QLabel;

namespace mailroom::adminclient
{
class AdminClient;
}
namespace mailroom::widgets
{
class Banner;
}

namespace mailroom::console
{

class Page;
class DirectoryPage;
class LogsPage;
class QueuePage;
class SpamPage;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(adminclient::AdminClient &client, QWidget *parent = nullptr);
    void connectTo(const QString &socketPath);
    void showPage(const QString &title);

    DirectoryPage *directoryPage() const
    {
        return m_directory;
    }
    LogsPage *logsPage() const
    {
        return m_logs;
    }
    QueuePage *queuePage() const
    {
        return m_queue;
    }
    SpamPage *spamPage() const
    {
        return m_spam;
    }
    widgets::Banner *banner() const
    {
        return m_banner;
    }

private:
    void addPage(Page *page, QStyle::StandardPixmap icon);
    void chooseSocket();
    void onConnected();
    void onFailed(const QString &message);

    adminclient::AdminClient &m_client;
    QListWidget *m_sidebar;
    QStackedWidget *m_stack;
    widgets::Banner *m_banner;
    QLabel *m_connection;
    QList<Page *> m_pages;
    DirectoryPage *m_directory = nullptr;
    LogsPage *m_logs = nullptr;
    QueuePage *m_queue = nullptr;
    SpamPage *m_spam = nullptr;
    bool m_versionProblem = false;
};

} // namespace mailroom::console
