#include "dialogs/domaindialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mailroom::widgets
{

EditDialog::EditDialog(QWidget *parent)
    : QDialog(parent)
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    m_error->setObjectName(QStringLiteral("dialogError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #a50e0e"));
    m_error->hide();
    connect(m_buttons, &QDialogButtonBox::accepted, this, &EditDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &EditDialog::reject);
}

void EditDialog::setBody(QLayout *form)
{
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
}

void EditDialog::setError(const QString &text)
{
    setBusy(false);
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void EditDialog::setBusy(bool busy)
{
    m_buttons->setEnabled(!busy);
    setCursor(busy ? Qt::BusyCursor : Qt::ArrowCursor);
}

void EditDialog::accept()
{
    const QString problem = check();
    if (!problem.isEmpty()) {
        setError(problem);
        return;
    }
    setError(QString());
    setBusy(true);
    Q_EMIT submitted();
}

void EditDialog::finish()
{
    setBusy(false);
    QDialog::accept();
}

DomainDialog::DomainDialog(const QString &name, const QString &description, QWidget *parent)
    : EditDialog(parent)
    , m_name(new QLineEdit(name, this))
    , m_description(new QLineEdit(description, this))
{
    setObjectName(QStringLiteral("domainDialog"));
    setWindowTitle(name.isEmpty() ? tr("Add domain") : tr("Edit domain %1").arg(name));
    m_name->setObjectName(QStringLiteral("domainName"));
    m_name->setPlaceholderText(tr("example.com"));
    m_name->setReadOnly(!name.isEmpty());
    m_description->setObjectName(QStringLiteral("domainDescription"));
    m_description->setPlaceholderText(tr("Optional, e.g. \"Main office\""));
    auto *form = new QFormLayout;
    form->addRow(tr("&Domain name:"), m_name);
    form->addRow(tr("D&escription:"), m_description);
    setBody(form);
    setMinimumWidth(420);
}

QString DomainDialog::name() const
{
    return m_name->text().trimmed();
}

QString DomainDialog::description() const
{
    return m_description->text().trimmed();
}

QString DomainDialog::check() const
{
    if (name().isEmpty())
        return tr("Enter the domain name, for example example.com.");
    return {};
}

} // namespace mailroom::widgets
