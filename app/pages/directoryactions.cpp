// Domains & Users: the add, edit and remove actions. Dialogs stay open until
// the engine has answered; a refusal is shown inside the dialog.
#include <QJsonArray>
#include <QMessageBox>
#include <QPointer>

#include "adminclient/adminclient.h"
#include "dialogs/aliasdialog.h"
#include "dialogs/userdialog.h"
#include "models/pagedlistmodel.h"
#include "pages/directorypage.h"

namespace mailroom::console
{

void DirectoryPage::submit(
    widgets::EditDialog *dialog, const QString &method, const QJsonObject &params, std::function<void()> then)
{
    QPointer<widgets::EditDialog> guard(dialog);
    client().call(method, params, [this, guard, then](const adminclient::Reply &r) {
        if (!guard)
            return;
        if (!r.ok) {
            guard->setError(r.errorMessage);
            return;
        }
        if (then)
            then();
        else
            guard->finish();
        m_changeDelay.start();
    });
}

bool DirectoryPage::confirm(const QString &question, const QString &detail)
{
    QMessageBox box(QMessageBox::Warning, tr("Please confirm"), question, QMessageBox::Cancel, this);
    box.setInformativeText(detail);
    box.addButton(tr("Remove"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    return box.exec() != QMessageBox::Cancel;
}

void DirectoryPage::addDomain()
{
    auto *d = new widgets::DomainDialog(QString(), QString(), this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &widgets::EditDialog::submitted, this, [this, d] {
        submit(d, QStringLiteral("domains.add"),
            { { QStringLiteral("name"), d->name() }, { QStringLiteral("description"), d->description() } });
    });
    d->open();
}

void DirectoryPage::editDomain()
{
    const QJsonObject row = selected(m_domainView, m_domains);
    if (row.isEmpty())
        return;
    auto *d = new widgets::DomainDialog(
        row.value(QStringLiteral("name")).toString(), row.value(QStringLiteral("description")).toString(), this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &widgets::EditDialog::submitted, this, [this, d] {
        submit(d, QStringLiteral("domains.update"),
            { { QStringLiteral("name"), d->name() }, { QStringLiteral("description"), d->description() } });
    });
    d->open();
}

void DirectoryPage::removeDomain()
{
    const QJsonObject row = selected(m_domainView, m_domains);
    if (row.isEmpty())
        return;
    const QString name = row.value(QStringLiteral("name")).toString();
    const qint64 users = row.value(QStringLiteral("users")).toInteger();
    const qint64 aliases = row.value(QStringLiteral("aliases")).toInteger();
    const QString detail = users + aliases > 0
        ? tr("Its %1 users, their mail and its %2 aliases are deleted too. This cannot be undone.")
              .arg(users)
              .arg(aliases)
        : tr("The domain has no users or aliases.");
    if (!confirm(tr("Remove the domain %1?").arg(name), detail))
        return;
    client().call(QStringLiteral("domains.remove"),
        { { QStringLiteral("name"), name }, { QStringLiteral("force"), true } }, [this](const adminclient::Reply &r) {
            if (!r.ok)
                Q_EMIT problem(r.errorMessage);
            m_domain.clear();
            m_changeDelay.start();
        });
}

void DirectoryPage::addUser()
{
    if (m_domain.isEmpty()) {
        Q_EMIT problem(tr("Add a domain first: users belong to a domain."));
        return;
    }
    auto *d = new widgets::UserDialog(m_domain, {}, m_defaultQuotaMb, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &widgets::EditDialog::submitted, this,
        [this, d] { submit(d, QStringLiteral("users.add"), d->addParams()); });
    d->open();
}

void DirectoryPage::editUser()
{
    const QJsonObject row = selected(m_userView, m_users);
    if (row.isEmpty())
        return;
    auto *d = new widgets::UserDialog(m_domain, row, m_defaultQuotaMb, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &widgets::EditDialog::submitted, this, [this, d] {
        // Two requests: the details, then the quota.
        const QString address = d->updateParams().value(QStringLiteral("address")).toString();
        submit(d, QStringLiteral("users.update"), d->updateParams(), [this, d, address] {
            submit(d, QStringLiteral("users.quota"),
                { { QStringLiteral("address"), address }, { QStringLiteral("quotaMb"), d->quotaMb() } });
        });
    });
    d->open();
}

void DirectoryPage::setPassword()
{
    const QJsonObject row = selected(m_userView, m_users);
    if (row.isEmpty())
        return;
    const QString address = row.value(QStringLiteral("address")).toString();
    auto *d = new widgets::PasswordDialog(address, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &widgets::EditDialog::submitted, this, [this, d, address] {
        submit(d, QStringLiteral("users.passwd"),
            { { QStringLiteral("address"), address }, { QStringLiteral("password"), d->password() } });
    });
    d->open();
}

void DirectoryPage::removeUser()
{
    const QJsonObject row = selected(m_userView, m_users);
    if (row.isEmpty())
        return;
    const QString address = row.value(QStringLiteral("address")).toString();
    if (!confirm(tr("Remove the user %1?").arg(address),
            tr("All of the user's mail is deleted, and aliases stop delivering to it. This cannot be undone.")))
        return;
    client().call(QStringLiteral("users.remove"), { { QStringLiteral("address"), address } },
        [this](const adminclient::Reply &r) {
            if (!r.ok)
                Q_EMIT problem(r.errorMessage);
            m_changeDelay.start();
        });
}

void DirectoryPage::addAlias()
{
    if (m_domain.isEmpty()) {
        Q_EMIT problem(tr("Add a domain first: aliases belong to a domain."));
        return;
    }
    auto *d = new widgets::AliasDialog(m_domain, QString(), {}, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &widgets::EditDialog::submitted, this, [this, d] {
        submit(d, QStringLiteral("aliases.add"),
            { { QStringLiteral("address"), d->address() },
                { QStringLiteral("targets"), QJsonArray::fromStringList(d->targets()) } });
    });
    d->open();
}

void DirectoryPage::editAlias()
{
    const QJsonObject row = selected(m_aliasView, m_aliases);
    if (row.isEmpty())
        return;
    QStringList targets;
    for (const QJsonValue &v : row.value(QStringLiteral("targets")).toArray())
        targets << v.toString();
    auto *d = new widgets::AliasDialog(m_domain, row.value(QStringLiteral("address")).toString(), targets, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &widgets::EditDialog::submitted, this, [this, d] {
        submit(d, QStringLiteral("aliases.update"),
            { { QStringLiteral("address"), d->address() },
                { QStringLiteral("targets"), QJsonArray::fromStringList(d->targets()) } });
    });
    d->open();
}

void DirectoryPage::removeAlias()
{
    const QJsonObject row = selected(m_aliasView, m_aliases);
    if (row.isEmpty())
        return;
    const QString address = row.value(QStringLiteral("address")).toString();
    if (!confirm(tr("Remove the alias %1?").arg(address), tr("Mail to it is no longer delivered.")))
        return;
    client().call(QStringLiteral("aliases.remove"), { { QStringLiteral("address"), address } },
        [this](const adminclient::Reply &r) {
            if (!r.ok)
                Q_EMIT problem(r.errorMessage);
            m_changeDelay.start();
        });
}

} // namespace mailroom::console
