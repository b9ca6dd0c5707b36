// DropTarget: a large button that takes dropped messages (see MessageDrop
// for the kinds). It lights up while a drag it can take hovers over it and
// refuses anything else, so the cursor shows at once whether a drop works.
// Being a button, it also serves the keyboard: clicked() is where the page
// offers a file dialog instead. Trust level: drags from any local program.
#pragma once

#include <QColor>
#include <QPushButton>

#include "mail/messagedrop.h"

namespace mailroom::widgets
{

class DropTarget : public QPushButton
{
    Q_OBJECT
public:
    DropTarget(const QString &title,
        const QString &hint,
        MessageDrop::Kinds accepted,
        QColor accent,
        QWidget *parent = nullptr);

    MessageDrop::Kinds acceptedKinds() const
    {
        return m_accepted;
    }
    bool isHighlighted() const
    {
        return m_highlighted;
    }

Q_SIGNALS:
    void dropped(const mailroom::widgets::MessageDrop &drop);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void setHighlighted(bool on);
    void restyle();

    MessageDrop::Kinds m_accepted;
    QColor m_accent;
    bool m_highlighted = false;
};

} // namespace mailroom::widgets
