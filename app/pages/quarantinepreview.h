// QuarantinePreview: one quarantined message as spam.quarantine.get returns
// it: who sent it to whom, its score and when it is deleted; the tags that
// added up to the score, largest first; its text and all its headers.
// Nothing is rendered as HTML or fetched from the network.
// Trust level: shows what the local engine sends (mail from the Internet,
// so everything is shown as plain text).
#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTreeWidget;

namespace mailroom::console
{

class QuarantinePreview : public QWidget
{
    Q_OBJECT
public:
    explicit QuarantinePreview(QWidget *parent = nullptr);
    void showMessage(const QJsonObject &message);
    // No message: a sentence instead (what to choose, or what went wrong).
    void showText(const QString &text);

    QString queueId() const
    {
        return m_queueId;
    }
    QTreeWidget *tags() const
    {
        return m_tags;
    }
    QString summaryText() const;
    QString bodyText() const;
    QString headersText() const;

private:
    QLabel *m_summary;
    QTreeWidget *m_tags;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_body;
    QPlainTextEdit *m_headers;
    QString m_queueId;
};

} // namespace mailroom::console
