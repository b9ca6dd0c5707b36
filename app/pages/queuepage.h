// Queue: the messages waiting for delivery, live. A paged list (fast at
// 100,000 messages) with a state and text filter, the selected message's
// recipients and history, and actions on the selection: Retry, Hold,
// Release, Return to sender, Delete. Large selections are sent in batches
// with a progress bar. The list follows the engine's queue.changed pushes.
// Trust level: shows what the local engine sends.
#pragma once

#include <optional>

#include <QJsonObject>
#include <QSet>
#include <QTimer>

#include "pages/page.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace mailroom::widgets
{
class Banner;
class PagedListModel;
} // namespace mailroom::widgets

namespace mailroom::console
{

class QueueDetails;

class QueuePage : public Page
{
    Q_OBJECT
public:
    explicit QueuePage(adminclient::AdminClient &client, QWidget *parent = nullptr);
    QString title() const override
    {
        return tr("Queue");
    }
    void reload() override;
    void push(const QString &event, const QJsonObject &payload) override;

    widgets::PagedListModel *model() const
    {
        return m_model;
    }
    QTableView *view() const
    {
        return m_view;
    }
    QueueDetails *details() const
    {
        return m_details;
    }
    QStringList selectedIds() const;

    // Actions on the selection (also the buttons). Delete and Bounce ask first.
    void retrySelected();
    void holdSelected();
    void releaseSelected();
    void bounceSelected();
    void deleteSelected();

Q_SIGNALS:
    void actionFinished(); // a batch action ended (done, stopped or failed)

private:
    QWidget *buildList();
    void reloadList();
    void selectionChanged();
    void updateButtons();
    void updateCount();
    bool confirm(const QString &question, const QString &detail, const QString &button);
    // Sends ids to method in batches, with progress; done names the result.
    void runAction(const QString &method, const QStringList &ids, const QString &doing, const QString &done);
    void sendBatch();

    widgets::PagedListModel *m_model;
    QTableView *m_view = nullptr;
    QueueDetails *m_details = nullptr;
    QComboBox *m_state = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_count = nullptr;
    widgets::Banner *m_notice = nullptr;
    QProgressBar *m_progress = nullptr;
    QList<QPushButton *> m_actionButtons;
    QTimer m_filterDelay;
    QTimer m_changeDelay; // many pushes in a row cause one reload
    QSet<QString> m_keepSelected; // restored after a reload

    struct Action {
        QString method, doing, done;
        QStringList ids;
        qsizetype sent = 0;
        int changed = 0;
        int missing = 0;
    };
    std::optional<Action> m_action;
};

} // namespace mailroom::console
