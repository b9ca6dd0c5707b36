#include "pages/logspage.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

#include "adminclient/adminclient.h"
#include "models/logmodel.h"

namespace mailroom::console
{

namespace
{
constexpr int kHistory = 500;
}

LogsPage::LogsPage(adminclient::AdminClient &client, QWidget *parent)
    : Page(client, parent)
    , m_model(new widgets::LogModel(this))
    , m_view(new QTableView(this))
    , m_level(new QComboBox(this))
    , m_module(new QComboBox(this))
    , m_text(new QLineEdit(this))
    , m_pause(new QPushButton(tr("&Pause"), this))
    , m_older(new QPushButton(tr("Load &older"), this))
    , m_status(new QLabel(this))
{
    m_view->setObjectName(QStringLiteral("logTable"));
    m_level->setObjectName(QStringLiteral("logLevel"));
    m_module->setObjectName(QStringLiteral("logModule"));
    m_text->setObjectName(QStringLiteral("logText"));
    m_pause->setObjectName(QStringLiteral("logPause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Stop scrolling; new lines wait until you resume."));
    for (const char *l : { "debug", "info", "warning", "error" })
        m_level->addItem(QLatin1String(l), QLatin1String(l));
    m_level->setCurrentIndex(1);
    m_module->addItem(tr("all modules"), QString());
    for (const char *m : { "main", "config", "store", "net", "admin", "telemetry" })
        m_module->addItem(QLatin1String(m), QLatin1String(m));
    m_text->setPlaceholderText(tr("Search text"));
    m_text->setClearButtonEnabled(true);

    m_view->setModel(m_model);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(22);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->setColumnWidth(widgets::LogModel::Time, 150);
    m_view->setColumnWidth(widgets::LogModel::Level, 70);
    m_view->setColumnWidth(widgets::LogModel::Module, 80);
    m_view->setColumnWidth(widgets::LogModel::Event, 170);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Level:"), this));
    bar->addWidget(m_level);
    bar->addWidget(m_module);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_older);
    bar->addWidget(m_pause);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(QStringLiteral("<h2>%1</h2>").arg(tr("Logs")), this));
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    connect(m_level, &QComboBox::currentIndexChanged, this, &LogsPage::reload);
    connect(m_module, &QComboBox::currentIndexChanged, this, &LogsPage::reload);
    m_textDelay.setSingleShot(true);
    m_textDelay.setInterval(300);
    connect(&m_textDelay, &QTimer::timeout, this, &LogsPage::reload);
    connect(m_text, &QLineEdit::textChanged, this, [this] { m_textDelay.start(); });
    connect(m_pause, &QPushButton::toggled, this, [this](bool paused) {
        m_model->setPaused(paused);
        m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
        updateStatus();
    });
    connect(m_older, &QPushButton::clicked, this, &LogsPage::loadOlder);
    connect(m_model, &widgets::LogModel::rowsAppended, this, [this] {
        QScrollBar *scroll = m_view->verticalScrollBar();
        if (!m_model->isPaused())
            scroll->setValue(scroll->maximum());
        updateStatus();
    });
}

QJsonObject LogsPage::filter() const
{
    QJsonObject f { { QStringLiteral("level"), m_level->currentData().toString() } };
    if (!m_module->currentData().toString().isEmpty())
        f.insert(QStringLiteral("module"), m_module->currentData().toString());
    return f;
}

QJsonObject LogsPage::historyQuery(qint64 beforeId) const
{
    QJsonObject q = filter();
    q.insert(QStringLiteral("limit"), kHistory);
    if (beforeId > 0)
        q.insert(QStringLiteral("beforeId"), beforeId);
    if (!m_text->text().isEmpty())
        q.insert(QStringLiteral("text"), m_text->text());
    return q;
}

void LogsPage::reload()
{
    if (!client().isConnected())
        return;
    m_model->clear();
    // Subscribe first, then read history: a line logged in between shows up
    // (at worst twice), never not at all.
    client().call(QStringLiteral("logs.subscribe"), filter(), [this](const adminclient::Reply &r) {
        if (!r.ok)
            Q_EMIT problem(r.errorMessage);
    });
    client().call(QStringLiteral("logs.query"), historyQuery(0), [this](const adminclient::Reply &r) {
        if (!r.ok) {
            Q_EMIT problem(r.errorMessage);
            return;
        }
        m_model->setHistory(r.object().value(QStringLiteral("items")).toArray());
        m_more = r.object().value(QStringLiteral("more")).toBool();
        m_view->scrollToBottom();
        updateStatus();
    });
}

void LogsPage::loadOlder()
{
    const qint64 oldest = m_model->oldestId();
    if (!client().isConnected() || oldest <= 0)
        return;
    client().call(QStringLiteral("logs.query"), historyQuery(oldest), [this](const adminclient::Reply &r) {
        if (!r.ok) {
            Q_EMIT problem(r.errorMessage);
            return;
        }
        m_model->prependOlder(r.object().value(QStringLiteral("items")).toArray());
        m_more = r.object().value(QStringLiteral("more")).toBool();
        updateStatus();
    });
}

void LogsPage::push(const QString &event, const QJsonObject &line)
{
    if (event != u"logs.line")
        return;
    if (!m_text->text().isEmpty()
        && !line.value(QStringLiteral("text")).toString().contains(m_text->text(), Qt::CaseInsensitive))
        return;
    m_model->queueLive(line);
    if (m_model->isPaused())
        updateStatus();
}

void LogsPage::updateStatus()
{
    QString text = tr("%n events shown", nullptr, m_model->rowCount());
    if (m_model->isPaused())
        text += tr(" — paused, %n new waiting", nullptr, m_model->queued());
    if (m_more)
        text += tr(" — older events exist (Load older)");
    m_older->setEnabled(m_more);
    m_status->setText(text);
}

} // namespace mailroom::console
