#include "pages/queuepage.h"

#include <utility>

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "common/format.h"
#include "models/pagedlistmodel.h"
#include "pages/queuedetails.h"

namespace mailroom::console
{

using widgets::PagedListModel;

namespace
{
QString recipientsText(const QJsonObject &row)
{
    QStringList out;
    for (const QJsonValue &r : row.value(QStringLiteral("recipients")).toArray())
        out << r.toObject().value(QStringLiteral("address")).toString();
    return out.join(QStringLiteral(", "));
}

QString senderText(const QJsonObject &row)
{
    const QString s = row.value(QStringLiteral("sender")).toString();
    return s.isEmpty() ? QObject::tr("(delivery report)") : s;
}
} // namespace

QueuePage::QueuePage(adminclient::AdminClient &client, QWidget *parent)
    : Page(client, parent)
    , m_model(new PagedListModel(
          { { QStringLiteral("queueId"), tr("Queue ID"), {} },
              { QStringLiteral("state"), tr("State"),
                  [](const QJsonObject &r) { return queueStateText(r.value(QStringLiteral("state")).toString()); } },
              { QStringLiteral("sender"), tr("From"), senderText },
              { QStringLiteral("recipients"), tr("To"), recipientsText },
              { QStringLiteral("subject"), tr("Subject"), {} },
              { QStringLiteral("size"), tr("Size"),
                  [](const QJsonObject &r) {
                      return widgets::formatBytes(r.value(QStringLiteral("size")).toInteger());
                  } },
              { QStringLiteral("received"), tr("Received"),
                  [](const QJsonObject &r) {
                      return widgets::formatTime(r.value(QStringLiteral("received")).toString());
                  } },
              { QStringLiteral("lastError"), tr("Last problem"), {} } },
          this))
{
    m_model->setFetcher([this](qint64 offset, int limit, auto done, auto fail) {
        QJsonObject p { { QStringLiteral("offset"), offset }, { QStringLiteral("limit"), limit } };
        if (!m_state->currentData().toString().isEmpty())
            p.insert(QStringLiteral("state"), m_state->currentData().toString());
        if (!m_filter->text().trimmed().isEmpty())
            p.insert(QStringLiteral("filter"), m_filter->text().trimmed());
        Page::client().call(QStringLiteral("queue.list"), p, [done, fail](const adminclient::Reply &r) {
            if (!r.ok)
                return fail(tr("The queue could not be loaded: %1").arg(r.errorMessage));
            done(r.object().value(QStringLiteral("items")).toArray(),
                r.object().value(QStringLiteral("total")).toInteger());
        });
    });
    connect(m_model, &PagedListModel::loadFailed, this, &Page::problem);
    connect(m_model, &PagedListModel::totalChanged, this, &QueuePage::updateCount);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(buildList());
    m_details = new QueueDetails(splitter);
    m_details->setObjectName(QStringLiteral("queueDetails"));
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    m_notice = new widgets::Banner(this);
    m_notice->setObjectName(QStringLiteral("queueNotice"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("queueProgress"));
    m_progress->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(QStringLiteral("<h2>%1</h2>").arg(tr("Mail queue")), this));
    layout->addWidget(m_notice);
    layout->addWidget(m_progress);
    layout->addWidget(splitter, 1);

    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(300);
    connect(&m_filterDelay, &QTimer::timeout, this, &QueuePage::reloadList);
    m_changeDelay.setSingleShot(true);
    m_changeDelay.setInterval(500);
    connect(&m_changeDelay, &QTimer::timeout, this, &QueuePage::reloadList);
    connect(m_notice, &widgets::Banner::actionTriggered, m_notice, &widgets::Banner::clear);
    // Put the selection back once the reloaded first page is in.
    connect(m_model, &PagedListModel::pageLoaded, this, [this] {
        if (m_keepSelected.isEmpty())
            return;
        const QSet<QString> keep = std::exchange(m_keepSelected, {});
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

QWidget *QueuePage::buildList()
{
    auto *w = new QWidget(this);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);

    m_state = new QComboBox(w);
    m_state->setObjectName(QStringLiteral("queueState"));
    m_state->addItem(tr("All messages"), QString());
    m_state->addItem(tr("Sending"), QStringLiteral("queued"));
    m_state->addItem(tr("Waiting to retry"), QStringLiteral("deferred"));
    m_state->addItem(tr("On hold"), QStringLiteral("held"));
    connect(m_state, &QComboBox::currentIndexChanged, this, &QueuePage::reloadList);
    m_filter = new QLineEdit(w);
    m_filter->setObjectName(QStringLiteral("queueFilter"));
    m_filter->setPlaceholderText(tr("Search by sender, recipient, subject or queue ID"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this] { m_filterDelay.start(); });
    m_count = new QLabel(w);
    m_count->setObjectName(QStringLiteral("queueCount"));
    auto *refresh = new QPushButton(tr("Refresh"), w);
    connect(refresh, &QPushButton::clicked, this, &QueuePage::reloadList);
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show:"), w));
    bar->addWidget(m_state);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_count);
    bar->addWidget(refresh);

    m_view = new QTableView(w);
    m_view->setObjectName(QStringLiteral("queueTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(24);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setResizeContentsPrecision(200);
    m_view->setWordWrap(false);
    connect(m_model, &PagedListModel::pageLoaded, m_view, [this] {
        if (m_model->rowCount() <= 1000)
            m_view->resizeColumnsToContents();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &QueuePage::selectionChanged);

    auto *buttons = new QHBoxLayout;
    auto add = [&](const QString &text, const char *name, const QString &tip, void (QueuePage::*slot)()) {
        auto *b = new QPushButton(text, w);
        b->setObjectName(QLatin1String(name));
        b->setToolTip(tip);
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
        m_actionButtons << b;
    };
    add(tr("Retry now"), "queueRetry", tr("Try to deliver the selected messages again now."),
        &QueuePage::retrySelected);
    add(tr("Hold"), "queueHold", tr("Stop trying to deliver the selected messages until you release them."),
        &QueuePage::holdSelected);
    add(tr("Release"), "queueRelease", tr("Let held messages be delivered again."), &QueuePage::releaseSelected);
    add(tr("Return to sender…"), "queueBounce",
        tr("Give up on the selected messages and tell each sender they could not be delivered."),
        &QueuePage::bounceSelected);
    add(tr("Delete…"), "queueDelete", tr("Delete the selected messages without telling anyone."),
        &QueuePage::deleteSelected);
    buttons->addStretch(1);

    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    return w;
}

void QueuePage::reload()
{
    if (!client().isConnected())
        return;
    // Subscribe first, then load: a change in between causes one more reload,
    // never a missed one.
    client().call(QStringLiteral("queue.subscribe"), {}, [this](const adminclient::Reply &r) {
        if (!r.ok)
            Q_EMIT problem(tr("The queue will not update by itself: %1").arg(r.errorMessage));
    });
    reloadList();
}

void QueuePage::reloadList()
{
    // A second reload before the first page is in must not forget the
    // selection the first one saved.
    const QStringList ids = selectedIds();
    if (!ids.isEmpty())
        m_keepSelected = QSet<QString>(ids.cbegin(), ids.cend());
    m_model->reload();
}

void QueuePage::push(const QString &event, const QJsonObject &)
{
    if (event == u"queue.changed" && !m_changeDelay.isActive())
        m_changeDelay.start();
}

QStringList QueuePage::selectedIds() const
{
    QStringList ids;
    if (!m_view)
        return ids;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        ids << m_model->rowObject(i.row()).value(QStringLiteral("queueId")).toString();
    return ids;
}

void QueuePage::selectionChanged()
{
    updateButtons();
    const QStringList ids = selectedIds();
    if (ids.isEmpty()) {
        m_details->showText(m_model->rowCount() ? tr("Choose a message to see its recipients and history.")
                                                : tr("No messages are waiting. Mail that cannot be delivered at "
                                                     "once shows up here."));
        return;
    }
    if (ids.size() > 1) {
        m_details->showText(tr("%1 messages selected.").arg(ids.size()));
        return;
    }
    const QString id = ids.first();
    client().call(
        QStringLiteral("queue.show"), { { QStringLiteral("queueId"), id } }, [this, id](const adminclient::Reply &r) {
            if (selectedIds() != QStringList { id })
                return; // the selection moved on
            if (!r.ok)
                m_details->showText(r.errorMessage);
            else
                m_details->showMessage(r.object());
        });
}

void QueuePage::updateButtons()
{
    const bool any = m_view && m_view->selectionModel()->hasSelection();
    for (QPushButton *b : std::as_const(m_actionButtons))
        b->setEnabled(any && !m_action);
}

void QueuePage::updateCount()
{
    const qint64 n = m_model->total();
    m_count->setText(n == 1 ? tr("1 message") : tr("%1 messages").arg(QLocale().toString(n)));
    if (!m_view->selectionModel()->hasSelection())
        selectionChanged();
}

} // namespace mailroom::console
