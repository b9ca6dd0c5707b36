// Logs: a live tail of the engine's events (logs.subscribe) over its recent
// history (logs.query), filtered by level, module and text, with Pause and
// paging back to older events.
#pragma once

#include <QTimer>

#include "pages/page.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace mailroom::widgets
{
class LogModel;
}

namespace mailroom::console
{

class LogsPage : public Page
{
    Q_OBJECT
public:
    explicit LogsPage(adminclient::AdminClient &client, QWidget *parent = nullptr);
    QString title() const override
    {
        return tr("Logs");
    }
    void reload() override;
    void push(const QString &event, const QJsonObject &data) override;
    widgets::LogModel *model() const
    {
        return m_model;
    }

private:
    QJsonObject filter() const;
    QJsonObject historyQuery(qint64 beforeId) const;
    void loadOlder();
    void updateStatus();

    widgets::LogModel *m_model;
    QTableView *m_view;
    QComboBox *m_level;
    QComboBox *m_module;
    QLineEdit *m_text;
    QPushButton *m_pause;
    QPushButton *m_older;
    QLabel *m_status;
    QTimer m_textDelay;
    bool m_more = false;
};

} // namespace mailroom::console
