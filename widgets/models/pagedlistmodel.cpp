#include "models/pagedlistmodel.h"

#include <QPointer>

namespace mailroom::widgets
{

PagedListModel::PagedListModel(QList<Column> columns, QObject *parent)
    : QAbstractTableModel(parent)
    , m_columns(std::move(columns))
{
}

void PagedListModel::setFetcher(Fetcher fetcher)
{
    m_fetcher = std::move(fetcher);
}

void PagedListModel::reload()
{
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_total = -1;
    m_loading = false;
    endResetModel();
    fetchMore({});
}

QJsonObject PagedListModel::rowObject(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : QJsonObject();
}

int PagedListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PagedListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant PagedListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QJsonObject &row = m_rows.at(index.row());
    const Column &col = m_columns.at(index.column());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        if (col.text)
            return col.text(row);
        const QJsonValue v = row.value(col.key);
        if (v.isBool())
            return v.toBool() ? tr("yes") : tr("no");
        if (v.isArray()) {
            QStringList parts;
            for (const QJsonValue &e : v.toArray())
                parts << e.toString();
            return parts.join(QStringLiteral(", "));
        }
        return v.toVariant();
    }
    if (role == Qt::UserRole)
        return row.value(col.key).toVariant();
    return {};
}

QVariant PagedListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section < m_columns.size())
        return m_columns.at(section).header;
    return QAbstractTableModel::headerData(section, orientation, role);
}

bool PagedListModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_fetcher || m_loading)
        return false;
    return m_total < 0 || m_rows.size() < m_total;
}

void PagedListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_loading = true;
    const quint64 generation = m_generation;
    QPointer<PagedListModel> self(this);
    m_fetcher(
        m_rows.size(), m_pageSize,
        [self, generation](QJsonArray items, qint64 total) {
            if (self)
                self->appendPage(items, total, generation);
        },
        [self, generation](QString message) {
            if (!self || generation != self->m_generation)
                return;
            self->m_loading = false;
            Q_EMIT self->loadFailed(message);
        });
}

void PagedListModel::appendPage(const QJsonArray &items, qint64 total, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_loading = false;
    if (total != m_total) {
        m_total = total;
        Q_EMIT totalChanged(total);
    }
    if (items.isEmpty()) {
        m_total = m_rows.size(); // the list shrank meanwhile; stop asking
        return;
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(items.size()) - 1);
    m_rows.reserve(m_rows.size() + items.size());
    for (const QJsonValue &v : items)
        m_rows.append(v.toObject());
    endInsertRows();
    Q_EMIT pageLoaded(int(items.size()));
}

} // namespace mailroom::widgets
