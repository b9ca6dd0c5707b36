// MessageViewer: header lines in a label (escaped: they came from the
// Internet), the text in a read-only plain text editor that copes with the
// 256 KiB the engine may send, and a line of attachments.
// Trust level: shows what the local engine sends.
#include "mail/messageviewer.h"

#include <QJsonArray>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextDocument>
#include <QVBoxLayout>

#include "common/format.h"

namespace mailroom::widgets
{

namespace
{
// The first value of a header (case-insensitive), or an empty string.
QString header(const QJsonArray &headers, const QString &name)
{
    for (const QJsonValue &h : headers) {
        const QJsonArray pair = h.toArray();
        if (pair.at(0).toString().compare(name, Qt::CaseInsensitive) == 0)
            return pair.at(1).toString();
    }
    return {};
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}
} // namespace

MessageViewer::MessageViewer(QWidget *parent)
    : QWidget(parent)
    , m_headers(new QLabel(this))
    , m_body(new QPlainTextEdit(this))
    , m_attachments(new QLabel(this))
{
    m_headers->setObjectName(QStringLiteral("messageHeaders"));
    m_headers->setTextFormat(Qt::RichText);
    m_headers->setWordWrap(true);
    m_headers->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_body->setObjectName(QStringLiteral("messageText"));
    m_body->setReadOnly(true);
    m_body->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_body->document()->setDocumentMargin(8);
    m_attachments->setObjectName(QStringLiteral("messageAttachments"));
    m_attachments->setTextFormat(Qt::PlainText); // file names came from the Internet
    m_attachments->setWordWrap(true);
    m_attachments->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_headers);
    layout->addWidget(m_body, 1);
    layout->addWidget(m_attachments);
    showText(tr("Choose a message to read it."));
}

void MessageViewer::showText(const QString &text)
{
    m_uid = 0;
    m_headers->setText(text.toHtmlEscaped());
    m_body->clear();
    m_body->setEnabled(false);
    m_attachments->hide();
}

void MessageViewer::showMessage(const QJsonObject &m)
{
    m_uid = m.value(QStringLiteral("uid")).toInteger();
    const QJsonArray headers = m.value(QStringLiteral("headers")).toArray();
    QString rows;
    auto add = [&](const QString &label, const QString &value) {
        if (!value.isEmpty())
            rows += QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>")
                        .arg(label.toHtmlEscaped(), value.toHtmlEscaped());
    };
    add(tr("From:"), header(headers, QStringLiteral("From")));
    add(tr("To:"), header(headers, QStringLiteral("To")));
    add(tr("Cc:"), header(headers, QStringLiteral("Cc")));
    add(tr("Date:"), header(headers, QStringLiteral("Date")));
    const QString subject = str(m, "subject");
    add(tr("Subject:"), subject.isEmpty() ? tr("(no subject)") : subject);
    add(tr("Received:"),
        tr("%1 · %2 · UID %3")
            .arg(formatTime(str(m, "date")), formatBytes(m.value(QStringLiteral("size")).toInteger()))
            .arg(m_uid));
    m_headers->setText(QStringLiteral("<table>%1</table>").arg(rows));

    QString text = str(m, "text");
    if (m.value(QStringLiteral("textTruncated")).toBool())
        text += u'\n' + tr("[The message goes on; the console shows its first 256 KiB of text.]");
    if (text.trimmed().isEmpty())
        text = tr("(This message has no text to show.)");
    m_body->setEnabled(true);
    m_body->setPlainText(text);

    QStringList names;
    for (const QJsonValue &v : m.value(QStringLiteral("attachments")).toArray()) {
        const QJsonObject a = v.toObject();
        const QString name = str(a, "name").isEmpty() ? tr("(no name)") : str(a, "name");
        names << tr("%1 (%2, %3)").arg(name, str(a, "type"), formatBytes(a.value(QStringLiteral("size")).toInteger()));
    }
    m_attachments->setText(tr("Attachments: %1").arg(names.join(QStringLiteral("; "))));
    m_attachments->setVisible(!names.isEmpty());
}

QString MessageViewer::headerText() const
{
    QTextDocument doc;
    doc.setHtml(m_headers->text());
    return doc.toPlainText();
}

QString MessageViewer::bodyText() const
{
    return m_body->toPlainText();
}

} // namespace mailroom::widgets
