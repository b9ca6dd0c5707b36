#include "pages/directorypage.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "adminclient/adminclient.h"
#include "common/format.h"
#include "models/pagedlistmodel.h"
#include "pages/dkimpanel.h"
#include "pages/usermailwindow.h"

namespace mailroom::console
{

using widgets::Column;
using widgets::PagedListModel;

namespace
{
// A fetcher that pages through method, with the extra params of the moment.
PagedListModel::Fetcher fetcher(
    adminclient::AdminClient &client, const QString &method, std::function<QJsonObject()> params)
{
    return [&client, method, params](qint64 offset, int limit, auto done, auto fail) {
        QJsonObject p = params ? params() : QJsonObject();
        p.insert(QStringLiteral("offset"), offset);
        p.insert(QStringLiteral("limit"), limit);
        client.call(method, p, [done, fail](const adminclient::Reply &r) {
            if (!r.ok)
                return fail(r.errorMessage);
            done(r.object().value(QStringLiteral("items")).toArray(),
                r.object().value(QStringLiteral("total")).toInteger());
        });
    };
}

QTableView *tableView(QAbstractItemModel *model, const char *name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(QLatin1String(name));
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(24);
    view->horizontalHeader()->setStretchLastSection(true);
    // Measure at most 200 rows: fitting columns must stay fast at 100,000.
    view->horizontalHeader()->setResizeContentsPrecision(200);
    view->setWordWrap(false);
    // Fit the columns to the first page of each load.
    if (auto *paged = qobject_cast<PagedListModel *>(model))
        QObject::connect(paged, &PagedListModel::pageLoaded, view, [view, paged] {
            if (paged->rowCount() <= 1000)
                view->resizeColumnsToContents();
        });
    return view;
}

QPushButton *button(const QString &text, const char *name, QWidget *parent, std::function<void()> action)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(QLatin1String(name));
    QObject::connect(b, &QPushButton::clicked, parent, action);
    return b;
}

QString quotaText(const QJsonObject &row)
{
    const qint64 q = row.value(QStringLiteral("quotaBytes")).toInteger();
    const QString used = widgets::formatBytes(row.value(QStringLiteral("usedBytes")).toInteger());
    return q == 0 ? QObject::tr("%1 of no limit").arg(used)
                  : QObject::tr("%1 of %2").arg(used, widgets::formatBytes(q));
}
} // namespace

DirectoryPage::DirectoryPage(adminclient::AdminClient &client, QWidget *parent)
    : Page(client, parent)
    , m_domains(new PagedListModel(
          { { QStringLiteral("name"), tr("Domain"), {} }, { QStringLiteral("users"), tr("Users"), {} },
              { QStringLiteral("aliases"), tr("Aliases"), {} },
              { QStringLiteral("description"), tr("Description"), {} } },
          this))
    , m_users(new PagedListModel(
          { { QStringLiteral("address"), tr("Address"), {} }, { QStringLiteral("displayName"), tr("Name"), {} },
              { QStringLiteral("quotaBytes"), tr("Mailbox use"), quotaText },
              { QStringLiteral("enabled"), tr("Enabled"), {} } },
          this))
    , m_aliases(new PagedListModel(
          { { QStringLiteral("address"), tr("Alias"), {} }, { QStringLiteral("kind"), tr("Kind"), {} },
              { QStringLiteral("targets"), tr("Delivers to"), {} } },
          this))
{
    m_domains->setFetcher(fetcher(client, QStringLiteral("domains.list"), {}));
    m_users->setFetcher(fetcher(client, QStringLiteral("users.list"), [this] {
        return QJsonObject { { QStringLiteral("domain"), m_domain },
            { QStringLiteral("filter"), m_userFilter->text() } };
    }));
    m_aliases->setFetcher(fetcher(client, QStringLiteral("aliases.list"), [this] {
        return QJsonObject { { QStringLiteral("domain"), m_domain },
            { QStringLiteral("filter"), m_aliasFilter->text() } };
    }));
    for (PagedListModel *m : { m_domains, m_users, m_aliases })
        connect(m, &PagedListModel::loadFailed, this, &Page::problem);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(buildDomains());
    auto *right = new QWidget(splitter);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_domainTitle = new QLabel(tr("Choose a domain on the left."), right);
    m_domainTitle->setObjectName(QStringLiteral("domainTitle"));
    m_tabs = new QTabWidget(right);
    m_tabs->addTab(buildUsers(), tr("&Users"));
    m_tabs->addTab(buildAliases(), tr("A&liases"));
    m_dkim = new DkimPanel(client, m_tabs);
    m_dkim->setObjectName(QStringLiteral("dkimPanel"));
    m_tabs->addTab(m_dkim, tr("&DKIM keys"));
    rightLayout->addWidget(m_domainTitle);
    rightLayout->addWidget(m_tabs, 1);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({ 380, 760 });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(300);
    connect(&m_filterDelay, &QTimer::timeout, this, &DirectoryPage::reloadMembers);
    m_changeDelay.setSingleShot(true);
    m_changeDelay.setInterval(400);
    connect(&m_changeDelay, &QTimer::timeout, this, &DirectoryPage::reload);
}

QWidget *DirectoryPage::buildDomains()
{
    auto *w = new QWidget(this);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    m_domainView = tableView(m_domains, "domainTable", w);
    connect(
        m_domainView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &DirectoryPage::domainChanged);
    connect(m_domainView, &QTableView::doubleClicked, this, &DirectoryPage::editDomain);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(button(tr("Add domain…"), "addDomainButton", w, [this] { addDomain(); }));
    buttons->addWidget(button(tr("Edit…"), "editDomainButton", w, [this] { editDomain(); }));
    buttons->addWidget(button(tr("Remove…"), "removeDomainButton", w, [this] { removeDomain(); }));
    buttons->addStretch(1);
    layout->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(tr("Domains")), w));
    layout->addWidget(m_domainView, 1);
    layout->addLayout(buttons);
    return w;
}

QWidget *DirectoryPage::buildUsers()
{
    auto *w = new QWidget(this);
    auto *layout = new QVBoxLayout(w);
    m_userFilter = new QLineEdit(w);
    m_userFilter->setObjectName(QStringLiteral("userFilter"));
    m_userFilter->setPlaceholderText(tr("Search users by address or name"));
    m_userFilter->setClearButtonEnabled(true);
    connect(m_userFilter, &QLineEdit::textChanged, this, [this] { m_filterDelay.start(); });
    m_userView = tableView(m_users, "userTable", w);
    connect(m_userView, &QTableView::doubleClicked, this, &DirectoryPage::editUser);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(button(tr("Add user…"), "addUserButton", w, [this] { addUser(); }));
    buttons->addWidget(button(tr("Edit…"), "editUserButton", w, [this] { editUser(); }));
    buttons->addWidget(button(tr("Set password…"), "passwordButton", w, [this] { setPassword(); }));
    buttons->addWidget(button(tr("Mailboxes…"), "mailboxesButton", w, [this] { showMailboxes(); }));
    buttons->addWidget(button(tr("Remove…"), "removeUserButton", w, [this] { removeUser(); }));
    buttons->addStretch(1);
    layout->addWidget(m_userFilter);
    layout->addWidget(m_userView, 1);
    layout->addLayout(buttons);
    return w;
}

QWidget *DirectoryPage::buildAliases()
{
    auto *w = new QWidget(this);
    auto *layout = new QVBoxLayout(w);
    m_aliasFilter = new QLineEdit(w);
    m_aliasFilter->setObjectName(QStringLiteral("aliasFilter"));
    m_aliasFilter->setPlaceholderText(tr("Search aliases by address or target"));
    m_aliasFilter->setClearButtonEnabled(true);
    connect(m_aliasFilter, &QLineEdit::textChanged, this, [this] { m_filterDelay.start(); });
    m_aliasView = tableView(m_aliases, "aliasTable", w);
    connect(m_aliasView, &QTableView::doubleClicked, this, &DirectoryPage::editAlias);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(button(tr("Add alias…"), "addAliasButton", w, [this] { addAlias(); }));
    buttons->addWidget(button(tr("Edit…"), "editAliasButton", w, [this] { editAlias(); }));
    buttons->addWidget(button(tr("Remove…"), "removeAliasButton", w, [this] { removeAlias(); }));
    buttons->addStretch(1);
    layout->addWidget(m_aliasFilter);
    layout->addWidget(m_aliasView, 1);
    layout->addLayout(buttons);
    return w;
}

QString DirectoryPage::selectedDomain() const
{
    return m_domain;
}

void DirectoryPage::reload()
{
    if (!client().isConnected())
        return;
    client().call(QStringLiteral("settings.get"),
        { { QStringLiteral("name"), QStringLiteral("users.default_quota_mb") } }, [this](const adminclient::Reply &r) {
            if (r.ok)
                m_defaultQuotaMb = r.object().value(QStringLiteral("value")).toString().toInt();
        });
    for (const QPointer<UserMailWindow> &w : std::as_const(m_mailWindows))
        if (w)
            w->reload();
    const QString keep = m_domain;
    m_domains->reload();
    // Select the same domain again once its page is in.
    auto conn = std::make_shared<QMetaObject::Connection>();
    *conn = connect(m_domains, &PagedListModel::pageLoaded, this, [this, keep, conn] {
        disconnect(*conn);
        for (int row = 0; row < m_domains->rowCount(); ++row)
            if (m_domains->rowObject(row).value(QStringLiteral("name")).toString() == keep || keep.isEmpty()) {
                m_domainView->selectRow(row);
                break;
            }
        if (m_domains->rowCount() == 0)
            domainChanged();
    });
}

void DirectoryPage::push(const QString &event, const QJsonObject &)
{
    if (event == u"directory.changed")
        m_changeDelay.start();
}

void DirectoryPage::domainChanged()
{
    const QJsonObject row = selected(m_domainView, m_domains);
    m_domain = row.value(QStringLiteral("name")).toString();
    if (m_domain.isEmpty())
        m_domainTitle->setText(m_domains->rowCount() ? tr("Choose a domain on the left.")
                                                     : tr("No domains yet. Add the first one with \"Add domain…\"."));
    else
        m_domainTitle->setText(tr("<h3>%1</h3>").arg(m_domain.toHtmlEscaped()));
    reloadMembers();
}

void DirectoryPage::reloadMembers()
{
    m_users->reload();
    m_aliases->reload();
    if (m_dkim->domain() != m_domain)
        m_dkim->setDomain(m_domain);
    else
        m_dkim->reload();
}

bool DirectoryPage::selectDomain(const QString &name)
{
    for (int row = 0; row < m_domains->rowCount(); ++row)
        if (m_domains->rowObject(row).value(QStringLiteral("name")).toString() == name) {
            m_domainView->selectRow(row);
            return true;
        }
    return false;
}

UserMailWindow *DirectoryPage::mailWindow(const QString &user) const
{
    return m_mailWindows.value(user);
}

void DirectoryPage::showMailboxes()
{
    const QString user = selected(m_userView, m_users).value(QStringLiteral("address")).toString();
    if (user.isEmpty()) {
        Q_EMIT problem(tr("Choose a user in the list first, then click \"Mailboxes…\" to see their mail."));
        return;
    }
    UserMailWindow *w = m_mailWindows.value(user);
    if (!w) {
        w = new UserMailWindow(client(), user, this);
        w->setAttribute(Qt::WA_DeleteOnClose);
        m_mailWindows.insert(user, w);
        w->reload();
    }
    w->show();
    w->raise();
    w->activateWindow();
}

QJsonObject DirectoryPage::selected(QTableView *view, PagedListModel *model) const
{
    const QModelIndexList rows = view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QJsonObject() : model->rowObject(rows.first().row());
}

} // namespace mailroom::console
