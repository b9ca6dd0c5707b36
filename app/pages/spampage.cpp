// Spam page: layout, the counts and the training drops. The work of a drop
// is SpamTraining's; this file shows its progress and result and loads the
// counts again after it. Trust level: the admin's files, sent to the local
// engine.
#include "pages/spampage.h"

#include <algorithm>
#include <climits>

#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "common/droptarget.h"
#include "mail/messagefiles.h"
#include "models/scoretablemodel.h"
#include "pages/quarantineview.h"
#include "pages/spamcheck.h"
#include "pages/spamlistsview.h"
#include "pages/spamscoresview.h"
#include "pages/spamtraining.h"

namespace mailroom::console
{

using widgets::MessageDrop;

namespace
{
QString number(qint64 n)
{
    return QLocale().toString(n);
}
} // namespace

SpamPage::SpamPage(adminclient::AdminClient &client, QWidget *parent)
    : Page(client, parent)
    , m_counts(new QLabel(this))
    , m_notReady(new widgets::Banner(this))
    , m_check(new SpamCheck(client, this))
    , m_lastFolder(widgets::firstFolderForMessages())
{
    m_counts->setObjectName(QStringLiteral("spamCounts"));
    m_counts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_counts->setText(tr("Waiting for the engine…"));
    m_notReady->setObjectName(QStringLiteral("spamNotReady"));
    auto *refresh = new QPushButton(tr("Refresh"), this);
    refresh->setObjectName(QStringLiteral("spamRefresh"));
    refresh->setToolTip(tr("Load the counts again (users who move mail into or out of Junk train the filter too)."));
    connect(refresh, &QPushButton::clicked, this, &SpamPage::reload);
    auto *countsRow = new QHBoxLayout;
    countsRow->addWidget(m_counts, 1);
    countsRow->addWidget(refresh);

    auto *intro = new QLabel(tr("Teach the Bayes filter what spam looks like for your users: drag messages from a "
                                "user's mail window, .eml files from your desktop or messages from your mail "
                                "program onto <b>Spam</b> or <b>Not spam</b>. Users teach it too when they move "
                                "mail into or out of their Junk folder."),
        this);
    intro->setWordWrap(true);

    auto *why = new QGroupBox(tr("Why?"), this);
    why->setObjectName(QStringLiteral("spamWhy"));
    auto *whyLayout = new QVBoxLayout(why);
    whyLayout->addWidget(m_check);

    auto *training = new QWidget(this);
    auto *trainingLayout = new QVBoxLayout(training);
    trainingLayout->addWidget(intro);
    trainingLayout->addLayout(countsRow);
    trainingLayout->addWidget(m_notReady);
    trainingLayout->addWidget(buildTraining());
    trainingLayout->addWidget(why, 1);

    m_quarantine = new QuarantineView(client, this);
    m_quarantine->setObjectName(QStringLiteral("quarantineView"));
    connect(m_quarantine, &QuarantineView::problem, this, &Page::problem);
    connect(m_quarantine, &QuarantineView::totalChanged, this, &SpamPage::quarantineCount);
    // What was learned from the quarantine shows in the counts.
    connect(m_quarantine, &QuarantineView::actionFinished, this, &SpamPage::loadStatus);
    m_lists = new SpamListsView(client, this);
    m_lists->setObjectName(QStringLiteral("spamListsView"));
    connect(m_lists, &SpamListsView::problem, this, &Page::problem);
    m_scores = new SpamScoresView(client, this);
    m_scores->setObjectName(QStringLiteral("spamScoresView"));
    connect(m_scores, &SpamScoresView::problem, this, &Page::problem);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("spamTabs"));
    m_tabs->addTab(training, tr("&Training"));
    m_tabs->addTab(m_quarantine, tr("&Quarantine"));
    m_tabs->addTab(m_lists, tr("&Allow and block lists"));
    m_tabs->addTab(m_scores, tr("S&cores"));
    connect(m_tabs, &QTabWidget::currentChanged, this, &SpamPage::tabChanged);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(QStringLiteral("<h2>%1</h2>").arg(tr("Spam filter")), this));
    layout->addWidget(m_tabs, 1);
}

QWidget *SpamPage::buildTraining()
{
    auto *w = new QWidget(this);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    const MessageDrop::Kinds all = MessageDrop::Kind::Stored | MessageDrop::Kind::Files | MessageDrop::Kind::Inline;
    m_spam = new widgets::DropTarget(tr("&Spam"), tr("Drop messages or .eml files here, or click to choose files"), all,
        QColor(0xc5, 0x22, 0x1f), w);
    m_spam->setObjectName(QStringLiteral("spamTarget"));
    m_spam->setAccessibleName(tr("Learn as spam"));
    m_spam->setToolTip(tr("Drop messages that are spam here: from a user's mail window, .eml files from your desktop "
                          "or messages from your mail program. Click (or press Space) to choose .eml files."));
    m_ham = new widgets::DropTarget(tr("&Not spam"), tr("Drop messages or .eml files here, or click to choose files"),
        all, QColor(0x18, 0x80, 0x38), w);
    m_ham->setObjectName(QStringLiteral("hamTarget"));
    m_ham->setAccessibleName(tr("Learn as not spam"));
    m_ham->setToolTip(tr("Drop good mail here (also called ham), so the filter learns what is not spam. Click (or "
                         "press Space) to choose .eml files."));
    for (widgets::DropTarget *t : { m_spam, m_ham }) {
        t->setMinimumHeight(130);
        const bool spam = t == m_spam;
        connect(t, &widgets::DropTarget::dropped, this, [this, spam](const MessageDrop &d) { train(spam, d); });
        connect(t, &widgets::DropTarget::clicked, this, [this, spam] { chooseFilesToTrain(spam); });
    }
    auto *targets = new QHBoxLayout;
    targets->addWidget(m_spam);
    targets->addWidget(m_ham);

    m_progressRow = new QWidget(w);
    m_progressText = new QLabel(m_progressRow);
    m_progressText->setObjectName(QStringLiteral("spamProgressText"));
    m_progress = new QProgressBar(m_progressRow);
    m_progress->setObjectName(QStringLiteral("spamProgress"));
    m_progress->setAccessibleName(tr("Training progress"));
    m_cancel = new QPushButton(tr("Cancel"), m_progressRow);
    m_cancel->setObjectName(QStringLiteral("spamCancel"));
    m_cancel->setToolTip(tr("Stop after the part the engine is learning now. What was learned stays learned."));
    connect(m_cancel, &QPushButton::clicked, this, &SpamPage::cancelTraining);
    auto *progressLayout = new QHBoxLayout(m_progressRow);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    progressLayout->addWidget(m_progressText);
    progressLayout->addWidget(m_progress, 1);
    progressLayout->addWidget(m_cancel);
    m_progressRow->hide();

    m_result = new widgets::Banner(w);
    m_result->setObjectName(QStringLiteral("spamResult"));
    connect(m_result, &widgets::Banner::actionTriggered, m_result, &widgets::Banner::clear);

    layout->addLayout(targets);
    layout->addWidget(m_progressRow);
    layout->addWidget(m_result);
    return w;
}

void SpamPage::showEvent(QShowEvent *event)
{
    Page::showEvent(event);
    reload(); // IMAP moves train the filter while the page is away
}

void SpamPage::reload()
{
    loadStatus();
    tabChanged();
}

void SpamPage::loadStatus()
{
    if (!client().isConnected())
        return;
    client().call(QStringLiteral("spam.status"), {}, [this](const adminclient::Reply &r) {
        if (!r.ok) {
            m_counts->setText(tr("The counts could not be loaded."));
            Q_EMIT problem(tr("The spam filter's state could not be loaded: %1").arg(r.errorMessage));
            return;
        }
        showStatus(r.object());
    });
    // How many wait in quarantine, on its tab even while another one shows.
    if (m_tabs->currentWidget() != m_quarantine)
        client().call(QStringLiteral("spam.quarantine.list"), { { QStringLiteral("limit"), 1 } },
            [this](const adminclient::Reply &r) {
                if (r.ok)
                    quarantineCount(r.object().value(QStringLiteral("total")).toInteger());
            });
}

void SpamPage::showStatus(const QJsonObject &s)
{
    const qint64 spam = s.value(QStringLiteral("spam")).toInteger();
    const qint64 ham = s.value(QStringLiteral("ham")).toInteger();
    m_counts->setText(tr("Trained as spam: %1     Trained as not spam: %2     Tokens: %3")
                          .arg(number(spam), number(ham), number(s.value(QStringLiteral("tokens")).toInteger())));
    if (s.value(QStringLiteral("ready")).toBool()) {
        m_notReady->clear();
    } else {
        const qint64 min = s.value(QStringLiteral("minMessages")).toInteger();
        QStringList needed;
        if (spam < min)
            needed << tr("%1 more spam").arg(number(min - spam));
        if (ham < min)
            needed << tr("%1 more not-spam").arg(number(min - ham));
        m_notReady->show(widgets::Banner::Kind::Warning,
            tr("Bayes is not used yet: train at least %1 spam and %1 ham messages. %2 messages are needed; until then "
               "its verdict is Unsure and it changes nothing for incoming mail.")
                .arg(number(min), needed.join(tr(" and "))));
    }
    Q_EMIT statusShown();
}

void SpamPage::push(const QString &event, const QJsonObject &)
{
    // Quarantined messages wait in the queue; its changes are theirs too.
    if (event == u"queue.changed" && m_tabs->currentWidget() == m_quarantine)
        m_quarantine->queueChanged();
}

void SpamPage::tabChanged()
{
    if (!client().isConnected() || !isVisible())
        return;
    QWidget *tab = m_tabs->currentWidget();
    if (tab == m_quarantine) {
        // Subscribe first, then load: a change in between causes one more
        // reload, never a missed one.
        client().call(QStringLiteral("queue.subscribe"), {}, [this](const adminclient::Reply &r) {
            if (!r.ok)
                Q_EMIT problem(tr("The quarantine will not update by itself: %1 Click Refresh to see new messages.")
                                   .arg(r.errorMessage));
        });
        m_quarantine->reload();
    } else if (tab == m_lists) {
        m_lists->reload();
    } else if (tab == m_scores && !m_scores->model()->hasChanges()) {
        m_scores->reload();
    }
}

void SpamPage::quarantineCount(qint64 total)
{
    const int index = m_tabs->indexOf(m_quarantine);
    m_tabs->setTabText(index, total > 0 ? tr("&Quarantine (%1)").arg(number(total)) : tr("&Quarantine"));
}

void SpamPage::chooseFilesToTrain(bool spam)
{
    if (m_training)
        return;
    const QStringList files = QFileDialog::getOpenFileNames(this,
        spam ? tr("Choose messages to learn as spam") : tr("Choose messages to learn as not spam"), m_lastFolder,
        tr("Mail messages (*.eml);;All files (*)"));
    if (files.isEmpty())
        return;
    m_lastFolder = QFileInfo(files.first()).absolutePath();
    MessageDrop drop;
    drop.paths = files;
    train(spam, drop);
}

void SpamPage::train(bool spam, const MessageDrop &drop)
{
    if (m_training || drop.isEmpty())
        return;
    if (!client().isConnected()) {
        m_result->show(widgets::Banner::Kind::Error,
            tr("The console is not connected to the engine, so nothing was learned. Start the engine or use File > "
               "Connect, then drop the messages again."),
            tr("Dismiss"));
        return;
    }
    auto *training = new SpamTraining(client(), spam, drop, this);
    connect(training, &SpamTraining::progress, this, &SpamPage::showProgress);
    connect(training, &SpamTraining::finished, this, &SpamPage::trained);
    setTraining(training);
    m_result->clear();
    training->start();
}

void SpamPage::cancelTraining()
{
    if (!m_training)
        return;
    m_cancel->setEnabled(false);
    m_progressText->setText(tr("Stopping after the part the engine is learning now…"));
    m_training->cancel();
}

void SpamPage::showProgress(qsizetype done, qsizetype total)
{
    if (!m_training || m_training->isCancelling())
        return;
    if (total == 0) {
        m_progressText->setText(tr("Opening the dropped folders…"));
        m_progress->setRange(0, 0);
        return;
    }
    const bool one = total == 1;
    m_progressText->setText(
        one ? tr("Training 1 message…") : tr("Training %1 of %2 messages…").arg(number(done), number(total)));
    // QProgressBar counts in int; a drop is at most 100,000 files anyway.
    m_progress->setRange(0, int(std::min<qsizetype>(total, INT_MAX)));
    m_progress->setValue(int(std::min<qsizetype>(done, INT_MAX)));
}

void SpamPage::trained(const TrainingResult &r)
{
    const widgets::Banner::Kind kind = !r.error.isEmpty() ? widgets::Banner::Kind::Error
        : (r.cancelled || !r.leftOut.isEmpty())           ? widgets::Banner::Kind::Warning
                                                          : widgets::Banner::Kind::Info;
    m_result->show(kind, describeTraining(r), tr("Dismiss"));
    setTraining(nullptr);
    reload();
    Q_EMIT trainingFinished();
}

void SpamPage::setTraining(SpamTraining *training)
{
    if (m_training)
        m_training->deleteLater(); // it may be emitting right now
    m_training = training;
    const bool busy = training != nullptr;
    m_spam->setEnabled(!busy);
    m_ham->setEnabled(!busy);
    m_cancel->setEnabled(busy);
    m_progressRow->setVisible(busy);
    if (busy) {
        m_progressText->setText(tr("Starting…"));
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
    }
}

} // namespace mailroom::console
