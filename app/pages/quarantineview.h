// Quarantine: the messages the spam filter held back (score at or above
// spam.quarantine_score), newest first. A paged list (fast at 100,000
// messages) with a search box, the selected message's preview (why it was
// held, its headers and text) and actions on the selection: Release,
// Release and learn as not spam, Delete, Delete and learn as spam. Deletes
// ask first; large selections go to the engine in parts with progress and
// Cancel. The list follows the engine's queue.changed pushes.
// Trust level: shows what the local engine sends (mail from the Internet).
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include "pages/batchcall.h"

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace mailroom::adminclient
{
class AdminClient;
}

namespace mailroom::widgets
{
class Banner;
class PagedListModel;
} // namespace mailroom::widgets

namespace mailroom::console
{

class QuarantinePreview;

class QuarantineView : public QWidget
{
    Q_OBJECT
public:
    explicit QuarantineView(adminclient::AdminClient &client, QWidget *parent = nullptr);

    void reload(); // the list from its first page, keeping the selection
    void queueChanged(); // a queue.changed push: reload soon

    widgets::PagedListModel *model() const
    {
        return m_model;
    }
    QTableView *view() const
    {
        return m_view;
    }
    QuarantinePreview *preview() const
    {
        return m_preview;
    }
    widgets::Banner *notice() const
    {
        return m_notice;
    }
    QStringList selectedIds() const;
    bool isBusy() const
    {
        return m_batch != nullptr;
    }

    // Actions on the selection (also the buttons). Deletes ask first.
    void releaseSelected(bool learnAsHam);
    void deleteSelected(bool learnAsSpam);
    void cancelAction();

Q_SIGNALS:
    void problem(const QString &text);
    void totalChanged(qint64 total);
    void actionFinished(); // an action ended (done, stopped or failed)

private:
    QWidget *buildList();
    void selectionChanged();
    void updateButtons();
    void updateCount();
    bool confirmDelete(qsizetype count, bool learn);
    void run(const QString &method, bool learn, const QStringList &ids);
    void showProgress(qsizetype done, qsizetype total);
    void actionDone(const BatchResult &result);

    adminclient::AdminClient &m_client;
    widgets::PagedListModel *m_model;
    QTableView *m_view = nullptr;
    QuarantinePreview *m_preview = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_count = nullptr;
    widgets::Banner *m_notice = nullptr;
    QWidget *m_progressRow = nullptr;
    QLabel *m_progressText = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QList<QPushButton *> m_actionButtons;
    QTimer m_filterDelay;
    QTimer m_changeDelay; // many pushes in a row cause one reload
    QStringList m_keepSelected; // restored after a reload
    QPointer<BatchCall> m_batch;
    QString m_batchMethod;
    bool m_batchLearn = false;
};

} // namespace mailroom::console
