// DKIM keys of one domain (RFC 6376): the keys with their state (waiting to
// be published, signing, retired), the DNS TXT record of the selected key
// to publish (name and value, selectable, with Copy buttons), and actions:
// Create key (RSA 2048 or Ed25519), Check DNS, Activate (when DNS does not
// show the record yet, says what it found and offers "Activate anyway") and
// Delete (asks first). Trust level: local admin's input, sent to the local
// engine; shows what the engine found in DNS.
#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace mailroom::adminclient
{
class AdminClient;
}

namespace mailroom::widgets
{
class Banner;
}

namespace mailroom::console
{

class DkimPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DkimPanel(adminclient::AdminClient &client, QWidget *parent = nullptr);

    void setDomain(const QString &domain);
    QString domain() const
    {
        return m_domain;
    }
    void reload();

    // Actions on the domain or the selected key (also the buttons).
    void createKey(const QString &algorithm); // rsa or ed25519
    void checkSelected();
    void activateSelected();
    void deleteSelected(); // asks first

    QTreeWidget *keys() const
    {
        return m_keys;
    }
    QJsonObject selectedKey() const;
    QString recordName() const;
    QString recordValue() const;
    widgets::Banner *notice() const
    {
        return m_notice;
    }

Q_SIGNALS:
    void loaded(); // the key list was loaded
    void actionFinished(); // create, check, activate or delete answered

private:
    void showKeys(const QJsonArray &items, const QString &select);
    void selectionChanged();
    void activate(const QString &selector, bool force);
    void offerForce(const QString &selector, const QString &refusal);
    void askForce(const QString &selector, const QString &why);
    void done(const QString &text, bool error);

    adminclient::AdminClient &m_client;
    QString m_domain;
    QLabel *m_title;
    QTreeWidget *m_keys;
    QLineEdit *m_name;
    QPlainTextEdit *m_value;
    QLabel *m_checkResult;
    QPushButton *m_create;
    QPushButton *m_check;
    QPushButton *m_activate;
    QPushButton *m_delete;
    QPushButton *m_copyName;
    QPushButton *m_copyValue;
    widgets::Banner *m_notice;
    QList<QJsonObject> m_items;
};

} // namespace mailroom::console
