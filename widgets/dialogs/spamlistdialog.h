// SpamListDialog: adds one allow or block list entry. The pattern is checked
// here as the admin types (an address, a domain with its subdomains, an IP
// address or a network) and the line under it says which one it is; the
// scope is everyone, one local domain (picked from domains.list) or one
// local user (searched in users.list as the admin types).
// Trust level: local admin's input; the engine checks it again.
#pragma once

#include <QTimer>

#include "dialogs/domaindialog.h"

class QComboBox;
class QCompleter;
class QStringListModel;

namespace mailroom::adminclient
{
class AdminClient;
}

namespace mailroom::widgets
{

enum class ListPattern { Invalid, Address, Domain, IpAddress, Network };
// What a pattern is, by the rules of spam.lists.add. IDN domains are allowed.
ListPattern classifyListPattern(const QString &pattern);

class SpamListDialog : public EditDialog
{
    Q_OBJECT
public:
    SpamListDialog(adminclient::AdminClient &client, QWidget *parent = nullptr);

    // The parameters for spam.lists.add.
    QJsonObject addParams() const;
    QString scope() const; // global, domain:NAME or user:ADDRESS

    // The dialog's fields, for tests and for presetting.
    QComboBox *kindBox() const
    {
        return m_kind;
    }
    QComboBox *scopeBox() const
    {
        return m_scopeKind;
    }
    QComboBox *domainBox() const
    {
        return m_domain;
    }
    QLineEdit *userEdit() const
    {
        return m_user;
    }
    QLineEdit *patternEdit() const
    {
        return m_pattern;
    }
    QLineEdit *noteEdit() const
    {
        return m_note;
    }
    QString patternHint() const;

Q_SIGNALS:
    void domainsLoaded();

protected:
    QString check() const override;

private:
    void loadDomains();
    void searchUsers();
    void scopeKindChanged();
    void patternChanged();

    adminclient::AdminClient &m_client;
    QComboBox *m_kind;
    QComboBox *m_scopeKind;
    QComboBox *m_domain;
    QLineEdit *m_user;
    QStringListModel *m_userMatches;
    QLineEdit *m_pattern;
    QLabel *m_patternHint;
    QLineEdit *m_note;
    QTimer m_userDelay;
};

} // namespace mailroom::widgets
