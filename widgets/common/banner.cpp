#include "common/banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace mailroom::widgets
{

Banner::Banner(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_action(new QPushButton(this))
{
    setObjectName(QStringLiteral("banner"));
    m_label->setObjectName(QStringLiteral("bannerText"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_action);
    connect(m_action, &QPushButton::clicked, this, &Banner::actionTriggered);
    QFrame::hide();
}

void Banner::show(Kind kind, const QString &text, const QString &actionText)
{
    static const char *colors[] = { "#e8f0fe; color: #174ea6", "#fef7e0; color: #7a4f01", "#fce8e6; color: #a50e0e" };
    // By type, not by object name: pages name their banners ("queueNotice").
    // Qt's style sheets write the namespace separator "::" as "--".
    setStyleSheet(QStringLiteral("mailroom--widgets--Banner { background: %1; border-radius: 4px; }")
                      .arg(QLatin1String(colors[int(kind)])));
    m_label->setText(text);
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty());
    QFrame::show();
}

void Banner::clear()
{
    m_label->clear();
    QFrame::hide();
}

QString Banner::text() const
{
    return m_label->text();
}

} // namespace mailroom::widgets
