// SpamCheck: files are opened and read on a worker thread (at most 50
// messages or 4 MiB in one check), then scored with one spam.score request.
// Tag explanations follow the engine's Bayes bands, which are
// SpamAssassin's. Trust level: the admin's files, sent to the local engine.
#include "pages/spamcheck.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrentRun>

#include "adminclient/adminclient.h"
#include "common/droptarget.h"
#include "mail/messagefiles.h"

namespace mailroom::console
{

namespace
{
const widgets::MessagePartLimits kCheckLimits { 50, 4 * 1024 * 1024, 10 * 1024 * 1024 };

QString verdictText(const QString &verdict)
{
    if (verdict == u"spam")
        return SpamCheck::tr("Spam");
    if (verdict == u"ham")
        return SpamCheck::tr("Not spam");
    return SpamCheck::tr("Unsure");
}

// What a tag means, for its tooltip; the engine's bands (server main).
QString tagMeaning(const QString &tag)
{
    static const struct {
        const char *tag;
        const char *range;
    } bands[] = { { "BAYES_00", QT_TRANSLATE_NOOP("SpamCheck", "below 1 %") },
        { "BAYES_05", QT_TRANSLATE_NOOP("SpamCheck", "1 to 5 %") },
        { "BAYES_20", QT_TRANSLATE_NOOP("SpamCheck", "5 to 20 %") },
        { "BAYES_40", QT_TRANSLATE_NOOP("SpamCheck", "20 to 40 %") },
        { "BAYES_50", QT_TRANSLATE_NOOP("SpamCheck", "40 to 60 %") },
        { "BAYES_60", QT_TRANSLATE_NOOP("SpamCheck", "60 to 80 %") },
        { "BAYES_80", QT_TRANSLATE_NOOP("SpamCheck", "80 to 95 %") },
        { "BAYES_95", QT_TRANSLATE_NOOP("SpamCheck", "95 to 99 %") },
        { "BAYES_99", QT_TRANSLATE_NOOP("SpamCheck", "99 to 99.9 %") },
        { "BAYES_999", QT_TRANSLATE_NOOP("SpamCheck", "99.9 % or more") } };
    for (const auto &b : bands)
        if (tag == QLatin1String(b.tag))
            return SpamCheck::tr("Bayes: the spam probability is %1.").arg(SpamCheck::tr(b.range));
    return SpamCheck::tr("Added by one of the spam filter's checks.");
}

QString points(double score)
{
    return (score > 0 ? QStringLiteral("+") : QString()) + QLocale().toString(score, 'f', 1);
}

struct Tags {
    QStringList shown; // in the list
    QStringList meanings; // one line each, for the tooltip
};

// Newer engines send each tag's points and what it found ("details");
// older ones only the names.
Tags tagsOf(const QJsonObject &item)
{
    Tags t;
    const QJsonArray details = item.value(QStringLiteral("details")).toArray();
    for (const QJsonValue &v : details) {
        const QJsonObject d = v.toObject();
        const QString name = d.value(QStringLiteral("name")).toString();
        const QString score = points(d.value(QStringLiteral("score")).toDouble());
        const QString detail = d.value(QStringLiteral("detail")).toString();
        t.shown << SpamCheck::tr("%1 (%2)").arg(name, score);
        t.meanings << SpamCheck::tr("%1, %2 points: %3").arg(name, score, detail.isEmpty() ? tagMeaning(name) : detail);
    }
    if (!details.isEmpty())
        return t;
    for (const QJsonValue &v : item.value(QStringLiteral("tags")).toArray()) {
        t.shown << v.toString();
        t.meanings << v.toString() + QStringLiteral(": ") + tagMeaning(v.toString());
    }
    return t;
}
} // namespace

SpamCheck::SpamCheck(adminclient::AdminClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_choose(new QPushButton(tr("Check a &message…"), this))
    , m_drop(new widgets::DropTarget(tr("Check"),
          tr("Drop a message here to see why"),
          widgets::MessageDrop::Kind::Files | widgets::MessageDrop::Kind::Inline,
          QColor(0x5f, 0x63, 0x68),
          this))
    , m_summary(new QLabel(this))
    , m_results(new QTreeWidget(this))
    , m_cancel(std::make_shared<std::atomic_bool>(false))
    , m_lastFolder(widgets::firstFolderForMessages())
{
    m_choose->setObjectName(QStringLiteral("spamCheckButton"));
    m_choose->setToolTip(tr("Choose .eml files and see how the spam filter judges them. Nothing is learned."));
    connect(m_choose, &QPushButton::clicked, this, &SpamCheck::chooseFiles);

    m_drop->setObjectName(QStringLiteral("spamCheckTarget"));
    m_drop->setAccessibleName(tr("Check area"));
    m_drop->setToolTip(tr("Drop .eml files or a message from your mail program here to see its spam score, verdict "
                          "and tags. Nothing is learned. Click to choose files instead."));
    m_drop->setMinimumHeight(64);
    m_drop->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(m_drop, &widgets::DropTarget::clicked, this, &SpamCheck::chooseFiles);
    connect(m_drop, &widgets::DropTarget::dropped, this, &SpamCheck::check);

    m_summary->setObjectName(QStringLiteral("spamCheckSummary"));
    m_summary->setWordWrap(true);
    m_summary->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setText(tr("See why the filter judges a message as it does: choose or drop a message."));

    m_results->setObjectName(QStringLiteral("spamCheckResults"));
    m_results->setAccessibleName(tr("Check results"));
    m_results->setHeaderLabels({ tr("Message"), tr("Verdict"), tr("Score"), tr("Bayes"), tr("Tags") });
    m_results->setColumnHidden(2, true); // shown when the engine sends a total score
    m_results->setRootIsDecorated(false);
    m_results->setAlternatingRowColors(true);
    m_results->setUniformRowHeights(true);
    m_results->header()->setStretchLastSection(true);
    m_results->hide();

    auto *row = new QHBoxLayout;
    row->addWidget(m_choose);
    row->addWidget(m_drop, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_summary);
    layout->addWidget(m_results, 1);
    layout->addStretch(0); // takes the room while there are no results
    connect(&m_reading, &QFutureWatcher<Messages>::finished, this, &SpamCheck::filesRead);
}

SpamCheck::~SpamCheck()
{
    m_cancel->store(true);
    if (m_call)
        m_client.cancel(m_call);
}

QString SpamCheck::summary() const
{
    return m_summary->text();
}

void SpamCheck::chooseFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Choose messages to check"), m_lastFolder, tr("Mail messages (*.eml);;All files (*)"));
    if (files.isEmpty())
        return;
    m_lastFolder = QFileInfo(files.first()).absolutePath();
    widgets::MessageDrop drop;
    drop.paths = files;
    check(drop);
}

void SpamCheck::check(const widgets::MessageDrop &drop)
{
    if (drop.paths.isEmpty() && drop.inlineMessages.isEmpty())
        return;
    setBusy(true);
    m_summary->setText(tr("Checking…"));
    if (drop.paths.isEmpty()) {
        Messages m;
        for (const QByteArray &bytes : drop.inlineMessages) {
            if (bytes.size() > kCheckLimits.maxFileBytes) {
                m.problems.append({ tr("The message from your mail program"), tr("is larger than 10 MB") });
                continue;
            }
            m.messages.append(QString::fromLatin1(bytes.toBase64()));
            m.names << tr("Message from your mail program");
        }
        return score(m);
    }
    m_reading.setFuture(QtConcurrent::run([paths = drop.paths, cancel = m_cancel] {
        const widgets::MessageFileList list = widgets::listMessageFiles(paths, 1000, cancel.get());
        const widgets::MessageFilePart part = widgets::readMessageFiles(list.files, 0, kCheckLimits, cancel.get());
        Messages m { part.messages, {}, list.problems + part.problems, list.files.size() - part.consumed };
        for (const QString &f : part.files)
            m.names << QFileInfo(f).fileName();
        return m;
    }));
}

void SpamCheck::filesRead()
{
    score(m_reading.result());
}

void SpamCheck::score(const Messages &m)
{
    if (m.messages.isEmpty()) {
        QStringList why;
        for (const widgets::FileProblem &p : m.problems)
            why << QDir::toNativeSeparators(p.path) + u' ' + p.reason;
        showProblem(why.isEmpty()
                ? tr("Nothing to check. Choose a mail message (.eml file).")
                : tr("Nothing to check: %1. Choose a mail message (.eml file).").arg(why.join(QStringLiteral("; "))));
        return;
    }
    m_call = m_client.call(QStringLiteral("spam.score"), { { QStringLiteral("messages"), m.messages } },
        [this, m](const adminclient::Reply &r) {
            m_call = 0;
            if (!r.ok)
                return showProblem(tr("The engine could not check the message: %1").arg(r.errorMessage));
            showResults(r.object().value(QStringLiteral("items")).toArray(), m,
                r.object().value(QStringLiteral("elapsedMs")).toDouble());
        });
}

void SpamCheck::showResults(const QJsonArray &items, const Messages &m, double elapsedMs)
{
    m_results->clear();
    bool notReady = false;
    bool anyScore = false;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject o = items.at(i).toObject();
        const bool ready = o.value(QStringLiteral("bayesReady")).toBool();
        notReady = notReady || !ready;
        const Tags tags = tagsOf(o);
        const QString bayes = ready
            ? tr("%1 % spam-like").arg(QLocale().toString(o.value(QStringLiteral("bayes")).toDouble() * 100.0, 'f', 1))
            : tr("not used yet");
        const bool hasScore = o.contains(QStringLiteral("score"));
        anyScore = anyScore || hasScore;
        auto *item = new QTreeWidgetItem(m_results,
            { i < m.names.size() ? m.names.at(i) : QString(),
                verdictText(o.value(QStringLiteral("verdict")).toString()),
                hasScore ? points(o.value(QStringLiteral("score")).toDouble()) : QString(), bayes,
                tags.shown.isEmpty() ? tr("none") : tags.shown.join(QStringLiteral(", ")) });
        const QString verdict = o.value(QStringLiteral("verdict")).toString();
        if (verdict == u"spam" || verdict == u"ham")
            item->setForeground(1, verdict == u"spam" ? QColor(0xc5, 0x22, 0x1f) : QColor(0x18, 0x80, 0x38));
        if (o.contains(QStringLiteral("tokens")))
            item->setToolTip(3,
                tr("Based on %1 words and other tokens of the message.")
                    .arg(QLocale().toString(o.value(QStringLiteral("tokens")).toInteger())));
        item->setToolTip(4, tags.meanings.isEmpty() ? tr("The message got no tags.") : tags.meanings.join(u'\n'));
    }
    m_results->setColumnHidden(2, !anyScore);
    for (int c = 0; c < m_results->columnCount() - 1; ++c)
        m_results->resizeColumnToContents(c);
    m_results->show();
    QStringList text;
    text << (items.size() == 1 ? tr("Checked 1 message in %1 ms of engine time.")
                               : tr("Checked %1 messages in %2 ms of engine time.").arg(items.size()))
                .arg(QLocale().toString(elapsedMs, 'f', 1));
    if (notReady)
        text << tr("Bayes is not used yet, so it adds nothing to the verdict: train more messages as Spam and as "
                   "Not spam first.");
    if (m.notChecked > 0)
        text << tr("%1 more files were not checked; check at most 50 messages at a time.").arg(m.notChecked);
    if (!m.problems.isEmpty())
        text << tr("%1 files were left out, for example %2 %3.")
                    .arg(m.problems.size())
                    .arg(QDir::toNativeSeparators(m.problems.first().path), m.problems.first().reason);
    m_summary->setText(text.join(u' '));
    setBusy(false);
    Q_EMIT checked();
}

void SpamCheck::showProblem(const QString &text)
{
    m_summary->setText(text);
    setBusy(false);
    Q_EMIT checked();
}

void SpamCheck::setBusy(bool busy)
{
    m_choose->setEnabled(!busy);
    m_drop->setEnabled(!busy);
}

} // namespace mailroom::console
