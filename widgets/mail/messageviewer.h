// MessageViewer: one message as messages.get returns it: the main headers
// (From, To, Cc, Date, Subject), when it arrived and its size, its plain text
// and the names of its attachments. Nothing in it is rendered as HTML or
// fetched from the network. Trust level: shows what the local engine sends
// (mail from the Internet, so everything is shown as plain text).
#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace mailroom::widgets
{

class MessageViewer : public QWidget
{
    Q_OBJECT
public:
    explicit MessageViewer(QWidget *parent = nullptr);
    // A messages.get result.
    void showMessage(const QJsonObject &message);
    // No message: a sentence instead (what to choose, or what went wrong).
    void showText(const QString &text);

    qint64 uid() const
    {
        return m_uid;
    }
    QString headerText() const; // the header lines as shown, plain text
    QString bodyText() const;

private:
    QLabel *m_headers;
    QPlainTextEdit *m_body;
    QLabel *m_attachments;
    qint64 m_uid = 0;
};

} // namespace mailroom::widgets
