// SpamTraining: one drop on Spam or Not spam, sent to the engine's
// spam.train in parts so that thousands of messages neither freeze the
// console nor overrun the admin socket's frame limit: stored messages 200
// UIDs at a time per user and mailbox, files 200 or 4 MiB of base64 at a
// time. Folders are opened and files read on a worker thread, the next part
// while the engine learns the one before. It can be cancelled between parts;
// the part the engine is learning is waited for, so the counts stay true.
// Trust level: the admin's files, sent to the local engine.
#pragma once

#include <atomic>
#include <memory>
#include <optional>

#include <QFutureWatcher>
#include <QJsonObject>
#include <QObject>

#include "mail/messagedrop.h"
#include "mail/messagefiles.h"

namespace mailroom::adminclient
{
class AdminClient;
}

namespace mailroom::console
{

struct TrainingResult {
    bool spam = true;
    qsizetype total = 0; // messages of the drop (files once folders are opened)
    qsizetype done = 0; // of those, sent and answered or left out
    qint64 learned = 0, moved = 0, unchanged = 0; // the engine's answers, added up
    QList<widgets::FileProblem> leftOut; // files that could not be used
    QString error; // the engine's sentence when a part failed
    bool cancelled = false;

    qint64 answered() const
    {
        return learned + moved + unchanged;
    }
};

// The result in words: "Learned 2 messages as spam: 2 new, 0 moved from not
// spam, 0 known already." with what stopped it and which files were left out.
QString describeTraining(const TrainingResult &result);

class SpamTraining : public QObject
{
    Q_OBJECT
public:
    SpamTraining(adminclient::AdminClient &client, bool spam, widgets::MessageDrop drop, QObject *parent = nullptr);
    ~SpamTraining() override;

    void start();
    // Stops after the part the engine is learning now; finished() follows.
    void cancel();
    bool isCancelling() const
    {
        return m_result.cancelled;
    }
    const TrainingResult &result() const
    {
        return m_result;
    }

Q_SIGNALS:
    // total is 0 while dropped folders are still being opened.
    void progress(qsizetype done, qsizetype total);
    void finished(const mailroom::console::TrainingResult &result);

private:
    void filesListed();
    void partRead();
    void readNextPart();
    void next();
    void send(QJsonObject params, qsizetype count);
    void finish();
    void leaveOut(const QList<widgets::FileProblem> &problems);

    adminclient::AdminClient &m_client;
    widgets::MessageDrop m_drop;
    TrainingResult m_result;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QStringList m_files; // after folders were opened
    qsizetype m_nextFile = 0; // the first file not read yet
    std::optional<widgets::MessageFilePart> m_ready; // read, waiting to be sent
    QFutureWatcher<widgets::MessageFileList> m_listing;
    QFutureWatcher<widgets::MessageFilePart> m_reading;
    bool m_listingBusy = false;
    bool m_readingBusy = false;
    qsizetype m_group = 0; // stored messages: the group and the UID to send next
    qsizetype m_uid = 0;
    bool m_inlineDone = false;
    qint64 m_call = 0; // the request the engine is answering, 0 when none
    bool m_finished = false;
};

} // namespace mailroom::console
