// ScoreTableModel: the spam score table (spam.scores.list) as an editable
// table: tag, points (editable), the rule files' points, what the tag means
// and whether an analyzer or a rule sets it. Edits stay here, marked, until
// the page applies them (changes() gives spam.scores.set's TAG=POINTS
// strings). The table has a few hundred rows, so it is loaded whole.
// PointsDelegate edits points with a spin box from -100 to 100 in steps of
// 0.1. Trust level: shows what the local engine sends.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QJsonArray>
#include <QStyledItemDelegate>

namespace mailroom::widgets
{

class ScoreTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum ColumnIndex { Tag, Points, FilePoints, Description, Kind, ColumnCount };
    static constexpr double kMin = -100.0;
    static constexpr double kMax = 100.0;

    explicit ScoreTableModel(QObject *parent = nullptr);

    // A spam.scores.list result's items; drops every edit.
    void setItems(const QJsonArray &items);
    QString tagAt(int row) const;
    double pointsAt(int row) const; // with the edit, if any
    bool isChanged(int row) const;
    bool hasChanges() const
    {
        return !m_edits.isEmpty();
    }
    int changeCount() const
    {
        return int(m_edits.size());
    }
    // "TAG=POINTS" for every edit, sorted by tag, points in C notation.
    QStringList changes() const;
    // Sets points as an edit (as the delegate does); false when out of range.
    bool setPoints(int row, double points);
    void discardChanges();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    void changesChanged(int count);

private:
    struct Row {
        QString tag;
        double points = 0;
        double filePoints = 0;
        bool overridden = false;
        QString description;
        QString kind;
    };
    QList<Row> m_rows;
    QHash<QString, double> m_edits; // by tag
};

class PointsDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
};

} // namespace mailroom::widgets
