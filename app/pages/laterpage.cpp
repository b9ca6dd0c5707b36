#include "pages/laterpage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace mailroom::console
{

LaterPage::LaterPage(adminclient::AdminClient &client, const QString &title, const QString &what, QWidget *parent)
    : Page(client, parent)
    , m_title(title)
{
    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(QStringLiteral("<h2>%1</h2>").arg(title.toHtmlEscaped()), this);
    auto *text = new QLabel(
        tr("%1<br><br>This page arrives with a later Mailroom release. Nothing here is shown until the engine "
           "really does it.")
            .arg(what.toHtmlEscaped()),
        this);
    text->setWordWrap(true);
    text->setObjectName(QStringLiteral("laterText"));
    layout->addWidget(heading);
    layout->addWidget(text);
    layout->addStretch(1);
}

} // namespace mailroom::console
