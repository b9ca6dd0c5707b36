#include "pages/dashboardpage.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "adminclient/adminclient.h"
#include "common/format.h"

namespace mailroom::console
{

DashboardPage::DashboardPage(adminclient::AdminClient &client, QWidget *parent)
    : Page(client, parent)
    , m_engine(new QLabel(this))
    , m_counts(new QLabel(this))
    , m_listeners(new QTableWidget(0, 4, this))
{
    m_engine->setObjectName(QStringLiteral("dashboardEngine"));
    m_counts->setObjectName(QStringLiteral("dashboardCounts"));
    m_listeners->setObjectName(QStringLiteral("dashboardListeners"));
    m_engine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_engine->setText(tr("Waiting for the engine…"));
    m_listeners->setHorizontalHeaderLabels({ tr("Service"), tr("Address"), tr("Port"), tr("State") });
    m_listeners->horizontalHeader()->setStretchLastSection(true);
    m_listeners->verticalHeader()->hide();
    m_listeners->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_listeners->setSelectionMode(QAbstractItemView::NoSelection);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(QStringLiteral("<h2>%1</h2>").arg(tr("Dashboard")), this));
    layout->addWidget(m_engine);
    layout->addSpacing(8);
    layout->addWidget(m_counts);
    layout->addSpacing(8);
    layout->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(tr("Listeners")), this));
    layout->addWidget(m_listeners, 1);
    m_timer.setInterval(5000);
    connect(&m_timer, &QTimer::timeout, this, &DashboardPage::reload);
    m_timer.start();
}

void DashboardPage::reload()
{
    if (!client().isConnected())
        return;
    client().call(QStringLiteral("status.get"), {}, [this](const adminclient::Reply &r) {
        if (r.ok)
            show(r.object());
        else
            Q_EMIT problem(r.errorMessage);
    });
}

void DashboardPage::show(const QJsonObject &s)
{
    m_engine->setText(tr("<b>Mailroom %1</b> on <b>%2</b> — running for %3 (process %4)<br>Data folder: %5")
                          .arg(s.value(QStringLiteral("version")).toString().toHtmlEscaped(),
                              s.value(QStringLiteral("hostname")).toString().toHtmlEscaped(),
                              widgets::formatDuration(s.value(QStringLiteral("uptimeSeconds")).toInteger()))
                          .arg(s.value(QStringLiteral("pid")).toInteger())
                          .arg(s.value(QStringLiteral("dataFolder")).toString().toHtmlEscaped()));
    const QJsonObject c = s.value(QStringLiteral("counts")).toObject();
    m_counts->setText(tr("<table cellspacing=12><tr><td align=center><span style='font-size:20pt'>%1</span><br>"
                         "domains</td><td align=center><span style='font-size:20pt'>%2</span><br>users</td>"
                         "<td align=center><span style='font-size:20pt'>%3</span><br>aliases</td>"
                         "<td align=center><span style='font-size:20pt'>%4</span><br>messages</td>"
                         "<td align=center><span style='font-size:20pt'>%5</span><br>stored mail</td></tr></table>")
                          .arg(c.value(QStringLiteral("domains")).toInteger())
                          .arg(c.value(QStringLiteral("users")).toInteger())
                          .arg(c.value(QStringLiteral("aliases")).toInteger())
                          .arg(c.value(QStringLiteral("messages")).toInteger())
                          .arg(widgets::formatBytes(c.value(QStringLiteral("blobBytes")).toInteger())));
    const QJsonArray listeners = s.value(QStringLiteral("listeners")).toArray();
    m_listeners->setRowCount(int(listeners.size()));
    for (int i = 0; i < listeners.size(); ++i) {
        const QJsonObject l = listeners.at(i).toObject();
        const QString port = l.value(QStringLiteral("port")).toInteger()
            ? QString::number(l.value(QStringLiteral("port")).toInteger())
            : QStringLiteral("—");
        const QStringList cells { l.value(QStringLiteral("service")).toString(),
            l.value(QStringLiteral("address")).toString(), port, l.value(QStringLiteral("state")).toString() };
        for (int col = 0; col < cells.size(); ++col) {
            auto *item = new QTableWidgetItem(cells.at(col));
            item->setToolTip(l.value(QStringLiteral("detail")).toString());
            m_listeners->setItem(i, col, item);
        }
    }
    m_listeners->resizeColumnsToContents();
}

} // namespace mailroom::console
