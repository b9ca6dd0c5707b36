// Quarantine: the list, its search box and the preview of the selection.
// The actions are in quarantineactions.cpp. Trust level: shows what the
// local engine sends (mail from the Internet, always as plain text).
#include "pages/quarantineview.h"

#include <utility>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "common/format.h"
#include "models/pagedlistmodel.h"
#include "pages/quarantinepreview.h"

namespace mailroom::console
{

using widgets::PagedListModel;

namespace
{
QString str(const QJsonObject &row, const char *key)
{
    return row.value(QLatin1String(key)).toString();
}

QString fromText(const QJsonObject &row)
{
    const QString from = str(row, "from");
    if (!from.isEmpty())
        return from;
    const QString sender = str(row, "sender");
    return sender.isEmpty() ? QuarantineView::tr("(delivery report)") : sender;
}

QString recipientsText(const QJsonObject &row)
{
    QStringList out;
    for (const QJsonValue &r : row.value(QStringLiteral("recipients")).toArray())
        out << (r.isObject() ? r.toObject().value(QStringLiteral("address")).toString() : r.toString());
    return out.join(QStringLiteral(", "));
}

QString scoreText(const QJsonObject &row)
{
    return QLocale().toString(row.value(QStringLiteral("score")).toDouble(), 'f', 1);
}
} // namespace

QuarantineView::QuarantineView(adminclient::AdminClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_model(new PagedListModel(
          { { QStringLiteral("received"), tr("Received"),
                [](const QJsonObject &r) { return widgets::formatTime(str(r, "received")); } },
              { QStringLiteral("from"), tr("From"), fromText }, { QStringLiteral("subject"), tr("Subject"), {} },
              { QStringLiteral("recipients"), tr("To"), recipientsText },
              { QStringLiteral("score"), tr("Score"), scoreText },
              { QStringLiteral("expires"), tr("Deleted on"),
                  [](const QJsonObject &r) { return widgets::formatTime(str(r, "expires")); } },
              { QStringLiteral("queueId"), tr("Queue ID"), {} } },
          this))
{
    m_model->setFetcher([this](qint64 offset, int limit, auto done, auto fail) {
        QJsonObject p { { QStringLiteral("offset"), offset }, { QStringLiteral("limit"), limit } };
        if (!m_filter->text().trimmed().isEmpty())
            p.insert(QStringLiteral("filter"), m_filter->text().trimmed());
        m_client.call(QStringLiteral("spam.quarantine.list"), p, [done, fail](const adminclient::Reply &r) {
            if (!r.ok)
                return fail(tr("The quarantine could not be loaded: %1").arg(r.errorMessage));
            done(r.object().value(QStringLiteral("items")).toArray(),
                r.object().value(QStringLiteral("total")).toInteger());
        });
    });
    connect(m_model, &PagedListModel::loadFailed, this, &QuarantineView::problem);
    connect(m_model, &PagedListModel::totalChanged, this, &QuarantineView::updateCount);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(buildList());
    m_preview = new QuarantinePreview(splitter);
    m_preview->setObjectName(QStringLiteral("quarantinePreview"));
    splitter->addWidget(m_preview);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    m_notice = new widgets::Banner(this);
    m_notice->setObjectName(QStringLiteral("quarantineNotice"));
    connect(m_notice, &widgets::Banner::actionTriggered, m_notice, &widgets::Banner::clear);

    m_progressRow = new QWidget(this);
    m_progressText = new QLabel(m_progressRow);
    m_progressText->setObjectName(QStringLiteral("quarantineProgressText"));
    m_progress = new QProgressBar(m_progressRow);
    m_progress->setObjectName(QStringLiteral("quarantineProgress"));
    m_progress->setAccessibleName(tr("Progress of the quarantine action"));
    m_cancel = new QPushButton(tr("Cancel"), m_progressRow);
    m_cancel->setObjectName(QStringLiteral("quarantineCancel"));
    m_cancel->setToolTip(tr("Stop after the part the engine is working on now. What was done stays done."));
    connect(m_cancel, &QPushButton::clicked, this, &QuarantineView::cancelAction);
    auto *progressLayout = new QHBoxLayout(m_progressRow);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    progressLayout->addWidget(m_progressText);
    progressLayout->addWidget(m_progress, 1);
    progressLayout->addWidget(m_cancel);
    m_progressRow->hide();

    auto *intro = new QLabel(tr("Messages the spam filter held back instead of delivering. Release the ones that "
                                "are good mail; they are deleted on their own after the date shown."),
        this);
    intro->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_notice);
    layout->addWidget(m_progressRow);
    layout->addWidget(splitter, 1);

    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(300);
    connect(&m_filterDelay, &QTimer::timeout, this, &QuarantineView::reload);
    m_changeDelay.setSingleShot(true);
    m_changeDelay.setInterval(500);
    connect(&m_changeDelay, &QTimer::timeout, this, &QuarantineView::reload);
    // Put the selection back once the reloaded first page is in.
    connect(m_model, &PagedListModel::pageLoaded, this, [this] {
        if (m_model->rowCount() <= 1000)
            m_view->resizeColumnsToContents();
        if (m_keepSelected.isEmpty())
            return;
        const QStringList keepList = std::exchange(m_keepSelected, {});
        const QSet<QString> keep(keepList.cbegin(), keepList.cend());
        QItemSelection selection;
        for (int row = 0; row < m_model->rowCount(); ++row)
            if (keep.contains(m_model->rowObject(row).value(QStringLiteral("queueId")).toString()))
                selection.select(m_model->index(row, 0), m_model->index(row, m_model->columnCount() - 1));
        m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
        if (selection.isEmpty())
            selectionChanged();
    });
    updateButtons();
}

QWidget *QuarantineView::buildList()
{
    auto *w = new QWidget(this);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);

    m_filter = new QLineEdit(w);
    m_filter->setObjectName(QStringLiteral("quarantineFilter"));
    m_filter->setPlaceholderText(tr("Search by sender, recipient, subject or queue ID"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this] { m_filterDelay.start(); });
    m_count = new QLabel(w);
    m_count->setObjectName(QStringLiteral("quarantineCount"));
    auto *refresh = new QPushButton(tr("Refresh"), w);
    refresh->setObjectName(QStringLiteral("quarantineRefresh"));
    connect(refresh, &QPushButton::clicked, this, &QuarantineView::reload);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_count);
    bar->addWidget(refresh);

    m_view = new QTableView(w);
    m_view->setObjectName(QStringLiteral("quarantineTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(24);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setResizeContentsPrecision(200);
    m_view->setWordWrap(false);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &QuarantineView::selectionChanged);

    auto *buttons = new QHBoxLayout;
    auto add = [&](const QString &text, const char *name, const QString &tip, std::function<void()> action) {
        auto *b = new QPushButton(text, w);
        b->setObjectName(QLatin1String(name));
        b->setToolTip(tip);
        connect(b, &QPushButton::clicked, this, action);
        buttons->addWidget(b);
        m_actionButtons << b;
    };
    add(tr("&Release"), "quarantineRelease", tr("Deliver the selected messages to their recipients' Inboxes."),
        [this] { releaseSelected(false); });
    add(tr("Release and learn as &not spam"), "quarantineReleaseHam",
        tr("Deliver the selected messages and teach the filter that mail like this is good."),
        [this] { releaseSelected(true); });
    add(tr("&Delete…"), "quarantineDelete", tr("Delete the selected messages. Nobody is told."),
        [this] { deleteSelected(false); });
    add(tr("Delete and learn as &spam…"), "quarantineDeleteSpam",
        tr("Teach the filter that mail like this is spam, then delete the selected messages."),
        [this] { deleteSelected(true); });
    buttons->addStretch(1);

    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    return w;
}

void QuarantineView::reload()
{
    // A second reload before the first page is in must not forget the
    // selection the first one saved.
    const QStringList ids = selectedIds();
    if (!ids.isEmpty())
        m_keepSelected = ids;
    m_model->reload();
}

void QuarantineView::queueChanged()
{
    if (!m_changeDelay.isActive())
        m_changeDelay.start();
}

QStringList QuarantineView::selectedIds() const
{
    QStringList ids;
    if (!m_view)
        return ids;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        ids << m_model->rowObject(i.row()).value(QStringLiteral("queueId")).toString();
    return ids;
}

void QuarantineView::selectionChanged()
{
    updateButtons();
    const QStringList ids = selectedIds();
    if (ids.isEmpty()) {
        m_preview->showText(m_model->rowCount()
                ? tr("Choose a message to see why it was held and what it says.")
                : tr("No messages are in quarantine. Mail that scores at or above the quarantine score (Settings, "
                     "spam.quarantine_score) is held here instead of being delivered."));
        return;
    }
    if (ids.size() > 1) {
        m_preview->showText(tr("%1 messages selected.").arg(QLocale().toString(ids.size())));
        return;
    }
    const QString id = ids.first();
    m_client.call(QStringLiteral("spam.quarantine.get"), { { QStringLiteral("queueId"), id } },
        [this, id](const adminclient::Reply &r) {
            if (selectedIds() != QStringList { id })
                return; // the selection moved on
            if (!r.ok)
                m_preview->showText(tr("The message could not be shown: %1").arg(r.errorMessage));
            else
                m_preview->showMessage(r.object());
        });
}

void QuarantineView::updateButtons()
{
    const bool any = m_view && m_view->selectionModel()->hasSelection();
    for (QPushButton *b : std::as_const(m_actionButtons))
        b->setEnabled(any && !m_batch);
}

void QuarantineView::updateCount()
{
    const qint64 n = m_model->total();
    m_count->setText(n == 1 ? tr("1 message") : tr("%1 messages").arg(QLocale().toString(n)));
    if (!m_view->selectionModel()->hasSelection())
        selectionChanged();
    Q_EMIT totalChanged(n);
}

} // namespace mailroom::console
