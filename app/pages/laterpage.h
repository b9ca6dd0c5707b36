// LaterPage: an area that a later release fills in. It says so in plain
// words instead of showing anything made up.
#pragma once

#include "pages/page.h"

namespace mailroom::console
{

class LaterPage : public Page
{
    Q_OBJECT
public:
    LaterPage(adminclient::AdminClient &client, const QString &title, const QString &what, QWidget *parent = nullptr);
    QString title() const override
    {
        return m_title;
    }

private:
    QString m_title;
};

} // namespace mailroom::console
