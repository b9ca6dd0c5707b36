// DKIM keys: create, check, activate and delete. Activation is refused by
// the engine while DNS does not publish the matching record; the panel then
// asks DNS what it has, says so, and offers to activate anyway (for DNS
// that is known to be right but not visible from the engine's resolver).
// Trust level: local admin's input, sent to the local engine.
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "pages/dkimpanel.h"

namespace mailroom::console
{

namespace
{
QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

// A dkim.check result in words, with what to do.
QString checkText(const QJsonObject &c)
{
    const QString name = str(c, "recordName");
    QStringList found;
    for (const QJsonValue &v : c.value(QStringLiteral("found")).toArray())
        found << v.toString();
    if (c.value(QStringLiteral("matches")).toBool())
        return DkimPanel::tr("DNS publishes this key's record at %1. The key is ready to sign.").arg(name);
    if (c.value(QStringLiteral("published")).toBool())
        return DkimPanel::tr("DNS has a DKIM record at %1, but for another key: \"%2\". Replace it with the value "
                             "above at your DNS provider, wait for DNS to update, and check again.")
            .arg(name, found.join(QStringLiteral("\", \"")));
    if (!found.isEmpty())
        return DkimPanel::tr("DNS has TXT records at %1, but none is a DKIM key: \"%2\". Add the value above as "
                             "a TXT record there, wait for DNS to update, and check again.")
            .arg(name, found.join(QStringLiteral("\", \"")));
    return DkimPanel::tr("DNS has no TXT record at %1 yet. Publish the record above at your DNS provider; it can "
                         "take up to an hour to show. Then check again.")
        .arg(name);
}
} // namespace

void DkimPanel::createKey(const QString &algorithm)
{
    if (m_domain.isEmpty())
        return;
    const QString domain = m_domain;
    QPointer<DkimPanel> self(this);
    m_create->setEnabled(false);
    m_client.call(QStringLiteral("dkim.create"),
        { { QStringLiteral("domain"), domain }, { QStringLiteral("algorithm"), algorithm } },
        [self, domain](const adminclient::Reply &r) {
            if (!self)
                return;
            self->m_create->setEnabled(!self->m_domain.isEmpty());
            if (!r.ok) {
                self->done(tr("No key was created: %1").arg(r.errorMessage), true);
            } else if (self->m_domain == domain) {
                self->done(tr("Created the key %1. Publish the record below at your DNS provider, then click "
                              "\"Check DNS\" and \"Activate\".")
                               .arg(str(r.object(), "selector")),
                    false);
                // Show the new key selected, with its record.
                QJsonArray items;
                for (const QJsonObject &k : std::as_const(self->m_items))
                    items << k;
                items.prepend(r.object());
                self->showKeys(items, str(r.object(), "selector"));
                self->reload();
            }
            Q_EMIT self->actionFinished();
        });
}

void DkimPanel::checkSelected()
{
    const QJsonObject k = selectedKey();
    if (k.isEmpty())
        return;
    const QString selector = str(k, "selector");
    QPointer<DkimPanel> self(this);
    m_checkResult->setText(tr("Asking DNS…"));
    m_client.call(QStringLiteral("dkim.check"),
        { { QStringLiteral("domain"), m_domain }, { QStringLiteral("selector"), selector } },
        [self, selector](const adminclient::Reply &r) {
            if (!self)
                return;
            if (str(self->selectedKey(), "selector") == selector)
                self->m_checkResult->setText(
                    r.ok ? checkText(r.object()) : tr("DNS could not be checked: %1").arg(r.errorMessage));
            Q_EMIT self->actionFinished();
        });
}

void DkimPanel::activateSelected()
{
    const QJsonObject k = selectedKey();
    if (!k.isEmpty())
        activate(str(k, "selector"), false);
}

void DkimPanel::activate(const QString &selector, bool force)
{
    QJsonObject params { { QStringLiteral("domain"), m_domain }, { QStringLiteral("selector"), selector } };
    if (force)
        params.insert(QStringLiteral("force"), true);
    QPointer<DkimPanel> self(this);
    m_activate->setEnabled(false);
    m_client.call(QStringLiteral("dkim.activate"), params, [self, selector, force](const adminclient::Reply &r) {
        if (!self)
            return;
        if (!r.ok) {
            self->selectionChanged();
            // Refused because DNS does not show the record, or could not be
            // asked: say what DNS has and let the admin decide.
            const bool dnsProblem = r.errorCode == u"conflict" || r.errorCode == u"unavailable";
            if (!force && dnsProblem && self->m_client.isConnected())
                return self->offerForce(selector, r.errorMessage);
            self->done(tr("The key was not activated: %1").arg(r.errorMessage), true);
            Q_EMIT self->actionFinished();
            return;
        }
        const QString retired = str(r.object(), "retiredSelector");
        self->done(retired.isEmpty()
                ? tr("The key %1 now signs mail from %2.").arg(selector, self->m_domain)
                : tr("The key %1 now signs mail from %2; the key %3 is retired. Keep its record published for a "
                     "few days.")
                      .arg(selector, self->m_domain, retired),
            false);
        self->reload();
        Q_EMIT self->actionFinished();
    });
}

void DkimPanel::offerForce(const QString &selector, const QString &refusal)
{
    QPointer<DkimPanel> self(this);
    m_client.call(QStringLiteral("dkim.check"),
        { { QStringLiteral("domain"), m_domain }, { QStringLiteral("selector"), selector } },
        [self, selector, refusal](const adminclient::Reply &r) {
            if (!self)
                return;
            const QString why = r.ok            ? checkText(r.object())
                : r.errorCode == u"unavailable" ? tr("DNS could not be checked: %1").arg(r.errorMessage)
                                                : refusal;
            self->m_checkResult->setText(why);
            // Ask from the event loop, not from inside the client's reply.
            QMetaObject::invokeMethod(
                self, [self, selector, why] { self->askForce(selector, why); }, Qt::QueuedConnection);
        });
}

void DkimPanel::askForce(const QString &selector, const QString &why)
{
    QMessageBox box(QMessageBox::Warning, tr("DNS does not show the key yet"),
        tr("The key %1 was not activated: DNS does not publish its record yet.").arg(selector), QMessageBox::Cancel,
        this);
    box.setObjectName(QStringLiteral("dkimForceConfirm"));
    box.setInformativeText(why + u'\n' + u'\n'
        + tr("If you activate it anyway, receivers cannot check the signatures until the record is published, and "
             "may treat mail from %1 as suspicious.")
              .arg(m_domain));
    QPushButton *force = box.addButton(tr("Activate anyway"), QMessageBox::DestructiveRole);
    force->setObjectName(QStringLiteral("dkimActivateAnyway"));
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == force)
        return activate(selector, true);
    done(tr("The key %1 was not activated. Publish its record, then click \"Activate\" again.").arg(selector), true);
    Q_EMIT actionFinished();
}

void DkimPanel::deleteSelected()
{
    const QJsonObject k = selectedKey();
    if (k.isEmpty())
        return;
    const QString selector = str(k, "selector");
    const bool active = str(k, "state") == u"active";
    QMessageBox box(QMessageBox::Warning, tr("Please confirm"), tr("Delete the DKIM key %1?").arg(selector),
        QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("dkimDeleteConfirm"));
    box.setInformativeText(active
            ? tr("This key signs the mail of %1 now. Without it, mail goes out unsigned until another key is "
                 "activated, and receivers may treat it as suspicious. This cannot be undone.")
                  .arg(m_domain)
            : tr("Its private key is deleted. Remove its record from DNS afterwards. This cannot be undone."));
    box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    if (box.exec() == QMessageBox::Cancel)
        return;
    QJsonObject params { { QStringLiteral("domain"), m_domain }, { QStringLiteral("selector"), selector } };
    if (active)
        params.insert(QStringLiteral("force"), true); // the admin was told above
    QPointer<DkimPanel> self(this);
    m_client.call(QStringLiteral("dkim.delete"), params, [self, selector](const adminclient::Reply &r) {
        if (!self)
            return;
        if (!r.ok)
            self->done(tr("The key was not deleted: %1").arg(r.errorMessage), true);
        else
            self->done(tr("Deleted the key %1. Remove its TXT record from DNS too.").arg(selector), false);
        self->reload();
        Q_EMIT self->actionFinished();
    });
}

} // namespace mailroom::console
