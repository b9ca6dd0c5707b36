#include "dialogs/userdialog.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

namespace mailroom::widgets
{

namespace
{
QLineEdit *passwordField(QWidget *parent, const char *name)
{
    auto *e = new QLineEdit(parent);
    e->setObjectName(QLatin1String(name));
    e->setEchoMode(QLineEdit::Password);
    return e;
}

QString checkPasswords(const QString &a, const QString &b)
{
    if (a.isEmpty())
        return QObject::tr("Enter a password.");
    if (a != b)
        return QObject::tr("The two passwords differ; type the same password in both fields.");
    return {};
}
} // namespace

UserDialog::UserDialog(const QString &domain, const QJsonObject &user, int defaultQuotaMb, QWidget *parent)
    : EditDialog(parent)
    , m_new(user.isEmpty())
    , m_address(new QLineEdit(this))
    , m_name(new QLineEdit(user.value(QStringLiteral("displayName")).toString(), this))
    , m_quota(new QSpinBox(this))
{
    setObjectName(QStringLiteral("userDialog"));
    m_address->setObjectName(QStringLiteral("userAddress"));
    m_name->setObjectName(QStringLiteral("userName"));
    m_quota->setObjectName(QStringLiteral("userQuota"));
    m_quota->setRange(0, 1024 * 1024);
    m_quota->setSuffix(tr(" MiB"));
    m_quota->setSpecialValueText(tr("No limit"));
    m_quota->setToolTip(tr("Mailbox size limit; 0 means no limit."));
    auto *form = new QFormLayout;
    if (m_new) {
        setWindowTitle(tr("Add user"));
        m_address->setPlaceholderText(domain.isEmpty() ? tr("name@example.com") : tr("name@%1").arg(domain));
        if (!domain.isEmpty())
            m_address->setText(QLatin1Char('@') + domain);
        m_address->setCursorPosition(0);
        m_password = passwordField(this, "userPassword");
        m_confirm = passwordField(this, "userPasswordConfirm");
        m_quota->setValue(defaultQuotaMb);
        form->addRow(tr("&Address:"), m_address);
        form->addRow(tr("Full &name:"), m_name);
        form->addRow(tr("&Password:"), m_password);
        form->addRow(tr("&Repeat password:"), m_confirm);
        form->addRow(tr("&Quota:"), m_quota);
    } else {
        const QString address = user.value(QStringLiteral("address")).toString();
        setWindowTitle(tr("Edit user %1").arg(address));
        m_address->setText(address);
        m_address->setReadOnly(true);
        m_quota->setValue(int(user.value(QStringLiteral("quotaBytes")).toInteger() / (1024 * 1024)));
        m_enabled = new QCheckBox(tr("May log in and receive mail"), this);
        m_enabled->setObjectName(QStringLiteral("userEnabled"));
        m_enabled->setChecked(user.value(QStringLiteral("enabled")).toBool(true));
        m_cram = new QCheckBox(tr("Allow CRAM-MD5 (older mail programs; stores a password-equivalent secret)"), this);
        m_cram->setChecked(user.value(QStringLiteral("cramMd5")).toBool());
        form->addRow(tr("Address:"), m_address);
        form->addRow(tr("Full &name:"), m_name);
        form->addRow(tr("&Quota:"), m_quota);
        form->addRow(QString(), m_enabled);
        form->addRow(QString(), m_cram);
    }
    setBody(form);
    setMinimumWidth(460);
}

qint64 UserDialog::quotaMb() const
{
    return m_quota->value();
}

QJsonObject UserDialog::addParams() const
{
    return { { QStringLiteral("address"), m_address->text().trimmed() },
        { QStringLiteral("displayName"), m_name->text().trimmed() },
        { QStringLiteral("password"), m_password ? m_password->text() : QString() },
        { QStringLiteral("quotaMb"), quotaMb() } };
}

QJsonObject UserDialog::updateParams() const
{
    QJsonObject p { { QStringLiteral("address"), m_address->text().trimmed() },
        { QStringLiteral("displayName"), m_name->text().trimmed() } };
    if (m_enabled)
        p.insert(QStringLiteral("enabled"), m_enabled->isChecked());
    if (m_cram)
        p.insert(QStringLiteral("cramMd5"), m_cram->isChecked());
    return p;
}

QString UserDialog::check() const
{
    const QString address = m_address->text().trimmed();
    if (address.isEmpty() || address.startsWith(QLatin1Char('@')) || !address.contains(QLatin1Char('@')))
        return tr("Enter the full address, for example ann@example.com.");
    if (m_new)
        return checkPasswords(m_password->text(), m_confirm->text());
    return {};
}

PasswordDialog::PasswordDialog(const QString &address, QWidget *parent)
    : EditDialog(parent)
    , m_password(passwordField(this, "newPassword"))
    , m_confirm(passwordField(this, "newPasswordConfirm"))
{
    setObjectName(QStringLiteral("passwordDialog"));
    setWindowTitle(tr("Set password for %1").arg(address));
    auto *form = new QFormLayout;
    form->addRow(tr("&New password:"), m_password);
    form->addRow(tr("&Repeat:"), m_confirm);
    setBody(form);
    setMinimumWidth(400);
}

QString PasswordDialog::password() const
{
    return m_password->text();
}

QString PasswordDialog::check() const
{
    return checkPasswords(m_password->text(), m_confirm->text());
}

} // namespace mailroom::widgets
