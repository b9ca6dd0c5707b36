// Quarantine: the actions on selected messages. Ids go to the engine 1,000
// at a time (it takes up to 10,000; smaller parts keep the progress moving
// and Cancel quick), with a progress bar and Cancel when there are several
// parts. Deletes say how many messages they affect and ask first.
// Trust level: local admin's input, sent to the local engine.
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "pages/quarantineview.h"

namespace mailroom::console
{

namespace
{
constexpr qsizetype kPart = 1000;

QString messages(qint64 n)
{
    return n == 1 ? QuarantineView::tr("1 message") : QuarantineView::tr("%1 messages").arg(QLocale().toString(n));
}
} // namespace

bool QuarantineView::confirmDelete(qsizetype count, bool learn)
{
    QMessageBox box(QMessageBox::Warning, tr("Please confirm"),
        learn ? (count == 1 ? tr("Learn 1 message as spam and delete it?")
                            : tr("Learn %1 as spam and delete them?").arg(messages(count)))
              : tr("Delete %1 from the quarantine?").arg(messages(count)),
        QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("quarantineConfirm"));
    box.setInformativeText(tr("They are never delivered, and neither the senders nor the recipients are told. This "
                              "cannot be undone."));
    box.addButton(learn ? tr("Learn and delete") : tr("Delete"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    return box.exec() != QMessageBox::Cancel;
}

void QuarantineView::releaseSelected(bool learnAsHam)
{
    run(QStringLiteral("spam.quarantine.release"), learnAsHam, selectedIds());
}

void QuarantineView::deleteSelected(bool learnAsSpam)
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty() || m_batch || !confirmDelete(ids.size(), learnAsSpam))
        return;
    run(QStringLiteral("spam.quarantine.delete"), learnAsSpam, ids);
}

void QuarantineView::cancelAction()
{
    if (!m_batch)
        return;
    m_cancel->setEnabled(false);
    m_progressText->setText(tr("Stopping after the part the engine is working on now…"));
    m_batch->cancel();
}

void QuarantineView::run(const QString &method, bool learn, const QStringList &ids)
{
    if (ids.isEmpty() || m_batch)
        return;
    if (!m_client.isConnected()) {
        m_notice->show(widgets::Banner::Kind::Error,
            tr("The console is not connected to the engine, so nothing was changed. Start the engine or use File > "
               "Connect, then try again."),
            tr("Dismiss"));
        return;
    }
    QJsonObject params;
    if (learn)
        params.insert(QStringLiteral("train"), true);
    m_batch = new BatchCall(m_client, method, QStringLiteral("queueIds"), ids, params, kPart, this);
    m_batchMethod = method;
    m_batchLearn = learn;
    connect(m_batch, &BatchCall::progress, this, &QuarantineView::showProgress);
    connect(m_batch, &BatchCall::finished, this, &QuarantineView::actionDone);
    m_notice->clear();
    m_cancel->setEnabled(true);
    m_progressRow->setVisible(ids.size() > kPart);
    updateButtons();
    m_batch->start();
}

void QuarantineView::showProgress(qsizetype done, qsizetype total)
{
    if (!m_batch || m_batch->isCancelling())
        return;
    const bool release = m_batchMethod.endsWith(QLatin1String(".release"));
    m_progressText->setText(release
            ? tr("Releasing %1 of %2 messages…").arg(QLocale().toString(done), QLocale().toString(total))
            : tr("Deleting %1 of %2 messages…").arg(QLocale().toString(done), QLocale().toString(total)));
    m_progress->setRange(0, int(total));
    m_progress->setValue(int(done));
}

void QuarantineView::actionDone(const BatchResult &r)
{
    const bool release = m_batchMethod.endsWith(QLatin1String(".release"));
    const qint64 changed = r.count(release ? QStringLiteral("released") : QStringLiteral("deleted"));
    const qint64 trained = r.count(QStringLiteral("trained"));
    QStringList parts;
    if (!r.error.isEmpty()) {
        parts << (release ? tr("Releasing stopped: %1").arg(r.error) : tr("Deleting stopped: %1").arg(r.error));
        if (r.done > 0)
            parts << tr("Before that, %1 of %2 were done.").arg(QLocale().toString(r.done), messages(r.total));
        parts << tr("Select the messages again and retry.");
    } else if (r.cancelled) {
        parts << tr("Stopped as you asked, after %1 of %2.").arg(QLocale().toString(r.done), messages(r.total));
    }
    if (r.error.isEmpty() || changed > 0) {
        parts << (release ? tr("%1 released to their recipients.").arg(messages(changed))
                          : tr("%1 deleted.").arg(messages(changed)));
        if (m_batchLearn)
            parts << (release ? tr("%1 learned as not spam.").arg(messages(trained))
                              : tr("%1 learned as spam.").arg(messages(trained)));
    }
    if (!r.missing.isEmpty())
        parts
            << tr("%1 had already left the quarantine (released, deleted or expired).").arg(messages(r.missing.size()));
    const widgets::Banner::Kind kind = !r.error.isEmpty() ? widgets::Banner::Kind::Error
        : r.cancelled                                     ? widgets::Banner::Kind::Warning
                                                          : widgets::Banner::Kind::Info;
    m_notice->show(kind, parts.join(u' '), tr("Dismiss"));
    m_batch->deleteLater(); // it is emitting right now
    m_batch = nullptr;
    m_progressRow->hide();
    updateButtons();
    reload();
    Q_EMIT actionFinished();
}

} // namespace mailroom::console
