// Page: one area of the console (a sidebar entry). Pages reload when the
// engine connection comes up and say what went wrong in the window's banner.
#pragma once

#include <QWidget>

namespace mailroom::adminclient
{
class AdminClient;
struct Reply;
} // namespace mailroom::adminclient

namespace mailroom::console
{

class Page : public QWidget
{
    Q_OBJECT
public:
    Page(adminclient::AdminClient &client, QWidget *parent = nullptr);
    virtual QString title() const = 0;
    virtual void reload()
    {
    }
    virtual void push(const QString &event, const QJsonObject &payload);

Q_SIGNALS:
    // A sentence for the banner (what failed and what to do).
    void problem(const QString &text);

protected:
    adminclient::AdminClient &client()
    {
        return m_client;
    }

private:
    adminclient::AdminClient &m_client;
};

} // namespace mailroom::console
