// SpamListDialog: pattern rules follow spam.lists.add (schema.json); users
// are searched on the engine, so a directory of 100,000 users never loads.
// Trust level: local admin's input; the engine checks it again.
#include "dialogs/spamlistdialog.h"

#include <QComboBox>
#include <QCompleter>
#include <QFormLayout>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QRegularExpression>
#include <QStringListModel>
#include <QUrl>

#include "adminclient/adminclient.h"

namespace mailroom::widgets
{

namespace
{
bool isDomain(const QString &name)
{
    const QByteArray ace = QUrl::toAce(name);
    if (ace.isEmpty() || ace.size() > 253 || !ace.contains('.'))
        return false;
    static const QRegularExpression label(QStringLiteral("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"));
    for (const QByteArray &l : ace.split('.'))
        if (!label.match(QString::fromLatin1(l)).hasMatch())
            return false;
    // The last label is a name, never a number: 192.0.2 is no domain.
    return !QString::fromLatin1(ace.mid(ace.lastIndexOf('.') + 1))
                .contains(QRegularExpression(QStringLiteral("^[0-9]+$")));
}

bool isIpAddress(const QString &text)
{
    QHostAddress a;
    if (!a.setAddress(text))
        return false;
    // QHostAddress takes inet_aton shorthands like 10.1; a list wants all four parts.
    return text.contains(u':') || text.count(u'.') == 3;
}
} // namespace

ListPattern classifyListPattern(const QString &input)
{
    const QString p = input.trimmed();
    if (p.isEmpty() || p.contains(QRegularExpression(QStringLiteral("\\s"))))
        return ListPattern::Invalid;
    if (const qsizetype slash = p.indexOf(u'/'); slash >= 0) {
        bool ok = false;
        const int prefix = p.mid(slash + 1).toInt(&ok);
        const QString address = p.left(slash);
        if (!ok || !isIpAddress(address))
            return ListPattern::Invalid;
        const int bits = address.contains(u':') ? 128 : 32;
        return prefix >= 0 && prefix <= bits ? ListPattern::Network : ListPattern::Invalid;
    }
    if (isIpAddress(p))
        return ListPattern::IpAddress;
    if (const qsizetype at = p.lastIndexOf(u'@'); at >= 0) {
        const QString local = p.left(at);
        if (local.isEmpty() || local.contains(u'@') || local.size() > 64)
            return ListPattern::Invalid;
        return isDomain(p.mid(at + 1)) ? ListPattern::Address : ListPattern::Invalid;
    }
    return isDomain(p) ? ListPattern::Domain : ListPattern::Invalid;
}

SpamListDialog::SpamListDialog(adminclient::AdminClient &client, QWidget *parent)
    : EditDialog(parent)
    , m_client(client)
    , m_kind(new QComboBox(this))
    , m_scopeKind(new QComboBox(this))
    , m_domain(new QComboBox(this))
    , m_user(new QLineEdit(this))
    , m_userMatches(new QStringListModel(this))
    , m_pattern(new QLineEdit(this))
    , m_patternHint(new QLabel(this))
    , m_note(new QLineEdit(this))
{
    setObjectName(QStringLiteral("spamListDialog"));
    setWindowTitle(tr("Add allow or block entry"));
    m_kind->setObjectName(QStringLiteral("listKind"));
    m_kind->addItem(tr("Block: always treat as spam"), QStringLiteral("block"));
    m_kind->addItem(tr("Allow: never treat as spam"), QStringLiteral("allow"));
    m_scopeKind->setObjectName(QStringLiteral("listScope"));
    m_scopeKind->addItem(tr("Everyone on this server"), QStringLiteral("global"));
    m_scopeKind->addItem(tr("One local domain"), QStringLiteral("domain"));
    m_scopeKind->addItem(tr("One local user"), QStringLiteral("user"));
    connect(m_scopeKind, &QComboBox::currentIndexChanged, this, &SpamListDialog::scopeKindChanged);
    m_domain->setObjectName(QStringLiteral("listDomain"));
    m_user->setObjectName(QStringLiteral("listUser"));
    m_user->setPlaceholderText(tr("Type to search, e.g. ann@example.com"));
    auto *completer = new QCompleter(m_userMatches, this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_user->setCompleter(completer);
    m_userDelay.setSingleShot(true);
    m_userDelay.setInterval(250);
    connect(&m_userDelay, &QTimer::timeout, this, &SpamListDialog::searchUsers);
    connect(m_user, &QLineEdit::textEdited, this, [this] { m_userDelay.start(); });
    m_pattern->setObjectName(QStringLiteral("listPattern"));
    m_pattern->setPlaceholderText(tr("user@example.com, example.com, 192.0.2.7 or 192.0.2.0/24"));
    connect(m_pattern, &QLineEdit::textChanged, this, &SpamListDialog::patternChanged);
    m_patternHint->setObjectName(QStringLiteral("listPatternHint"));
    m_patternHint->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("listNote"));
    m_note->setPlaceholderText(tr("Optional: why, who asked, a ticket number"));
    auto *auth = new QLabel(tr("An allow entry for an address or domain counts only when SPF or DKIM confirms that "
                               "the mail really comes from that domain."),
        this);
    auth->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Entry:"), m_kind);
    form->addRow(tr("&Pattern:"), m_pattern);
    form->addRow(QString(), m_patternHint);
    form->addRow(tr("&Applies to:"), m_scopeKind);
    form->addRow(tr("&Domain:"), m_domain);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("&Note:"), m_note);
    form->addRow(QString(), auth);
    setBody(form);
    setMinimumWidth(520);
    scopeKindChanged();
    patternChanged();
    loadDomains();
}

void SpamListDialog::loadDomains()
{
    QPointer<SpamListDialog> self(this);
    m_client.call(
        QStringLiteral("domains.list"), { { QStringLiteral("limit"), 10000 } }, [self](const adminclient::Reply &r) {
            if (!self)
                return;
            if (!r.ok) {
                self->setError(tr("The local domains could not be loaded: %1").arg(r.errorMessage));
                return;
            }
            for (const QJsonValue &v : r.object().value(QStringLiteral("items")).toArray())
                self->m_domain->addItem(v.toObject().value(QStringLiteral("name")).toString());
            Q_EMIT self->domainsLoaded();
        });
}

void SpamListDialog::searchUsers()
{
    QPointer<SpamListDialog> self(this);
    const QString text = m_user->text().trimmed();
    m_client.call(QStringLiteral("users.list"), { { QStringLiteral("filter"), text }, { QStringLiteral("limit"), 50 } },
        [self, text](const adminclient::Reply &r) {
            if (!self || !r.ok || self->m_user->text().trimmed() != text)
                return;
            QStringList addresses;
            for (const QJsonValue &v : r.object().value(QStringLiteral("items")).toArray())
                addresses << v.toObject().value(QStringLiteral("address")).toString();
            self->m_userMatches->setStringList(addresses);
            if (self->m_user->hasFocus() && !addresses.isEmpty())
                self->m_user->completer()->complete();
        });
}

void SpamListDialog::scopeKindChanged()
{
    const QString kind = m_scopeKind->currentData().toString();
    m_domain->setEnabled(kind == u"domain");
    m_user->setEnabled(kind == u"user");
}

void SpamListDialog::patternChanged()
{
    m_patternHint->setText(patternHint());
}

QString SpamListDialog::patternHint() const
{
    switch (classifyListPattern(m_pattern->text())) {
    case ListPattern::Address:
        return tr("An address: mail from exactly this sender.");
    case ListPattern::Domain:
        return tr("A domain: mail from senders at this domain and its subdomains.");
    case ListPattern::IpAddress:
        return tr("An IP address: mail from a server at this address.");
    case ListPattern::Network:
        return tr("A network: mail from servers in this address range.");
    case ListPattern::Invalid:
        break;
    }
    return m_pattern->text().trimmed().isEmpty() ? tr("An address, a domain, an IP address or a network.")
                                                 : tr("This is not an address, domain, IP address or network.");
}

QString SpamListDialog::scope() const
{
    const QString kind = m_scopeKind->currentData().toString();
    if (kind == u"domain")
        return QStringLiteral("domain:") + m_domain->currentText();
    if (kind == u"user")
        return QStringLiteral("user:") + m_user->text().trimmed();
    return QStringLiteral("global");
}

QJsonObject SpamListDialog::addParams() const
{
    QJsonObject p { { QStringLiteral("scope"), scope() }, { QStringLiteral("kind"), m_kind->currentData().toString() },
        { QStringLiteral("pattern"), m_pattern->text().trimmed() } };
    if (!m_note->text().trimmed().isEmpty())
        p.insert(QStringLiteral("note"), m_note->text().trimmed());
    return p;
}

QString SpamListDialog::check() const
{
    if (classifyListPattern(m_pattern->text()) == ListPattern::Invalid)
        return m_pattern->text().trimmed().isEmpty()
            ? tr("Enter what to match: an address (user@example.com), a domain (example.com), an IP address "
                 "(192.0.2.7) or a network (192.0.2.0/24).")
            : tr("\"%1\" is not an address, domain, IP address or network. Check for typing mistakes; a network "
                 "is written as an address, a slash and the prefix length, like 192.0.2.0/24.")
                  .arg(m_pattern->text().trimmed());
    const QString kind = m_scopeKind->currentData().toString();
    if (kind == u"domain" && m_domain->currentText().isEmpty())
        return tr("Choose the local domain the entry is for, or let it apply to everyone. Add domains on the Domains "
                  "& Users page.");
    if (kind == u"user" && classifyListPattern(m_user->text()) != ListPattern::Address)
        return tr("Enter the address of the local user the entry is for, e.g. ann@example.com.");
    return {};
}

} // namespace mailroom::widgets
