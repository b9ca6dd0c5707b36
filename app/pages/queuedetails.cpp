#include "pages/queuedetails.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "common/format.h"

namespace mailroom::console
{

namespace
{
QTableWidget *table(const QStringList &headers, const char *name, QWidget *parent)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setObjectName(QLatin1String(name));
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->verticalHeader()->hide();
    t->verticalHeader()->setDefaultSectionSize(22);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setWordWrap(false);
    return t;
}

void setRow(QTableWidget *t, int row, const QStringList &cells)
{
    for (int c = 0; c < cells.size(); ++c) {
        auto *item = new QTableWidgetItem(cells.at(c));
        item->setToolTip(cells.at(c));
        t->setItem(row, c, item);
    }
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

QString timeOrDash(const QString &iso)
{
    return iso.isEmpty() ? QStringLiteral("–") : widgets::formatTime(iso);
}
} // namespace

QString queueStateText(const QString &state)
{
    if (state == u"queued")
        return QObject::tr("Sending");
    if (state == u"deferred")
        return QObject::tr("Waiting to retry");
    if (state == u"held")
        return QObject::tr("On hold");
    if (state == u"delivered")
        return QObject::tr("Delivered");
    if (state == u"failed")
        return QObject::tr("Failed");
    if (state == u"done")
        return QObject::tr("Finished");
    return state;
}

QueueDetails::QueueDetails(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_recipients(table({ tr("Recipient"), tr("State"), tr("Tries"), tr("Last try"), tr("Next try"),
                             tr("Answer from the receiving server") },
          "queueRecipients",
          this))
    , m_history(table({ tr("Time"), tr("Recipient"), tr("What happened") }, "queueHistory", this))
{
    m_summary->setObjectName(QStringLiteral("queueSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(tr("Recipients")), this));
    layout->addWidget(m_recipients, 1);
    layout->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(tr("History")), this));
    layout->addWidget(m_history, 1);
    showText(tr("Choose a message to see its recipients and history."));
}

void QueueDetails::showText(const QString &text)
{
    m_queueId.clear();
    m_summary->setText(text);
    m_recipients->setRowCount(0);
    m_history->setRowCount(0);
}

void QueueDetails::showMessage(const QJsonObject &m)
{
    m_queueId = str(m, "queueId");
    const QString sender = str(m, "sender").isEmpty() ? tr("(no sender: a delivery report)") : str(m, "sender");
    m_summary->setText(tr("<b>%1</b> · %2<br>From %3 · %4 · received %5<br>Next try: %6")
                           .arg(str(m, "subject").toHtmlEscaped(), m_queueId, sender.toHtmlEscaped(),
                               widgets::formatBytes(m.value(QStringLiteral("size")).toInteger()),
                               widgets::formatTime(str(m, "received")), timeOrDash(str(m, "nextAttempt"))));
    const QJsonArray recipients = m.value(QStringLiteral("recipients")).toArray();
    m_recipients->setRowCount(int(recipients.size()));
    for (int i = 0; i < recipients.size(); ++i) {
        const QJsonObject r = recipients.at(i).toObject();
        QString answer = str(r, "diagnostic");
        if (!str(r, "status").isEmpty())
            answer = str(r, "status") + u' ' + answer;
        setRow(m_recipients, i,
            { str(r, "address"), queueStateText(str(r, "state")),
                QString::number(r.value(QStringLiteral("attempts")).toInt()), timeOrDash(str(r, "lastAttempt")),
                timeOrDash(str(r, "nextAttempt")), answer });
    }
    const QJsonArray history = m.value(QStringLiteral("history")).toArray();
    m_history->setRowCount(int(history.size()));
    for (int i = 0; i < history.size(); ++i) {
        const QJsonObject h = history.at(i).toObject();
        setRow(m_history, i, { widgets::formatTime(str(h, "time")), str(h, "recipient"), str(h, "text") });
    }
    m_recipients->resizeColumnsToContents();
    m_history->resizeColumnsToContents();
}

} // namespace mailroom::console
