// PagedListModel: a table over one of the engine's *.list methods that stays
// fast with 100,000 rows. Rows arrive a page at a time as the view scrolls
// (canFetchMore/fetchMore), each page is inserted with one beginInsertRows,
// and a filter is sent to the engine instead of filtering here. The fetcher
// is a function, so tests can feed the model without an engine.
// Trust level: shows what the local engine sends.
#pragma once

#include <functional>

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>

namespace mailroom::widgets
{

struct Column {
    QString key; // field in each item
    QString header;
    std::function<QString(const QJsonObject &row)> text; // optional formatter
};

class PagedListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // Asks for rows [offset, offset+limit); done(items, total) or fail(message).
    using Fetcher = std::function<void(
        qint64 offset, int limit, std::function<void(QJsonArray, qint64)> done, std::function<void(QString)> fail)>;

    PagedListModel(QList<Column> columns, QObject *parent = nullptr);
    void setFetcher(Fetcher fetcher);
    void setPageSize(int rows)
    {
        m_pageSize = rows;
    }

    // Drops every row and starts again from the first page.
    void reload();
    QJsonObject rowObject(int row) const;
    qint64 total() const
    {
        return m_total;
    }
    bool isLoading() const
    {
        return m_loading;
    }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    void loadFailed(const QString &message);
    void totalChanged(qint64 total);
    void pageLoaded(int rows);

private:
    void appendPage(const QJsonArray &items, qint64 total, quint64 generation);

    QList<Column> m_columns;
    Fetcher m_fetcher;
    QList<QJsonObject> m_rows;
    qint64 m_total = -1; // unknown until the first page
    int m_pageSize = 1000;
    bool m_loading = false;
    quint64 m_generation = 0; // replies for an older reload are dropped
};

} // namespace mailroom::widgets
