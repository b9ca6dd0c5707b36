#include "pages/settingspage.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "adminclient/adminclient.h"

namespace mailroom::console
{

SettingsPage::SettingsPage(adminclient::AdminClient &client, QWidget *parent)
    : Page(client, parent)
    , m_table(new QTableWidget(0, 4, this))
    , m_filter(new QLineEdit(this))
{
    m_table->setObjectName(QStringLiteral("settingsTable"));
    m_table->setHorizontalHeaderLabels({ tr("Setting"), tr("Value"), tr("From"), tr("Description") });
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_filter->setPlaceholderText(tr("Search settings"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, &SettingsPage::applyFilter);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, &SettingsPage::change);
    auto *changeButton = new QPushButton(tr("&Change…"), this);
    connect(changeButton, &QPushButton::clicked, this, &SettingsPage::change);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(changeButton);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(QStringLiteral("<h2>%1</h2>").arg(tr("Settings")), this));
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
}

void SettingsPage::reload()
{
    if (!client().isConnected())
        return;
    client().call(QStringLiteral("settings.list"), {}, [this](const adminclient::Reply &r) {
        if (!r.ok) {
            Q_EMIT problem(r.errorMessage);
            return;
        }
        const QJsonArray items = r.object().value(QStringLiteral("items")).toArray();
        m_table->setRowCount(int(items.size()));
        for (int i = 0; i < items.size(); ++i) {
            const QJsonObject s = items.at(i).toObject();
            const QString tip = s.value(QStringLiteral("doc")).toString() + u"\n"
                + tr("Default: %1").arg(s.value(QStringLiteral("default")).toString())
                + (s.value(QStringLiteral("restart")).toBool() ? u"\n" + tr("Takes effect after a restart.")
                                                               : QString());
            const QStringList cells { s.value(QStringLiteral("name")).toString(),
                s.value(QStringLiteral("value")).toString(), s.value(QStringLiteral("source")).toString(),
                s.value(QStringLiteral("doc")).toString() };
            for (int c = 0; c < cells.size(); ++c) {
                auto *item = new QTableWidgetItem(cells.at(c));
                item->setToolTip(tip);
                m_table->setItem(i, c, item);
            }
        }
        m_table->resizeColumnsToContents();
        applyFilter();
    });
}

void SettingsPage::applyFilter()
{
    const QString f = m_filter->text();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const bool match = f.isEmpty() || m_table->item(row, 0)->text().contains(f, Qt::CaseInsensitive)
            || m_table->item(row, 3)->text().contains(f, Qt::CaseInsensitive);
        m_table->setRowHidden(row, !match);
    }
}

void SettingsPage::change()
{
    const int row = m_table->currentRow();
    if (row < 0)
        return;
    const QString name = m_table->item(row, 0)->text();
    bool ok = false;
    const QString value = QInputDialog::getText(this, tr("Change %1").arg(name), m_table->item(row, 3)->text(),
        QLineEdit::Normal, m_table->item(row, 1)->text(), &ok);
    if (!ok)
        return;
    client().call(QStringLiteral("settings.set"),
        { { QStringLiteral("name"), name }, { QStringLiteral("value"), value } }, [this](const adminclient::Reply &r) {
            if (!r.ok) {
                QMessageBox::warning(this, tr("Setting not changed"), r.errorMessage);
                return;
            }
            if (r.object().value(QStringLiteral("restartRequired")).toBool())
                QMessageBox::information(
                    this, tr("Setting saved"), tr("The new value takes effect when the engine is restarted."));
            reload();
        });
}

} // namespace mailroom::console
