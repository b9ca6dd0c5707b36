#include "mainwindow.h"

#include <QApplication>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QVBoxLayout>

#include "adminclient/adminclient.h"
#include "adminclient/socketlocator.h"
#include "common/banner.h"
#include "pages/dashboardpage.h"
#include "pages/directorypage.h"
#include "pages/laterpage.h"
#include "pages/logspage.h"
#include "pages/queuepage.h"
#include "pages/settingspage.h"
#include "pages/spampage.h"

namespace mailroom::console
{

MainWindow::MainWindow(adminclient::AdminClient &client, QWidget *parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_sidebar(new QListWidget(this))
    , m_stack(new QStackedWidget(this))
    , m_banner(new widgets::Banner(this))
    , m_connection(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Mailroom Console"));
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setFixedWidth(190);
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setStyleSheet(
        QStringLiteral("QListWidget { border: none; background: palette(window); font-size: 11pt; }"
                       "QListWidget::item { padding: 8px 6px; }"));
    m_connection->setObjectName(QStringLiteral("connectionState"));

    m_directory = new DirectoryPage(client, this);
    m_logs = new LogsPage(client, this);
    addPage(new DashboardPage(client, this), QStyle::SP_ComputerIcon);
    addPage(m_directory, QStyle::SP_DirHomeIcon);
    m_queue = new QueuePage(client, this);
    addPage(m_queue, QStyle::SP_ArrowForward);
    m_spam = new SpamPage(client, this);
    addPage(m_spam, QStyle::SP_MessageBoxWarning);
    addPage(new LaterPage(client, tr("Archive"), tr("The mail archive with retention and search."), this),
        QStyle::SP_DriveHDIcon);
    addPage(m_logs, QStyle::SP_FileDialogDetailedView);
    addPage(new SettingsPage(client, this), QStyle::SP_FileDialogListView);
    addPage(new LaterPage(client, tr("Backups"), tr("Backups of the data folder and restores."), this),
        QStyle::SP_DialogSaveButton);
    connect(m_sidebar, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    m_sidebar->setCurrentRow(0);

    auto *central = new QWidget(this);
    auto *outer = new QVBoxLayout(central);
    outer->addWidget(m_banner);
    auto *row = new QHBoxLayout;
    row->addWidget(m_sidebar);
    row->addWidget(m_stack, 1);
    outer->addLayout(row, 1);
    setCentralWidget(central);
    statusBar()->addWidget(m_connection, 1);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Connect to engine…"), this, &MainWindow::chooseSocket);
    file->addAction(tr("&Reconnect"), this, [this] { connectTo(m_client.socketPath()); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);

    connect(&client, &adminclient::AdminClient::connected, this, &MainWindow::onConnected);
    connect(&client, &adminclient::AdminClient::connectionFailed, this, &MainWindow::onFailed);
    connect(&client, &adminclient::AdminClient::versionMismatch, this, [this](const QString &message) {
        m_versionProblem = true;
        m_banner->show(widgets::Banner::Kind::Error, message);
    });
    connect(&client, &adminclient::AdminClient::pushReceived, this,
        [this](const QString &event, const QJsonObject &payload) {
            for (Page *p : std::as_const(m_pages))
                p->push(event, payload);
        });
    connect(m_banner, &widgets::Banner::actionTriggered, this, [this] {
        if (m_client.isConnected())
            m_banner->clear();
        else
            connectTo(m_client.socketPath());
    });
    client.setAutoReconnect(2000);
    resize(1180, 720);
}

void MainWindow::addPage(Page *page, QStyle::StandardPixmap icon)
{
    auto *item = new QListWidgetItem(style()->standardIcon(icon), page->title(), m_sidebar);
    item->setData(Qt::AccessibleTextRole, page->title());
    m_stack->addWidget(page);
    m_pages << page;
    connect(page, &Page::problem, this,
        [this](const QString &text) { m_banner->show(widgets::Banner::Kind::Warning, text, tr("Dismiss")); });
}

void MainWindow::showPage(const QString &title)
{
    for (int i = 0; i < m_pages.size(); ++i)
        if (m_pages.at(i)->title() == title)
            m_sidebar->setCurrentRow(i);
}

void MainWindow::connectTo(const QString &socketPath)
{
    m_versionProblem = false;
    m_connection->setText(tr("Connecting to %1…").arg(socketPath));
    m_client.connectToEngine(socketPath);
}

void MainWindow::chooseSocket()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose the engine's admin socket"),
        adminclient::defaultDataFolder() + QStringLiteral("/run"), tr("Admin socket (admin.sock);;All files (*)"));
    if (!path.isEmpty())
        connectTo(path);
}

void MainWindow::onConnected()
{
    m_banner->clear();
    m_connection->setText(tr("Connected to Mailroom %1 at %2").arg(m_client.engineVersion(), m_client.socketPath()));
    for (Page *p : std::as_const(m_pages))
        p->reload();
}

void MainWindow::onFailed(const QString &message)
{
    m_connection->setText(tr("Not connected"));
    if (m_versionProblem)
        return; // that banner says more
    m_banner->show(widgets::Banner::Kind::Error, message + u' ' + tr("The console keeps trying every few seconds."),
        tr("Retry now"));
}

} // namespace mailroom::console
