// QueueDetails: one queued message for the Queue page: sender, subject,
// size, times, each recipient with its state and the remote server's last
// answer, and the message's history. Trust level: shows what the local
// engine sends.
#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace mailroom::console
{

class QueueDetails : public QWidget
{
    Q_OBJECT
public:
    explicit QueueDetails(QWidget *parent = nullptr);
    // A message from queue.show; an empty object with a sentence instead.
    void showMessage(const QJsonObject &message);
    void showText(const QString &text);
    QString queueId() const
    {
        return m_queueId;
    }
    QTableWidget *recipients() const
    {
        return m_recipients;
    }

private:
    QLabel *m_summary;
    QTableWidget *m_recipients;
    QTableWidget *m_history;
    QString m_queueId;
};

// Plain words for a queue state ("deferred" -> "Waiting to retry").
QString queueStateText(const QString &state);

} // namespace mailroom::console
