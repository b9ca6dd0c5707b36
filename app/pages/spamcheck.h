// SpamCheck: the Spam page's "Why?" view. A message chosen with "Check a
// message…" or dropped on the Check area (an .eml file, or a message from a
// mail program) is scored by the engine (spam.score) without being learned
// or delivered, and shown as a list: the verdict, the Bayes spam
// probability and the tags, each tag explained in its tooltip.
// Trust level: the admin's files, sent to the local engine.
#pragma once

#include <atomic>
#include <memory>

#include <QFutureWatcher>
#include <QJsonArray>
#include <QWidget>

#include "mail/messagedrop.h"
#include "mail/messagefiles.h"

class QLabel;
class QPushButton;
class QTreeWidget;

namespace mailroom::adminclient
{
class AdminClient;
}
namespace mailroom::widgets
{
class DropTarget;
}

namespace mailroom::console
{

class SpamCheck : public QWidget
{
    Q_OBJECT
public:
    explicit SpamCheck(adminclient::AdminClient &client, QWidget *parent = nullptr);
    ~SpamCheck() override;

    // Opens the file dialog ("Check a message…").
    void chooseFiles();
    void check(const widgets::MessageDrop &drop);

    QTreeWidget *results() const
    {
        return m_results;
    }
    widgets::DropTarget *dropTarget() const
    {
        return m_drop;
    }
    QString summary() const;

Q_SIGNALS:
    // The results, or why there are none, are on screen.
    void checked();

private:
    struct Messages {
        QJsonArray messages; // base64
        QStringList names; // shown in the list
        QList<widgets::FileProblem> problems;
        qsizetype notChecked = 0; // beyond the limit of one check
    };
    void filesRead();
    void score(const Messages &m);
    void showResults(const QJsonArray &items, const Messages &m, double elapsedMs);
    void showProblem(const QString &text);
    void setBusy(bool busy);

    adminclient::AdminClient &m_client;
    QPushButton *m_choose;
    widgets::DropTarget *m_drop;
    QLabel *m_summary;
    QTreeWidget *m_results;
    QFutureWatcher<Messages> m_reading;
    std::shared_ptr<std::atomic_bool> m_cancel;
    qint64 m_call = 0;
    QString m_lastFolder;
};

} // namespace mailroom::console
