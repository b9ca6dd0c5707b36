// Spam: the Bayes filter's side of the console (DESIGN §6). How much it has
// learned (spam.status) with a warning while it has too little to be used;
// two large drop targets, Spam and Not spam, that train it with messages
// dragged from the console's message lists, .eml files from the desktop or
// messages from a mail program (or files chosen with a click); progress
// with Cancel for large drops and the result in words; and the "Why?" view
// (SpamCheck). Beside training, in tabs: the quarantine (QuarantineView),
// the allow and block lists (SpamListsView) and the score table
// (SpamScoresView). Trust level: the admin's files, sent to the local engine.
#pragma once

#include <QJsonObject>

#include "mail/messagedrop.h"
#include "pages/page.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace mailroom::widgets
{
class Banner;
class DropTarget;
} // namespace mailroom::widgets

namespace mailroom::console
{

class QuarantineView;
class SpamCheck;
class SpamListsView;
class SpamScoresView;
class SpamTraining;
struct TrainingResult;

class SpamPage : public Page
{
    Q_OBJECT
public:
    explicit SpamPage(adminclient::AdminClient &client, QWidget *parent = nullptr);
    QString title() const override
    {
        return tr("Spam");
    }
    void reload() override;
    void push(const QString &event, const QJsonObject &payload) override;

    // What the drop targets do: learn the drop as spam or as not spam.
    void train(bool spam, const widgets::MessageDrop &drop);
    // What clicking a drop target does: choose .eml files to learn.
    void chooseFilesToTrain(bool spam);
    void cancelTraining();
    bool isTraining() const
    {
        return m_training != nullptr;
    }

    widgets::DropTarget *spamTarget() const
    {
        return m_spam;
    }
    widgets::DropTarget *hamTarget() const
    {
        return m_ham;
    }
    SpamCheck *check() const
    {
        return m_check;
    }
    QTabWidget *tabs() const
    {
        return m_tabs;
    }
    QuarantineView *quarantine() const
    {
        return m_quarantine;
    }
    SpamListsView *lists() const
    {
        return m_lists;
    }
    SpamScoresView *scores() const
    {
        return m_scores;
    }

Q_SIGNALS:
    void trainingFinished();
    void statusShown(); // the counts were loaded again

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildTraining();
    void loadStatus(); // the counts
    void tabChanged(); // loads the tab that shows
    void quarantineCount(qint64 total);
    void showStatus(const QJsonObject &status);
    void showProgress(qsizetype done, qsizetype total);
    void trained(const TrainingResult &result);
    void setTraining(SpamTraining *training);

    QLabel *m_counts;
    widgets::Banner *m_notReady;
    widgets::DropTarget *m_spam = nullptr;
    widgets::DropTarget *m_ham = nullptr;
    QLabel *m_progressText = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QWidget *m_progressRow = nullptr;
    widgets::Banner *m_result = nullptr;
    SpamCheck *m_check;
    SpamTraining *m_training = nullptr;
    QTabWidget *m_tabs = nullptr;
    QuarantineView *m_quarantine = nullptr;
    SpamListsView *m_lists = nullptr;
    SpamScoresView *m_scores = nullptr;
    bool m_scoresLoaded = false;
    QString m_lastFolder;
};

} // namespace mailroom::console
