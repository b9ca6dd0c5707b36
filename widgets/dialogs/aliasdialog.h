// AliasDialog: an alias, a catch-all (@domain) or a distribution list (one
// target per line).
#pragma once

#include <QStringList>

#include "dialogs/domaindialog.h"

class QPlainTextEdit;

namespace mailroom::widgets
{

class AliasDialog : public EditDialog
{
    Q_OBJECT
public:
    // address empty: a new alias in domain; else edits that alias's targets.
    AliasDialog(const QString &domain, const QString &address, const QStringList &targets, QWidget *parent = nullptr);
    bool isNew() const
    {
        return m_new;
    }
    QString address() const;
    QStringList targets() const;

protected:
    QString check() const override;

private:
    bool m_new;
    QLineEdit *m_address;
    QPlainTextEdit *m_targets;
};

} // namespace mailroom::widgets
