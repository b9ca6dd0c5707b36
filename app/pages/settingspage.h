// Settings: every engine setting with its value, where the value comes from
// and its description; double-click (or Change…) to set one.
#pragma once

#include "pages/page.h"

class QTableWidget;
class QLineEdit;

namespace mailroom::console
{

class SettingsPage : public Page
{
    Q_OBJECT
public:
    explicit SettingsPage(adminclient::AdminClient &client, QWidget *parent = nullptr);
    QString title() const override
    {
        return tr("Settings");
    }
    void reload() override;

private:
    void change();
    void applyFilter();
    QTableWidget *m_table;
    QLineEdit *m_filter;
};

} // namespace mailroom::console
