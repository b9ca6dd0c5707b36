// LogModel: log events, oldest at the top, newest at the bottom. Live lines
// are queued and inserted in one batch every quarter second (a busy engine
// can push thousands a second); the live tail keeps at most maxRows rows and
// drops the oldest in one batch. Older history is prepended page by page.
#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

namespace mailroom::widgets
{

class LogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Level, Module, Event, Text, ColumnCount };
    explicit LogModel(QObject *parent = nullptr);

    void setMaxRows(int rows)
    {
        m_maxRows = rows;
    }
    void clear();
    void setHistory(const QJsonArray &newestFirst); // replaces everything
    void prependOlder(const QJsonArray &newestFirst);
    void queueLive(const QJsonObject &line); // batched
    void setPaused(bool paused); // paused: lines wait in the queue
    bool isPaused() const
    {
        return m_paused;
    }
    int queued() const
    {
        return int(m_queue.size());
    }
    qint64 oldestId() const; // for paging back; 0 when unknown
    void flush();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    void rowsAppended(int count);

private:
    QList<QJsonObject> m_rows;
    QList<QJsonObject> m_queue;
    QTimer m_timer;
    int m_maxRows = 50000;
    bool m_paused = false;
};

} // namespace mailroom::widgets
