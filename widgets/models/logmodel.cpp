#include "models/logmodel.h"

#include <QBrush>
#include <QColor>

#include "common/format.h"

namespace mailroom::widgets
{

LogModel::LogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_timer.setInterval(250);
    connect(&m_timer, &QTimer::timeout, this, &LogModel::flush);
    m_timer.start();
}

void LogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_queue.clear();
    endResetModel();
}

void LogModel::setHistory(const QJsonArray &newestFirst)
{
    beginResetModel();
    m_rows.clear();
    for (qsizetype i = newestFirst.size() - 1; i >= 0; --i)
        m_rows.append(newestFirst.at(i).toObject());
    endResetModel();
}

void LogModel::prependOlder(const QJsonArray &newestFirst)
{
    if (newestFirst.isEmpty())
        return;
    beginInsertRows({}, 0, int(newestFirst.size()) - 1);
    QList<QJsonObject> older;
    older.reserve(newestFirst.size());
    for (qsizetype i = newestFirst.size() - 1; i >= 0; --i)
        older.append(newestFirst.at(i).toObject());
    m_rows = older + m_rows;
    endInsertRows();
}

void LogModel::queueLive(const QJsonObject &line)
{
    // A paused view still must not grow without bound.
    if (m_queue.size() >= m_maxRows)
        m_queue.removeFirst();
    m_queue.append(line);
}

void LogModel::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused)
        flush();
}

void LogModel::flush()
{
    if (m_paused || m_queue.isEmpty())
        return;
    const QList<QJsonObject> batch = std::exchange(m_queue, {});
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(batch.size()) - 1);
    m_rows += batch;
    endInsertRows();
    const int excess = int(m_rows.size()) - m_maxRows;
    if (excess > 0) {
        beginRemoveRows({}, 0, excess - 1);
        m_rows.remove(0, excess);
        endRemoveRows();
    }
    Q_EMIT rowsAppended(int(batch.size()));
}

qint64 LogModel::oldestId() const
{
    for (const QJsonObject &r : m_rows)
        if (const qint64 id = r.value(QStringLiteral("id")).toInteger(); id > 0)
            return id;
    return 0;
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QJsonObject &r = m_rows.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Time:
            return formatTime(r.value(QStringLiteral("time")).toString());
        case Level:
            return r.value(QStringLiteral("level")).toString();
        case Module:
            return r.value(QStringLiteral("module")).toString();
        case Event:
            return r.value(QStringLiteral("event")).toString();
        case Text:
            return r.value(QStringLiteral("text")).toString();
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Level) {
        const QString level = r.value(QStringLiteral("level")).toString();
        if (level == u"error")
            return QBrush(QColor(0xa5, 0x0e, 0x0e));
        if (level == u"warning")
            return QBrush(QColor(0x9a, 0x60, 0x00));
        if (level == u"debug")
            return QBrush(QColor(0x70, 0x70, 0x70));
    }
    return {};
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Level:
        return tr("Level");
    case Module:
        return tr("Module");
    case Event:
        return tr("Event");
    case Text:
        return tr("Message");
    }
    return {};
}

} // namespace mailroom::widgets
