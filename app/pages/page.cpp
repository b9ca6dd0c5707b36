#include "pages/page.h"

#include <QJsonObject>

namespace mailroom::console
{

Page::Page(adminclient::AdminClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
{
}

void Page::push(const QString &, const QJsonObject &)
{
}

} // namespace mailroom::console
