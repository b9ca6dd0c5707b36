// DropTarget: drag-enter decides from the formats alone (no file is touched,
// no JSON parsed), the drop takes the data out at once, and the highlight is
// a style sheet swap: a dashed border at rest, the accent colour while a
// usable drag hovers. Trust level: drags from any local program.
#include "common/droptarget.h"

#include <algorithm>

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>

namespace mailroom::widgets
{

DropTarget::DropTarget(
    const QString &title, const QString &hint, MessageDrop::Kinds accepted, QColor accent, QWidget *parent)
    : QPushButton(hint.isEmpty() ? title : title + u'\n' + hint, parent)
    , m_accepted(accepted)
    , m_accent(accent)
{
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    restyle();
}

void DropTarget::dragEnterEvent(QDragEnterEvent *event)
{
    if (!isEnabled() || !canDropMessages(event->mimeData(), m_accepted)) {
        event->ignore();
        return;
    }
    event->setDropAction(Qt::CopyAction);
    event->accept();
    setHighlighted(true);
}

void DropTarget::dragMoveEvent(QDragMoveEvent *event)
{
    // The whole button is one target: what enter decided holds everywhere.
    if (m_highlighted) {
        event->setDropAction(Qt::CopyAction);
        event->accept();
    } else {
        event->ignore();
    }
}

void DropTarget::dragLeaveEvent(QDragLeaveEvent *event)
{
    setHighlighted(false);
    event->accept();
}

void DropTarget::dropEvent(QDropEvent *event)
{
    setHighlighted(false);
    const MessageDrop drop = isEnabled() ? messageDrop(event->mimeData(), m_accepted) : MessageDrop();
    if (drop.isEmpty()) {
        event->ignore();
        return;
    }
    // A copy: the messages stay where they were (a mail program must not
    // delete what it dragged out).
    event->setDropAction(Qt::CopyAction);
    event->accept();
    Q_EMIT dropped(drop);
}

void DropTarget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::EnabledChange)
        setHighlighted(false);
    QPushButton::changeEvent(event);
}

void DropTarget::setHighlighted(bool on)
{
    if (m_highlighted == on)
        return;
    m_highlighted = on;
    restyle();
}

void DropTarget::restyle()
{
    const QString accent = m_accent.name();
    const QString tint = QColor::fromHsl(m_accent.hslHue(), std::max(40, m_accent.hslSaturation() / 2), 235).name();
    if (m_highlighted)
        setStyleSheet(QStringLiteral("QPushButton { border: 3px solid %1; border-radius: 10px; background: %2; "
                                     "padding: 18px; font-size: 13pt; font-weight: bold; }")
                          .arg(accent, tint));
    else
        setStyleSheet(QStringLiteral("QPushButton { border: 2px dashed %1; border-radius: 10px; background: "
                                     "palette(base); padding: 18px; font-size: 13pt; }"
                                     "QPushButton:focus { border-style: solid; }"
                                     "QPushButton:hover { background: %2; }"
                                     "QPushButton:disabled { border-color: palette(mid); color: palette(mid); }")
                          .arg(accent, tint));
}

} // namespace mailroom::widgets
