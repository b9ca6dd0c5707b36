// DKIM keys of one domain: the list is small (a few keys per domain), so it
// is loaded whole with dkim.list {domain}. The engine checks DNS itself
// (dkim.check), through its own resolver, so the answer is what receivers
// will see from where the engine runs.
// Trust level: local admin's input, sent to the local engine.
#include "pages/dkimpanel.h"

#include <QClipboard>
#include <QGridLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "common/format.h"

namespace mailroom::console
{

namespace
{
QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

QString stateText(const QString &state)
{
    if (state == u"pending")
        return DkimPanel::tr("Not signing yet");
    if (state == u"active")
        return DkimPanel::tr("Signing");
    if (state == u"retired")
        return DkimPanel::tr("Retired");
    return state;
}

QString algorithmText(const QString &algorithm)
{
    // The engine says rsa-sha256 or ed25519-sha256 (RFC 6376 §3.3, RFC 8463).
    if (algorithm.startsWith(QLatin1String("rsa")))
        return DkimPanel::tr("RSA");
    if (algorithm.startsWith(QLatin1String("ed25519")))
        return DkimPanel::tr("Ed25519");
    return algorithm;
}
} // namespace

DkimPanel::DkimPanel(adminclient::AdminClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_title(new QLabel(this))
    , m_keys(new QTreeWidget(this))
    , m_name(new QLineEdit(this))
    , m_value(new QPlainTextEdit(this))
    , m_checkResult(new QLabel(this))
    , m_create(new QPushButton(tr("&Create key"), this))
    , m_check(new QPushButton(tr("Check &DNS"), this))
    , m_activate(new QPushButton(tr("Ac&tivate"), this))
    , m_delete(new QPushButton(tr("De&lete…"), this))
    , m_copyName(new QPushButton(tr("Copy name"), this))
    , m_copyValue(new QPushButton(tr("Copy value"), this))
    , m_notice(new widgets::Banner(this))
{
    m_title->setWordWrap(true);
    m_keys->setObjectName(QStringLiteral("dkimKeys"));
    m_keys->setHeaderLabels({ tr("Selector"), tr("Algorithm"), tr("State"), tr("Created"), tr("Signing since") });
    m_keys->setRootIsDecorated(false);
    m_keys->setAlternatingRowColors(true);
    m_keys->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    connect(m_keys, &QTreeWidget::itemSelectionChanged, this, &DkimPanel::selectionChanged);

    m_name->setObjectName(QStringLiteral("dkimRecordName"));
    m_name->setReadOnly(true);
    m_value->setObjectName(QStringLiteral("dkimRecordValue"));
    m_value->setReadOnly(true);
    m_value->setMaximumHeight(90);
    m_value->setToolTip(tr("Publish this text as a TXT record. Some DNS providers want long values split into "
                           "parts of 255 characters; they join them again."));
    m_copyName->setObjectName(QStringLiteral("dkimCopyName"));
    m_copyValue->setObjectName(QStringLiteral("dkimCopyValue"));
    connect(m_copyName, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(recordName()); });
    connect(m_copyValue, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(recordValue()); });
    m_checkResult->setObjectName(QStringLiteral("dkimCheckResult"));
    m_checkResult->setWordWrap(true);
    m_checkResult->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *record = new QGroupBox(tr("DNS record to publish"), this);
    auto *grid = new QGridLayout(record);
    grid->addWidget(new QLabel(tr("Name (TXT):"), record), 0, 0);
    grid->addWidget(m_name, 0, 1);
    grid->addWidget(m_copyName, 0, 2);
    grid->addWidget(new QLabel(tr("Value:"), record), 1, 0, Qt::AlignTop);
    grid->addWidget(m_value, 1, 1);
    grid->addWidget(m_copyValue, 1, 2, Qt::AlignTop);
    grid->addWidget(m_checkResult, 2, 0, 1, 3);

    m_create->setObjectName(QStringLiteral("dkimCreate"));
    auto *menu = new QMenu(m_create);
    menu->addAction(tr("RSA 2048 (understood by every receiver)"), this, [this] { createKey(QStringLiteral("rsa")); });
    menu->addAction(
        tr("Ed25519 (short; use beside an RSA key)"), this, [this] { createKey(QStringLiteral("ed25519")); });
    m_create->setMenu(menu);
    m_check->setObjectName(QStringLiteral("dkimCheck"));
    m_check->setToolTip(tr("Ask DNS whether the record is published and matches the key."));
    connect(m_check, &QPushButton::clicked, this, &DkimPanel::checkSelected);
    m_activate->setObjectName(QStringLiteral("dkimActivate"));
    m_activate->setToolTip(tr("Sign the domain's outgoing mail with this key. The key it replaces is retired."));
    connect(m_activate, &QPushButton::clicked, this, &DkimPanel::activateSelected);
    m_delete->setObjectName(QStringLiteral("dkimDelete"));
    connect(m_delete, &QPushButton::clicked, this, &DkimPanel::deleteSelected);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_create);
    buttons->addWidget(m_check);
    buttons->addWidget(m_activate);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);

    m_notice->setObjectName(QStringLiteral("dkimNotice"));
    connect(m_notice, &widgets::Banner::actionTriggered, m_notice, &widgets::Banner::clear);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_notice);
    layout->addWidget(m_keys, 1);
    layout->addLayout(buttons);
    layout->addWidget(record);
    setDomain(QString());
}

void DkimPanel::setDomain(const QString &domain)
{
    m_domain = domain;
    m_notice->clear();
    m_title->setText(domain.isEmpty()
            ? tr("Choose a domain on the left to see its DKIM keys.")
            : tr("Receivers check the DKIM signature on mail from %1 against a key published in DNS. Create a key, "
                 "publish its record at your DNS provider, check it, then activate it.")
                  .arg(domain));
    m_create->setEnabled(!domain.isEmpty());
    reload();
}

void DkimPanel::reload()
{
    const QJsonObject keep = selectedKey();
    if (m_domain.isEmpty() || !m_client.isConnected()) {
        showKeys({}, {});
        return;
    }
    const QString domain = m_domain;
    QPointer<DkimPanel> self(this);
    m_client.call(QStringLiteral("dkim.list"), { { QStringLiteral("domain"), domain } },
        [self, domain, select = str(keep, "selector")](const adminclient::Reply &r) {
            if (!self || self->m_domain != domain)
                return;
            if (!r.ok) {
                self->showKeys({}, {});
                self->done(tr("The DKIM keys could not be loaded: %1").arg(r.errorMessage), true);
            } else {
                self->showKeys(r.object().value(QStringLiteral("items")).toArray(), select);
            }
            Q_EMIT self->loaded();
        });
}

void DkimPanel::showKeys(const QJsonArray &items, const QString &select)
{
    m_keys->clear();
    m_items.clear();
    QTreeWidgetItem *chosen = nullptr;
    for (const QJsonValue &v : items) {
        const QJsonObject k = v.toObject();
        if (str(k, "domain") != m_domain && !str(k, "domain").isEmpty())
            continue;
        m_items << k;
        auto *item = new QTreeWidgetItem(m_keys,
            { str(k, "selector"), algorithmText(str(k, "algorithm")), stateText(str(k, "state")),
                widgets::formatTime(str(k, "created")), widgets::formatTime(str(k, "activated")) });
        if (str(k, "selector") == select || (!chosen && str(k, "state") == u"pending"))
            chosen = item;
    }
    if (!chosen && m_keys->topLevelItemCount() > 0)
        chosen = m_keys->topLevelItem(0);
    if (chosen)
        m_keys->setCurrentItem(chosen);
    selectionChanged();
}

QJsonObject DkimPanel::selectedKey() const
{
    const QTreeWidgetItem *item = m_keys->currentItem();
    const int row = item ? m_keys->indexOfTopLevelItem(const_cast<QTreeWidgetItem *>(item)) : -1;
    return row >= 0 && row < m_items.size() ? m_items.at(row) : QJsonObject();
}

QString DkimPanel::recordName() const
{
    return m_name->text();
}

QString DkimPanel::recordValue() const
{
    return m_value->toPlainText();
}

void DkimPanel::selectionChanged()
{
    const QJsonObject k = selectedKey();
    const QString state = str(k, "state");
    m_name->setText(str(k, "recordName"));
    m_value->setPlainText(str(k, "record"));
    m_checkResult->clear();
    if (k.isEmpty())
        m_checkResult->setText(m_domain.isEmpty() || !m_items.isEmpty()
                ? QString()
                : tr("This domain has no DKIM key yet, so its mail goes out unsigned. Click \"Create key\"."));
    else if (state == u"retired")
        m_checkResult->setText(tr("This key no longer signs. Keep its record published for a few days, so that mail "
                                  "it signed still checks out, then delete both."));
    const bool any = !k.isEmpty();
    m_check->setEnabled(any && state != u"retired");
    m_activate->setEnabled(any && state == u"pending");
    m_delete->setEnabled(any);
    m_copyName->setEnabled(any);
    m_copyValue->setEnabled(any);
}

void DkimPanel::done(const QString &text, bool error)
{
    m_notice->show(error ? widgets::Banner::Kind::Error : widgets::Banner::Kind::Info, text, tr("Dismiss"));
}

} // namespace mailroom::console
