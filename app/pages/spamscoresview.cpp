// Score table editor: the table is small (a few hundred tags), so it is
// loaded whole and searched here, not on the engine.
// Trust level: local admin's input, sent to the local engine.
#include "pages/spamscoresview.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "models/scoretablemodel.h"

namespace mailroom::console
{

using widgets::ScoreTableModel;

namespace
{
QString tags(qint64 n)
{
    return n == 1 ? SpamScoresView::tr("1 tag") : SpamScoresView::tr("%1 tags").arg(QLocale().toString(n));
}
} // namespace

SpamScoresView::SpamScoresView(adminclient::AdminClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_model(new ScoreTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_filter(new QLineEdit(this))
    , m_changes(new QLabel(this))
    , m_apply(new QPushButton(tr("&Apply"), this))
    , m_discard(new QPushButton(tr("D&iscard changes"), this))
    , m_reset(new QPushButton(tr("Reset to &default…"), this))
    , m_notice(new widgets::Banner(this))
{
    auto *intro = new QLabel(tr("Each tag the filter adds to a message gives it points; the total decides what "
                                "happens to it (Settings: spam.junk_score, spam.quarantine_score, "
                                "spam.reject_score). Double-click a number to change it, then Apply."),
        this);
    intro->setWordWrap(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1); // tag or meaning
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setObjectName(QStringLiteral("scoresFilter"));
    m_filter->setPlaceholderText(tr("Search tags and what they mean"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view->setObjectName(QStringLiteral("scoresTable"));
    m_view->setModel(m_proxy);
    m_view->setItemDelegateForColumn(ScoreTableModel::Points, new widgets::PointsDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(
        QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed | QAbstractItemView::AnyKeyPressed);
    m_view->setAlternatingRowColors(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ScoreTableModel::Tag, Qt::AscendingOrder);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(24);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(ScoreTableModel::Description, QHeaderView::Stretch);
    m_view->setWordWrap(false);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &SpamScoresView::updateButtons);
    connect(m_model, &ScoreTableModel::changesChanged, this, &SpamScoresView::updateButtons);

    m_changes->setObjectName(QStringLiteral("scoresChanges"));
    m_apply->setObjectName(QStringLiteral("scoresApply"));
    m_apply->setToolTip(tr("Send the changed points to the engine. They count from the next message on."));
    connect(m_apply, &QPushButton::clicked, this, &SpamScoresView::apply);
    m_discard->setObjectName(QStringLiteral("scoresDiscard"));
    connect(m_discard, &QPushButton::clicked, this, &SpamScoresView::discard);
    m_reset->setObjectName(QStringLiteral("scoresReset"));
    m_reset->setToolTip(tr("Give the selected tags back the points of the rule files."));
    connect(m_reset, &QPushButton::clicked, this, &SpamScoresView::resetSelected);
    auto *refresh = new QPushButton(tr("Refresh"), this);
    connect(refresh, &QPushButton::clicked, this, &SpamScoresView::reload);
    m_notice->setObjectName(QStringLiteral("scoresNotice"));
    connect(m_notice, &widgets::Banner::actionTriggered, m_notice, &widgets::Banner::clear);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(refresh);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_apply);
    buttons->addWidget(m_discard);
    buttons->addWidget(m_reset);
    buttons->addWidget(m_changes, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_notice);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    updateButtons();
}

void SpamScoresView::reload()
{
    if (m_model->hasChanges()) {
        QMessageBox box(QMessageBox::Question, tr("Changes not applied"),
            tr("Load the score table again and forget %1 you changed?").arg(tags(m_model->changeCount())),
            QMessageBox::Cancel, this);
        box.addButton(tr("Forget changes"), QMessageBox::DestructiveRole);
        box.setDefaultButton(QMessageBox::Cancel);
        if (box.exec() == QMessageBox::Cancel)
            return;
    }
    load();
}

void SpamScoresView::load()
{
    m_client.call(QStringLiteral("spam.scores.list"), {}, [this](const adminclient::Reply &r) {
        if (!r.ok) {
            m_notice->show(widgets::Banner::Kind::Error,
                tr("The score table could not be loaded: %1 Click Refresh to try again.").arg(r.errorMessage),
                tr("Dismiss"));
            return;
        }
        m_model->setItems(r.object().value(QStringLiteral("items")).toArray());
        if (m_model->rowCount() <= 1000)
            m_view->resizeColumnsToContents();
        updateButtons();
        Q_EMIT loaded();
    });
}

QStringList SpamScoresView::selectedTags() const
{
    QStringList out;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        out << m_model->tagAt(m_proxy->mapToSource(i).row());
    out.sort();
    return out;
}

void SpamScoresView::updateButtons()
{
    const int n = m_model->changeCount();
    m_apply->setEnabled(n > 0 && !m_busy);
    m_discard->setEnabled(n > 0 && !m_busy);
    m_reset->setEnabled(m_view->selectionModel()->hasSelection() && !m_busy);
    m_changes->setText(n == 0 ? QString() : tr("%1 changed, not applied yet (marked with *).").arg(tags(n)));
}

void SpamScoresView::apply()
{
    if (!m_model->hasChanges() || m_busy)
        return;
    const QStringList changes = m_model->changes();
    m_busy = true;
    updateButtons();
    m_client.call(QStringLiteral("spam.scores.set"),
        { { QStringLiteral("scores"), QJsonArray::fromStringList(changes) } },
        [this, changes](const adminclient::Reply &r) {
            m_busy = false;
            if (!r.ok) {
                updateButtons();
                m_notice->show(widgets::Banner::Kind::Error,
                    tr("The new points were not applied: %1 Your changes are still in the table; correct them and "
                       "click Apply again.")
                        .arg(r.errorMessage),
                    tr("Dismiss"));
            } else {
                m_notice->show(widgets::Banner::Kind::Info,
                    tr("New points for %1 apply from the next message on.").arg(tags(changes.size())), tr("Dismiss"));
                load();
            }
            Q_EMIT applied();
        });
}

void SpamScoresView::resetSelected()
{
    const QStringList selected = selectedTags();
    if (selected.isEmpty() || m_busy)
        return;
    QMessageBox box(QMessageBox::Question, tr("Please confirm"),
        selected.size() == 1 ? tr("Give %1 back its default points?").arg(selected.first())
                             : tr("Give %1 back their default points?").arg(tags(selected.size())),
        QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("scoresConfirm"));
    box.setInformativeText(tr("The points of the rule files apply again. Changes of yours not applied yet are "
                              "forgotten."));
    box.addButton(tr("Reset"), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    if (box.exec() == QMessageBox::Cancel)
        return;
    m_busy = true;
    updateButtons();
    m_client.call(QStringLiteral("spam.scores.reset"),
        { { QStringLiteral("tags"), QJsonArray::fromStringList(selected) } },
        [this, selected](const adminclient::Reply &r) {
            m_busy = false;
            if (!r.ok) {
                updateButtons();
                m_notice->show(widgets::Banner::Kind::Error,
                    tr("The points were not reset: %1 Select the tags again and retry.").arg(r.errorMessage),
                    tr("Dismiss"));
            } else {
                m_notice->show(widgets::Banner::Kind::Info,
                    selected.size() == 1 ? tr("%1 has its default points again.").arg(selected.first())
                                         : tr("%1 have their default points again.").arg(tags(selected.size())),
                    tr("Dismiss"));
                load();
            }
            Q_EMIT applied();
        });
}

void SpamScoresView::discard()
{
    m_model->discardChanges();
}

} // namespace mailroom::console
