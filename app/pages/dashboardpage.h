// Dashboard: engine version, uptime, listeners and counts, refreshed every
// five seconds while the console is connected.
#pragma once

#include <QTimer>

#include "pages/page.h"

class QLabel;
class QTableWidget;

namespace mailroom::console
{

class DashboardPage : public Page
{
    Q_OBJECT
public:
    explicit DashboardPage(adminclient::AdminClient &client, QWidget *parent = nullptr);
    QString title() const override
    {
        return tr("Dashboard");
    }
    void reload() override;

private:
    void show(const QJsonObject &status);
    QLabel *m_engine;
    QLabel *m_counts;
    QTableWidget *m_listeners;
    QTimer m_timer;
};

} // namespace mailroom::console
