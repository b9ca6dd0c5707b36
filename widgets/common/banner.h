// Banner: a strip across the top of a window that says what is wrong and
// what to do (engine not running, other protocol version, a failed action),
// with an optional button. Hidden when there is nothing to say.
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace mailroom::widgets
{

class Banner : public QFrame
{
    Q_OBJECT
public:
    enum class Kind { Info, Warning, Error };
    explicit Banner(QWidget *parent = nullptr);
    void show(Kind kind, const QString &text, const QString &actionText = {});
    void clear();
    QString text() const;

Q_SIGNALS:
    void actionTriggered();

private:
    QLabel *m_label;
    QPushButton *m_action;
};

} // namespace mailroom::widgets
