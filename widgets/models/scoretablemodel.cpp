// ScoreTableModel: points are kept rounded to two decimals, so that what the
// table shows, what is sent and what the engine stores are the same number.
// Trust level: shows what the local engine sends.
#include "models/scoretablemodel.h"

#include <algorithm>
#include <cmath>

#include <QBrush>
#include <QColor>
#include <QDoubleSpinBox>
#include <QFont>
#include <QJsonObject>
#include <QLocale>

namespace mailroom::widgets
{

namespace
{
double rounded(double points)
{
    return std::round(points * 100.0) / 100.0;
}

QString pointsText(double points)
{
    return QLocale().toString(points, 'f', std::abs(points * 10 - std::round(points * 10)) > 1e-9 ? 2 : 1);
}
} // namespace

ScoreTableModel::ScoreTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ScoreTableModel::setItems(const QJsonArray &items)
{
    beginResetModel();
    m_rows.clear();
    m_edits.clear();
    m_rows.reserve(items.size());
    for (const QJsonValue &v : items) {
        const QJsonObject o = v.toObject();
        m_rows.append({ o.value(QStringLiteral("tag")).toString(), o.value(QStringLiteral("score")).toDouble(),
            o.value(QStringLiteral("fileScore")).toDouble(), o.value(QStringLiteral("overridden")).toBool(),
            o.value(QStringLiteral("description")).toString(), o.value(QStringLiteral("kind")).toString() });
    }
    std::sort(m_rows.begin(), m_rows.end(), [](const Row &a, const Row &b) { return a.tag < b.tag; });
    endResetModel();
    Q_EMIT changesChanged(0);
}

QString ScoreTableModel::tagAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).tag : QString();
}

double ScoreTableModel::pointsAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return 0;
    return m_edits.value(m_rows.at(row).tag, m_rows.at(row).points);
}

bool ScoreTableModel::isChanged(int row) const
{
    return row >= 0 && row < m_rows.size() && m_edits.contains(m_rows.at(row).tag);
}

QStringList ScoreTableModel::changes() const
{
    QStringList out;
    for (auto it = m_edits.cbegin(); it != m_edits.cend(); ++it)
        out << it.key() + u'=' + QString::number(it.value(), 'g', 10);
    out.sort();
    return out;
}

bool ScoreTableModel::setPoints(int row, double points)
{
    if (row < 0 || row >= m_rows.size() || !std::isfinite(points) || points < kMin || points > kMax)
        return false;
    const Row &r = m_rows.at(row);
    points = rounded(points);
    const bool wasChanged = m_edits.contains(r.tag);
    if (points == rounded(r.points))
        m_edits.remove(r.tag); // back to what the engine has
    else
        m_edits.insert(r.tag, points);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    if (wasChanged != m_edits.contains(r.tag) || m_edits.contains(r.tag))
        Q_EMIT changesChanged(changeCount());
    return true;
}

void ScoreTableModel::discardChanges()
{
    if (m_edits.isEmpty())
        return;
    m_edits.clear();
    Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
    Q_EMIT changesChanged(0);
}

int ScoreTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ScoreTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScoreTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    const bool changed = m_edits.contains(r.tag);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Tag:
            return changed ? r.tag + QStringLiteral(" *") : r.tag;
        case Points:
            return pointsText(pointsAt(index.row()));
        case FilePoints:
            return pointsText(r.filePoints);
        case Description:
            return r.description;
        case Kind:
            return r.kind == u"rule" ? tr("rule") : r.kind == u"analyzer" ? tr("analyzer") : r.kind;
        }
        return {};
    case Qt::EditRole:
        if (index.column() == Points)
            return pointsAt(index.row());
        return data(index, Qt::DisplayRole);
    case Qt::ToolTipRole:
        if (changed)
            return tr("Changed from %1 to %2; click Apply to send it to the engine.")
                .arg(pointsText(r.points), pointsText(pointsAt(index.row())));
        if (r.overridden)
            return tr("Set by an admin; the rule files say %1. \"Reset to default\" gives it back.")
                .arg(pointsText(r.filePoints));
        return index.column() == Description ? r.description : QVariant();
    case Qt::FontRole:
        if (changed || (r.overridden && index.column() == Points)) {
            QFont f;
            f.setBold(changed);
            f.setItalic(!changed);
            return f;
        }
        return {};
    case Qt::BackgroundRole:
        if (changed)
            return QBrush(QColor(0xff, 0xf4, 0xc2));
        return {};
    case Qt::ForegroundRole:
        if (changed)
            return QBrush(QColor(0x20, 0x20, 0x20)); // readable on the highlight in a dark theme too
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Points || index.column() == FilePoints)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::UserRole:
        return r.tag;
    }
    return {};
}

bool ScoreTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.column() != Points)
        return false;
    bool ok = false;
    const double points = value.toDouble(&ok);
    return ok && setPoints(index.row(), points);
}

Qt::ItemFlags ScoreTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Points)
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant ScoreTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Tag:
        return tr("Tag");
    case Points:
        return tr("Points");
    case FilePoints:
        return tr("Default");
    case Description:
        return tr("What it means");
    case Kind:
        return tr("Set by");
    }
    return {};
}

QWidget *PointsDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const
{
    auto *spin = new QDoubleSpinBox(parent);
    spin->setObjectName(QStringLiteral("pointsEditor"));
    spin->setRange(ScoreTableModel::kMin, ScoreTableModel::kMax);
    spin->setSingleStep(0.1);
    spin->setDecimals(2);
    spin->setAlignment(Qt::AlignRight);
    spin->setAccelerated(true);
    return spin;
}

void PointsDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    static_cast<QDoubleSpinBox *>(editor)->setValue(index.data(Qt::EditRole).toDouble());
}

void PointsDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    auto *spin = static_cast<QDoubleSpinBox *>(editor);
    spin->interpretText();
    model->setData(index, spin->value(), Qt::EditRole);
}

} // namespace mailroom::widgets
