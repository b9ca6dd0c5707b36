// QuarantinePreview: the summary is a small HTML table of escaped values;
// text and headers sit in read-only plain-text fields.
// Trust level: shows mail from the Internet, escaped or as plain text.
#include "pages/quarantinepreview.h"

#include <algorithm>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTextDocument>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "common/format.h"

namespace mailroom::console
{

namespace
{
QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

QString points(double p)
{
    return QLocale().toString(p, 'f', 1);
}
} // namespace

QuarantinePreview::QuarantinePreview(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_tags(new QTreeWidget(this))
    , m_tabs(new QTabWidget(this))
    , m_body(new QPlainTextEdit(this))
    , m_headers(new QPlainTextEdit(this))
{
    m_summary->setObjectName(QStringLiteral("quarantineSummary"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    m_tags->setObjectName(QStringLiteral("quarantineTags"));
    m_tags->setHeaderLabels({ tr("Why it was held"), tr("Points") });
    m_tags->setRootIsDecorated(false);
    m_tags->setAlternatingRowColors(true);
    m_tags->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tags->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tags->header()->setStretchLastSection(false);
    for (QPlainTextEdit *e : { m_body, m_headers }) {
        e->setReadOnly(true);
        e->setLineWrapMode(e == m_body ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap);
    }
    m_body->setObjectName(QStringLiteral("quarantineText"));
    m_headers->setObjectName(QStringLiteral("quarantineHeaders"));
    m_tabs->addTab(m_body, tr("Text"));
    m_tabs->addTab(m_headers, tr("Headers"));

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_tags);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);
    showText(tr("Choose a message to see why it was held and what it says."));
}

void QuarantinePreview::showText(const QString &text)
{
    m_queueId.clear();
    m_summary->setText(text.toHtmlEscaped());
    m_tags->clear();
    m_body->clear();
    m_headers->clear();
    m_tags->setEnabled(false);
    m_tabs->setEnabled(false);
}

void QuarantinePreview::showMessage(const QJsonObject &m)
{
    m_queueId = str(m, "queueId");
    QString rows;
    auto add = [&](const QString &label, const QString &value) {
        if (!value.isEmpty())
            rows += QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>")
                        .arg(label.toHtmlEscaped(), value.toHtmlEscaped());
    };
    QStringList recipients;
    for (const QJsonValue &v : m.value(QStringLiteral("recipients")).toArray())
        recipients << (v.isObject() ? v.toObject().value(QStringLiteral("address")).toString() : v.toString());
    add(tr("From:"), str(m, "from"));
    if (str(m, "sender") != str(m, "from"))
        add(tr("Sender:"), str(m, "sender").isEmpty() ? tr("(delivery report)") : str(m, "sender"));
    add(tr("For:"), recipients.join(QStringLiteral(", ")));
    add(tr("Subject:"), str(m, "subject").isEmpty() ? tr("(no subject)") : str(m, "subject"));
    add(tr("Score:"), points(m.value(QStringLiteral("score")).toDouble()));
    add(tr("Received:"),
        tr("%1 · %2 · queue ID %3")
            .arg(widgets::formatTime(str(m, "received")),
                widgets::formatBytes(m.value(QStringLiteral("size")).toInteger()), m_queueId));
    add(tr("Deleted on:"), widgets::formatTime(str(m, "expires")));
    m_summary->setText(QStringLiteral("<table>%1</table>").arg(rows));

    // Tags, the largest contribution first, so the reason is on top.
    struct Tag {
        QString name;
        double score;
    };
    QList<Tag> tags;
    for (const QJsonValue &v : m.value(QStringLiteral("tags")).toArray()) {
        const QJsonObject t = v.toObject();
        tags.append({ v.isString() ? v.toString() : str(t, "name"), t.value(QStringLiteral("score")).toDouble() });
    }
    std::stable_sort(tags.begin(), tags.end(), [](const Tag &a, const Tag &b) { return a.score > b.score; });
    m_tags->clear();
    for (const Tag &t : std::as_const(tags)) {
        auto *item = new QTreeWidgetItem(m_tags, { t.name, points(t.score) });
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_tags->setEnabled(true);

    QString text = str(m, "text");
    if (m.value(QStringLiteral("textTruncated")).toBool())
        text += u'\n' + tr("[The message goes on; the console shows its first 256 KiB of text.]");
    if (text.trimmed().isEmpty())
        text = tr("(This message has no text to show.)");
    m_body->setPlainText(text);
    QStringList headerLines;
    for (const QJsonValue &v : m.value(QStringLiteral("headers")).toArray()) {
        const QJsonArray h = v.toArray();
        headerLines << h.at(0).toString() + QStringLiteral(": ") + h.at(1).toString();
    }
    m_headers->setPlainText(headerLines.join(u'\n'));
    m_tabs->setEnabled(true);
}

QString QuarantinePreview::summaryText() const
{
    QTextDocument doc;
    doc.setHtml(m_summary->text());
    return doc.toPlainText();
}

QString QuarantinePreview::bodyText() const
{
    return m_body->toPlainText();
}

QString QuarantinePreview::headersText() const
{
    return m_headers->toPlainText();
}

} // namespace mailroom::console
