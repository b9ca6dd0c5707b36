// UserMailWindow: folders (mailboxes.list) on the left, the chosen folder's
// messages (messages.list, paged) above the viewer (messages.get) on the
// right. Every failure goes to the window's banner in the engine's words,
// which say what to do. Trust level: shows what the local engine sends.
#include "pages/usermailwindow.h"

#include <algorithm>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "common/format.h"
#include "mail/messageviewer.h"
#include "models/messagelistmodel.h"
#include "models/pagedlistmodel.h"

namespace mailroom::console
{

using widgets::PagedListModel;

namespace
{
QString count(const char *key, const QJsonObject &row)
{
    return QLocale().toString(row.value(QLatin1String(key)).toInteger());
}

QTableView *table(QAbstractItemModel *model, const char *name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(QLatin1String(name));
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    // Fixed row heights keep scrolling through 100,000 rows cheap.
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(24);
    view->horizontalHeader()->setResizeContentsPrecision(200);
    return view;
}
} // namespace

UserMailWindow::UserMailWindow(adminclient::AdminClient &client, const QString &user, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_client(client)
    , m_user(user)
    , m_folders(new PagedListModel(
          { { QStringLiteral("name"), tr("Folder"), {} },
              { QStringLiteral("messages"), tr("Messages"), [](const QJsonObject &r) { return count("messages", r); } },
              { QStringLiteral("unseen"), tr("Unread"), [](const QJsonObject &r) { return count("unseen", r); } },
              { QStringLiteral("bytes"), tr("Size"),
                  [](const QJsonObject &r) {
                      return widgets::formatBytes(r.value(QStringLiteral("bytes")).toInteger());
                  } } },
          this))
    , m_messages(new widgets::MessageListModel(client, this))
{
    setObjectName(QStringLiteral("userMailWindow"));
    setWindowTitle(tr("Mail of %1 — Mailroom Console").arg(user));
    m_folders->setFetcher([this](qint64, int, auto done, auto fail) {
        m_client.call(QStringLiteral("mailboxes.list"), { { QStringLiteral("user"), m_user } },
            [self = QPointer(this), done, fail](const adminclient::Reply &r) {
                if (!self)
                    return; // the window was closed
                if (!r.ok) {
                    self->m_viewer->showText(tr("Nothing to show; see the message at the top."));
                    return fail(tr("The folders of %1 could not be loaded: %2").arg(self->m_user, r.errorMessage));
                }
                self->showQuota(r.object().value(QStringLiteral("quota")).toObject());
                const QJsonArray items = r.object().value(QStringLiteral("items")).toArray();
                done(items, items.size());
            });
    });
    connect(m_folders, &PagedListModel::loadFailed, this, &UserMailWindow::problem);
    connect(m_folders, &PagedListModel::pageLoaded, this, &UserMailWindow::foldersLoaded);
    connect(m_messages, &PagedListModel::loadFailed, this, &UserMailWindow::problem);
    connect(m_messages, &PagedListModel::totalChanged, this, &UserMailWindow::updateCount);

    m_notice = new widgets::Banner(this);
    m_notice->setObjectName(QStringLiteral("mailNotice"));
    connect(m_notice, &widgets::Banner::actionTriggered, m_notice, &widgets::Banner::clear);
    auto *title = new QLabel(this);
    title->setTextFormat(Qt::PlainText);
    title->setText(user);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    title->setFont(big);
    m_quota = new QProgressBar(this);
    m_quota->setObjectName(QStringLiteral("quotaBar"));
    m_quota->setMinimumWidth(280);
    m_quota->setTextVisible(true);
    auto *refresh = new QPushButton(tr("Refresh"), this);
    refresh->setObjectName(QStringLiteral("mailRefresh"));
    connect(refresh, &QPushButton::clicked, this, &UserMailWindow::reload);
    auto *top = new QHBoxLayout;
    top->addWidget(title, 1);
    top->addWidget(new QLabel(tr("Mailbox use:"), this));
    top->addWidget(m_quota);
    top->addWidget(refresh);

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(buildMessages());
    m_viewer = new widgets::MessageViewer(right);
    m_viewer->setObjectName(QStringLiteral("messageViewer"));
    right->addWidget(m_viewer);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 1);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(buildFolders());
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({ 340, 760 });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_notice);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);
    resize(1100, 720);
    m_quota->setRange(0, 1);
    m_quota->setValue(0);
    m_quota->setFormat(tr("not known yet"));
}

QWidget *UserMailWindow::buildFolders()
{
    auto *w = new QWidget(this);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    m_folderView = table(m_folders, "folderTable", w);
    m_folderView->setSelectionMode(QAbstractItemView::SingleSelection);
    // A few dozen folders at most: fit every count, give the name the rest.
    m_folderView->horizontalHeader()->setStretchLastSection(false);
    m_folderView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    connect(m_folders, &PagedListModel::pageLoaded, m_folderView, [this] {
        for (int column = 1; column < m_folders->columnCount(); ++column)
            m_folderView->resizeColumnToContents(column);
    });
    connect(
        m_folderView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &UserMailWindow::folderChanged);
    layout->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(tr("Folders")), w));
    layout->addWidget(m_folderView, 1);
    return w;
}

QWidget *UserMailWindow::buildMessages()
{
    auto *w = new QWidget(this);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    m_messageView = table(m_messages, "messageTable", w);
    // Several messages may be dragged at once onto the Spam page.
    m_messageView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_messageView->setDragEnabled(true);
    m_messageView->setDragDropMode(QAbstractItemView::DragOnly);
    m_messageView->setDefaultDropAction(Qt::CopyAction);
    m_messageView->horizontalHeader()->setStretchLastSection(false);
    m_messageView->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    connect(m_messages, &PagedListModel::pageLoaded, m_messageView, [this] {
        if (m_messages->rowCount() <= 500) {
            m_messageView->resizeColumnToContents(0);
            m_messageView->resizeColumnToContents(1);
            m_messageView->resizeColumnToContents(3);
        }
    });
    connect(
        m_messageView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &UserMailWindow::messageChanged);
    m_count = new QLabel(w);
    m_count->setObjectName(QStringLiteral("messageCount"));
    layout->addWidget(m_count);
    layout->addWidget(m_messageView, 1);
    return w;
}

void UserMailWindow::reload()
{
    m_notice->clear();
    m_folders->reload();
}

void UserMailWindow::problem(const QString &text)
{
    m_notice->show(widgets::Banner::Kind::Warning, text, tr("Dismiss"));
}

void UserMailWindow::showQuota(const QJsonObject &quota)
{
    const qint64 used = quota.value(QStringLiteral("usedBytes")).toInteger();
    const qint64 limit = quota.value(QStringLiteral("limitBytes")).toInteger();
    QString text;
    if (limit <= 0) {
        m_quota->setRange(0, 1);
        m_quota->setValue(0);
        text = tr("%1 used, no limit").arg(widgets::formatBytes(used));
    } else {
        m_quota->setRange(0, 1000);
        m_quota->setValue(int(std::clamp<qint64>(used * 1000 / limit, 0, 1000)));
        text = tr("%1 of %2 used").arg(widgets::formatBytes(used), widgets::formatBytes(limit));
    }
    // QProgressBar expands %p, %v and %m in its format.
    m_quota->setFormat(QString(text).replace(QLatin1Char('%'), QStringLiteral("%%")));
    m_quota->setToolTip(text);
}

void UserMailWindow::foldersLoaded()
{
    // Choose the same folder again, else INBOX (the first row).
    int row = 0;
    for (int i = 0; i < m_folders->rowCount(); ++i)
        if (m_folders->rowObject(i).value(QStringLiteral("name")).toString() == m_folder) {
            row = i;
            break;
        }
    if (m_folders->rowCount() == 0) {
        m_messages->setMailbox({}, {});
        m_viewer->showText(tr("%1 has no folders.").arg(m_user));
        return;
    }
    if (m_folderView->selectionModel()->isRowSelected(row, {}))
        folderChanged(); // same row: the selection does not change, the list must
    else
        m_folderView->selectRow(row);
}

void UserMailWindow::folderChanged()
{
    const QModelIndexList rows = m_folderView->selectionModel()->selectedRows();
    m_folder = rows.isEmpty() ? QString()
                              : m_folders->rowObject(rows.first().row()).value(QStringLiteral("name")).toString();
    m_viewer->showText(tr("Choose a message to read it."));
    m_messages->setMailbox(m_folder.isEmpty() ? QString() : m_user, m_folder);
}

void UserMailWindow::updateCount()
{
    const qint64 n = m_messages->total();
    m_count->setText(m_folder.isEmpty() ? QString()
            : n == 1
            ? tr("<b>%1</b>: 1 message").arg(m_folder.toHtmlEscaped())
            : tr("<b>%1</b>: %2 messages").arg(m_folder.toHtmlEscaped(), QLocale().toString(qMax<qint64>(n, 0))));
    if (n == 0 && !m_folder.isEmpty())
        m_viewer->showText(tr("This folder is empty."));
}

void UserMailWindow::messageChanged()
{
    const QModelIndexList rows = m_messageView->selectionModel()->selectedRows();
    const quint64 request = ++m_viewRequest;
    if (rows.size() != 1) {
        m_viewer->showText(rows.isEmpty() ? tr("Choose a message to read it.")
                                          : tr("%1 messages selected. Drag them onto the Spam page to train the "
                                               "filter.")
                                                .arg(rows.size()));
        return;
    }
    const qint64 uid = m_messages->uidAt(rows.first().row());
    m_viewer->showText(tr("Loading the message…"));
    m_client.call(QStringLiteral("messages.get"),
        { { QStringLiteral("user"), m_user }, { QStringLiteral("mailbox"), m_messages->mailbox() },
            { QStringLiteral("uid"), uid } },
        [self = QPointer(this), request](const adminclient::Reply &r) {
            if (!self || request != self->m_viewRequest)
                return; // the window was closed or the selection moved on
            if (!r.ok) {
                self->m_viewer->showText(tr("The message could not be shown."));
                self->problem(tr("The message could not be shown: %1").arg(r.errorMessage));
                return;
            }
            self->m_viewer->showMessage(r.object());
        });
}

} // namespace mailroom::console
