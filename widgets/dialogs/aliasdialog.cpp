#include "dialogs/aliasdialog.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpression>

namespace mailroom::widgets
{

AliasDialog::AliasDialog(const QString &domain, const QString &address, const QStringList &targets, QWidget *parent)
    : EditDialog(parent)
    , m_new(address.isEmpty())
    , m_address(new QLineEdit(address, this))
    , m_targets(new QPlainTextEdit(targets.join(QLatin1Char('\n')), this))
{
    setObjectName(QStringLiteral("aliasDialog"));
    setWindowTitle(m_new ? tr("Add alias") : tr("Edit alias %1").arg(address));
    m_address->setObjectName(QStringLiteral("aliasAddress"));
    m_targets->setObjectName(QStringLiteral("aliasTargets"));
    if (m_new && !domain.isEmpty()) {
        m_address->setText(QLatin1Char('@') + domain);
        m_address->setCursorPosition(0);
    }
    m_address->setReadOnly(!m_new);
    m_address->setToolTip(tr("sales@%1 forwards one address; @%1 alone catches every address of the domain that "
                             "has no user or alias.")
                              .arg(domain.isEmpty() ? QStringLiteral("example.com") : domain));
    m_targets->setPlaceholderText(tr("One address per line: local users, other aliases or outside addresses.\nSeveral "
                                     "lines make a distribution list."));
    auto *form = new QFormLayout;
    form->addRow(tr("&Alias:"), m_address);
    form->addRow(tr("&Delivers to:"), m_targets);
    setBody(form);
    setMinimumWidth(480);
}

QString AliasDialog::address() const
{
    return m_address->text().trimmed();
}

QStringList AliasDialog::targets() const
{
    static const QRegularExpression separators(QStringLiteral("[\\s,;]+"));
    return m_targets->toPlainText().split(separators, Qt::SkipEmptyParts);
}

QString AliasDialog::check() const
{
    if (!address().contains(QLatin1Char('@')))
        return tr("Enter the alias address, for example sales@example.com, or @example.com for a catch-all.");
    if (targets().isEmpty())
        return tr("Enter at least one address the mail should go to.");
    return {};
}

} // namespace mailroom::widgets
