// UserDialog: add a user (address, name, password twice, quota) or edit one
// (name, quota, enabled, CRAM-MD5). PasswordDialog sets a new password.
#pragma once

#include <QJsonObject>

#include "dialogs/domaindialog.h"

class QCheckBox;
class QSpinBox;

namespace mailroom::widgets
{

class UserDialog : public EditDialog
{
    Q_OBJECT
public:
    // user empty: a new user in domain; else edits that user.
    UserDialog(const QString &domain, const QJsonObject &user, int defaultQuotaMb, QWidget *parent = nullptr);
    bool isNew() const
    {
        return m_new;
    }
    // The request parameters for users.add or users.update (+ users.quota).
    QJsonObject addParams() const;
    QJsonObject updateParams() const;
    qint64 quotaMb() const;

protected:
    QString check() const override;

private:
    bool m_new;
    QLineEdit *m_address;
    QLineEdit *m_name;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_confirm = nullptr;
    QSpinBox *m_quota;
    QCheckBox *m_enabled = nullptr;
    QCheckBox *m_cram = nullptr;
};

class PasswordDialog : public EditDialog
{
    Q_OBJECT
public:
    PasswordDialog(const QString &address, QWidget *parent = nullptr);
    QString password() const;

protected:
    QString check() const override;

private:
    QLineEdit *m_password;
    QLineEdit *m_confirm;
};

} // namespace mailroom::widgets
