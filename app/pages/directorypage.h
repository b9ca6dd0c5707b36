// Domains & Users: the domain list on the left; the selected domain's users
// and aliases on the right, each with a server-side search box. Lists page in
// as they scroll and reload when the engine says the directory changed.
// "Mailboxes…" opens the selected user's mail in its own window. The
// "DKIM keys" tab holds the selected domain's signing keys (DkimPanel).
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

#include "pages/page.h"

class QLineEdit;
class QLabel;
class QTableView;
class QTabWidget;

namespace mailroom::widgets
{
class PagedListModel;
class EditDialog;
} // namespace mailroom::widgets

namespace mailroom::console
{

class DkimPanel;
class UserMailWindow;

class DirectoryPage : public Page
{
    Q_OBJECT
public:
    explicit DirectoryPage(adminclient::AdminClient &client, QWidget *parent = nullptr);
    QString title() const override
    {
        return tr("Domains & Users");
    }
    void reload() override;
    void push(const QString &event, const QJsonObject &payload) override;

    QString selectedDomain() const;
    widgets::PagedListModel *usersModel() const
    {
        return m_users;
    }
    DkimPanel *dkimPanel() const
    {
        return m_dkim;
    }
    QTabWidget *tabs() const
    {
        return m_tabs;
    }
    // Selects the domain in the list (once it is loaded); false if absent.
    bool selectDomain(const QString &name);

    // Actions (also reachable from buttons and menus).
    void addDomain();
    void editDomain();
    void removeDomain();
    void addUser();
    void editUser();
    void setPassword();
    void removeUser();
    // Opens (or raises) the selected user's mail window.
    void showMailboxes();
    UserMailWindow *mailWindow(const QString &user) const; // null when not open
    void addAlias();
    void editAlias();
    void removeAlias();

private:
    QWidget *buildDomains();
    QWidget *buildUsers();
    QWidget *buildAliases();
    void domainChanged();
    void reloadMembers();
    QJsonObject selected(QTableView *view, widgets::PagedListModel *model) const;
    // Sends a request for a dialog: closes it on success, shows the engine's
    // sentence in it on failure.
    void submit(
        widgets::EditDialog *dialog, const QString &method, const QJsonObject &params, std::function<void()> then = {});
    bool confirm(const QString &question, const QString &detail);

    widgets::PagedListModel *m_domains;
    widgets::PagedListModel *m_users;
    widgets::PagedListModel *m_aliases;
    QTableView *m_domainView;
    QTableView *m_userView;
    QTableView *m_aliasView;
    QLineEdit *m_userFilter;
    QLineEdit *m_aliasFilter;
    QLabel *m_domainTitle;
    QTabWidget *m_tabs;
    DkimPanel *m_dkim;
    QTimer m_filterDelay;
    QTimer m_changeDelay; // many changes in a row cause one reload
    QString m_domain;
    int m_defaultQuotaMb = 1024;
    QHash<QString, QPointer<UserMailWindow>> m_mailWindows; // by user address
};

} // namespace mailroom::console
