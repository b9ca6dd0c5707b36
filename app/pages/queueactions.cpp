// Queue: the actions on selected messages. Ids go to the engine in batches
// of 500, one batch at a time, with a progress bar when there are several;
// Delete and Return to sender say how many messages they affect and ask
// first. Trust level: local admin's input, sent to the local engine.
#include <QJsonArray>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "pages/queuepage.h"

namespace mailroom::console
{

namespace
{
constexpr qsizetype kBatch = 500;

QString messages(qsizetype n)
{
    return n == 1 ? QObject::tr("1 message") : QObject::tr("%1 messages").arg(QLocale().toString(n));
}
} // namespace

bool QueuePage::confirm(const QString &question, const QString &detail, const QString &button)
{
    QMessageBox box(QMessageBox::Warning, tr("Please confirm"), question, QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("queueConfirm"));
    box.setInformativeText(detail);
    box.addButton(button, QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    return box.exec() != QMessageBox::Cancel;
}

void QueuePage::retrySelected()
{
    runAction(QStringLiteral("queue.retry"), selectedIds(), tr("Retrying"), tr("will be tried again now"));
}

void QueuePage::holdSelected()
{
    runAction(QStringLiteral("queue.hold"), selectedIds(), tr("Holding"), tr("put on hold"));
}

void QueuePage::releaseSelected()
{
    runAction(QStringLiteral("queue.release"), selectedIds(), tr("Releasing"), tr("released"));
}

void QueuePage::bounceSelected()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty()
        || !confirm(tr("Return %1 to the sender?").arg(messages(ids.size())),
            tr("Mailroom stops trying to deliver them and sends each sender a report saying the message could not "
               "be delivered. This cannot be undone."),
            tr("Return to sender")))
        return;
    runAction(QStringLiteral("queue.bounce"), ids, tr("Returning"), tr("returned to the sender"));
}

void QueuePage::deleteSelected()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty()
        || !confirm(tr("Delete %1 from the queue?").arg(messages(ids.size())),
            tr("They are never delivered, and the senders are not told. This cannot be undone."), tr("Delete")))
        return;
    runAction(QStringLiteral("queue.delete"), ids, tr("Deleting"), tr("deleted"));
}

void QueuePage::runAction(const QString &method, const QStringList &ids, const QString &doing, const QString &done)
{
    if (ids.isEmpty() || m_action)
        return;
    if (!client().isConnected()) {
        Q_EMIT problem(tr("The console is not connected to the engine, so nothing was changed. Start the engine or "
                          "use File > Connect, then try again."));
        return;
    }
    m_action = Action { method, doing, done, ids };
    m_progress->setRange(0, int(ids.size()));
    m_progress->setValue(0);
    m_progress->setFormat(tr("%1 %2: %v of %m").arg(doing, messages(ids.size())));
    m_progress->setVisible(ids.size() > kBatch);
    m_notice->clear();
    updateButtons();
    sendBatch();
}

void QueuePage::sendBatch()
{
    const QStringList batch = m_action->ids.mid(m_action->sent, kBatch);
    client().call(m_action->method, { { QStringLiteral("queueIds"), QJsonArray::fromStringList(batch) } },
        [this, size = batch.size()](const adminclient::Reply &r) {
            if (!m_action)
                return;
            Action &a = *m_action;
            if (!r.ok) {
                const QString sofar
                    = a.sent > 0 ? tr(" %1 of %2 were done before that.").arg(a.sent).arg(a.ids.size()) : QString();
                Q_EMIT problem(
                    tr("%1 stopped: %2%3 Select the messages again and retry.").arg(a.doing, r.errorMessage, sofar));
            } else {
                a.sent += size;
                a.changed += r.object().value(QStringLiteral("changed")).toInt();
                a.missing += int(r.object().value(QStringLiteral("missing")).toArray().size());
                m_progress->setValue(int(a.sent));
                if (a.sent < a.ids.size())
                    return sendBatch();
                QString text = tr("%1 %2.").arg(messages(a.changed), a.done);
                if (a.missing > 0)
                    text += u' ' + tr("%1 had already left the queue (delivered or removed).").arg(messages(a.missing));
                else if (a.changed < a.ids.size())
                    text += u' ' + tr("The others were already in that state.");
                m_notice->show(widgets::Banner::Kind::Info, text, tr("Dismiss"));
            }
            m_action.reset();
            m_progress->hide();
            updateButtons();
            m_changeDelay.start();
            Q_EMIT actionFinished();
        });
}

} // namespace mailroom::console
