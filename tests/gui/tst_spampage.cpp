// The console's Spam page against a real engine, driven the way a user
// drags: two spam .eml files dropped on "Spam" (text/uri-list) are learned,
// which a separate admin connection confirms with spam.status; the same
// files again are "known already"; one of them on "Not spam" moves; a
// message from ann's INBOX dragged from the console's message list
// (application/x-mailroom-message) is learned; a message from a mail program
// (message/rfc822) is learned; text is refused; a file that is no message is
// named; 3,000 files go in parts with progress and Cancel while the window
// keeps answering; the Check area shows a verdict; Space on "Not spam"
// opens the file dialog. Screenshots are saved as test artifacts.
#include <QApplication>
#include <QDir>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMimeData>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
#include <QUrl>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "common/droptarget.h"
#include "mainwindow.h"
#include "pages/spamcheck.h"
#include "pages/spampage.h"
#include "testengine.h"

using namespace mailroom;

namespace
{
const QString kUser = QStringLiteral("ann@example.com");

const char *const kSendScript = R"PY(
import smtplib, sys
msg = (b"From: Carol <carol@outside.test>\r\nTo: ann@example.com\r\nSubject: Lunch on Friday\r\n"
       b"Date: Mon, 02 Feb 2026 10:00:00 +0000\r\n\r\nShall we meet at noon by the fountain?\r\n")
with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=30) as s:
    assert s.sendmail("carol@outside.test", ["ann@example.com"], msg) == {}
)PY";

QByteArray spamMessage(int n)
{
    return QStringLiteral("From: \"Prize Office\" <winner%1@lottery.example>\r\n"
                          "To: ann@example.com\r\nSubject: YOU HAVE WON %1000 DOLLARS\r\n"
                          "Date: Tue, 03 Feb 2026 08:00:00 +0000\r\n\r\n"
                          "Claim your prize number %1 now: send your bank details to http://claim%1.example/win\r\n")
        .arg(n)
        .toUtf8();
}

QString countsText(int spam, int ham)
{
    return QStringLiteral("Trained as spam: %1     Trained as not spam: %2")
        .arg(QLocale().toString(spam), QLocale().toString(ham));
}
} // namespace

class TestSpamPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void showsCountsAndWarning();
    void dropOfFilesTrainsSpam();
    void sameFilesAgainAreKnown();
    void fileOnNotSpamMoves();
    void storedMessageTrains();
    void mailProgramMessageTrains();
    void otherDataIsRefused();
    void fileThatIsNoMessageIsNamed();
    void largeDropShowsProgressAndCancels();
    void checkShowsTheVerdict();
    void keyboardChoosesFiles();

private:
    QJsonObject call(adminclient::AdminClient &client, const QString &method, const QJsonObject &params);
    QJsonObject status(); // spam.status over the separate connection
    // Sends drag-enter, then drop; true when both were accepted.
    bool dragAndDrop(QWidget *target, const QMimeData &mime, bool *highlighted = nullptr);
    QMimeData *files(const QStringList &paths);
    QString waitForResult();
    void screenshot(QWidget *widget, const QString &name);

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestEngine> m_engine;
    QStringList m_spamFiles;
    std::unique_ptr<adminclient::AdminClient> m_client;
    std::unique_ptr<adminclient::AdminClient> m_checker; // a second admin connection, as mailroomctl would be
    std::unique_ptr<console::MainWindow> m_window;
    console::SpamPage *m_page = nullptr;
    widgets::Banner *m_result = nullptr;
    QLabel *m_counts = nullptr;
};

QJsonObject TestSpamPage::call(adminclient::AdminClient &client, const QString &method, const QJsonObject &params)
{
    bool done = false;
    QJsonObject result;
    client.call(method, params, [&](const adminclient::Reply &r) {
        done = true;
        result = r.object();
        if (!r.ok)
            qWarning("%s: %s", qPrintable(method), qPrintable(r.errorMessage));
    });
    if (!QTest::qWaitFor([&] { return done; }, 20000))
        qWarning("%s: no answer from the engine", qPrintable(method));
    return result;
}

QJsonObject TestSpamPage::status()
{
    return call(*m_checker, QStringLiteral("spam.status"), {});
}

void TestSpamPage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_engine = std::make_unique<testing::TestEngine>(m_dir.path());
    QVERIFY(m_engine->start({ QStringLiteral("smtp") }));
    const int smtp = m_engine->port(QStringLiteral("smtp"));

    m_client = std::make_unique<adminclient::AdminClient>(QStringLiteral("tst_spampage"));
    m_window = std::make_unique<console::MainWindow>(*m_client);
    m_window->show();
    m_window->connectTo(m_engine->socket());
    QTRY_VERIFY_WITH_TIMEOUT(m_client->isConnected(), 10000);
    m_checker = std::make_unique<adminclient::AdminClient>(QStringLiteral("tst_spampage checker"));
    m_checker->connectToEngine(m_engine->socket());
    QTRY_VERIFY_WITH_TIMEOUT(m_checker->isConnected(), 10000);

    QVERIFY(
        call(*m_client, QStringLiteral("domains.add"), { { QStringLiteral("name"), QStringLiteral("example.com") } })
            .contains(QStringLiteral("domain")));
    QVERIFY(call(*m_client, QStringLiteral("users.add"),
        { { QStringLiteral("address"), kUser }, { QStringLiteral("password"), QStringLiteral("correct horse") } })
                .contains(QStringLiteral("user")));
    QProcess sender;
    sender.setProcessChannelMode(QProcess::ForwardedChannels);
    sender.start(
        QStringLiteral("python3"), { QStringLiteral("-c"), QString::fromUtf8(kSendScript), QString::number(smtp) });
    QVERIFY(sender.waitForFinished(60000));
    QCOMPARE(sender.exitCode(), 0);

    QDir().mkpath(m_dir.filePath(QStringLiteral("eml")));
    for (int i = 1; i <= 2; ++i) {
        const QString path = m_dir.filePath(QStringLiteral("eml/prize-%1.eml").arg(i));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(spamMessage(i));
        m_spamFiles << path;
    }

    m_page = m_window->spamPage();
    QVERIFY(m_page);
    m_window->showPage(m_page->title());
    QVERIFY(m_page->isVisible());
    m_result = m_page->findChild<widgets::Banner *>(QStringLiteral("spamResult"));
    m_counts = m_page->findChild<QLabel *>(QStringLiteral("spamCounts"));
    QVERIFY(m_result && m_counts);
}

void TestSpamPage::cleanupTestCase()
{
    m_window.reset();
    m_client.reset();
    m_checker.reset();
    m_engine.reset();
}

void TestSpamPage::screenshot(QWidget *widget, const QString &name)
{
    QDir().mkpath(QStringLiteral(ARTIFACT_DIR));
    const QString path = QStringLiteral(ARTIFACT_DIR) + u'/' + name;
    QVERIFY(widget->grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

bool TestSpamPage::dragAndDrop(QWidget *target, const QMimeData &mime, bool *highlighted)
{
    const QPoint at = target->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction | Qt::MoveAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QDragMoveEvent move(at, Qt::CopyAction | Qt::MoveAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &move);
    if (highlighted)
        *highlighted = static_cast<widgets::DropTarget *>(target)->isHighlighted();
    QDropEvent drop(QPointF(at), Qt::CopyAction | Qt::MoveAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    return enter.isAccepted() && move.isAccepted() && drop.isAccepted() && drop.dropAction() == Qt::CopyAction;
}

QMimeData *TestSpamPage::files(const QStringList &paths)
{
    auto *mime = new QMimeData;
    QList<QUrl> urls;
    for (const QString &p : paths)
        urls << QUrl::fromLocalFile(p);
    mime->setUrls(urls);
    return mime;
}

QString TestSpamPage::waitForResult()
{
    if (!QTest::qWaitFor([this] { return !m_page->isTraining() && m_result->isVisible(); }, 60000))
        return QStringLiteral("(no result after a minute)");
    return m_result->text();
}

void TestSpamPage::showsCountsAndWarning()
{
    QTRY_VERIFY_WITH_TIMEOUT(m_counts->text().startsWith(countsText(0, 0)), 10000);
    QVERIFY2(m_counts->text().contains(QStringLiteral("Tokens: 0")), qPrintable(m_counts->text()));
    auto *warning = m_page->findChild<widgets::Banner *>(QStringLiteral("spamNotReady"));
    QVERIFY(warning && warning->isVisible());
    QVERIFY2(warning->text().startsWith(
                 QStringLiteral("Bayes is not used yet: train at least 10 spam and 10 ham messages.")),
        qPrintable(warning->text()));
    // Both targets can be reached with the keyboard and say what they do.
    for (widgets::DropTarget *t : { m_page->spamTarget(), m_page->hamTarget() }) {
        QVERIFY(t->isVisible() && t->isEnabled());
        QCOMPARE(t->focusPolicy(), Qt::StrongFocus);
        QVERIFY(!t->toolTip().isEmpty());
        QVERIFY(!t->accessibleName().isEmpty());
    }
    QVERIFY(m_page->spamTarget()->text().startsWith(QStringLiteral("&Spam")));
    QVERIFY(m_page->hamTarget()->text().startsWith(QStringLiteral("&Not spam")));
}

void TestSpamPage::dropOfFilesTrainsSpam()
{
    std::unique_ptr<QMimeData> mime(files(m_spamFiles));
    bool highlighted = false;
    QVERIFY(dragAndDrop(m_page->spamTarget(), *mime, &highlighted));
    QVERIFY(highlighted); // it lit up while the files hovered
    QVERIFY(!m_page->spamTarget()->isHighlighted()); // and not after the drop
    QCOMPARE(
        waitForResult(), QStringLiteral("Learned 2 messages as spam: 2 new, 0 moved from not spam, 0 known already."));
    const QJsonObject s = status();
    QCOMPARE(s.value(QStringLiteral("spam")).toInteger(), qint64(2));
    QCOMPARE(s.value(QStringLiteral("ham")).toInteger(), qint64(0));
    QVERIFY(s.value(QStringLiteral("tokens")).toInteger() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_counts->text().startsWith(countsText(2, 0)), 10000);
    QVERIFY(!m_counts->text().contains(QStringLiteral("Tokens: 0")));
    QTest::qWait(200);
    screenshot(m_window.get(), QStringLiteral("spam.png"));
}

void TestSpamPage::sameFilesAgainAreKnown()
{
    std::unique_ptr<QMimeData> mime(files(m_spamFiles));
    QVERIFY(dragAndDrop(m_page->spamTarget(), *mime));
    QCOMPARE(
        waitForResult(), QStringLiteral("Learned 2 messages as spam: 0 new, 0 moved from not spam, 2 known already."));
    QCOMPARE(status().value(QStringLiteral("spam")).toInteger(), qint64(2));
}

void TestSpamPage::fileOnNotSpamMoves()
{
    std::unique_ptr<QMimeData> mime(files({ m_spamFiles.first() }));
    QVERIFY(dragAndDrop(m_page->hamTarget(), *mime));
    QCOMPARE(
        waitForResult(), QStringLiteral("Learned 1 message as not spam: 0 new, 1 moved from spam, 0 known already."));
    const QJsonObject s = status();
    QCOMPARE(s.value(QStringLiteral("spam")).toInteger(), qint64(1));
    QCOMPARE(s.value(QStringLiteral("ham")).toInteger(), qint64(1));
    QTRY_VERIFY_WITH_TIMEOUT(m_counts->text().startsWith(countsText(1, 1)), 10000);
}

void TestSpamPage::storedMessageTrains()
{
    // Delivery runs on the queue thread; wait until the message is filed.
    QJsonArray items;
    QTRY_VERIFY_WITH_TIMEOUT(
        (items = call(*m_checker, QStringLiteral("messages.list"),
             { { QStringLiteral("user"), kUser }, { QStringLiteral("mailbox"), QStringLiteral("INBOX") } })
                     .value(QStringLiteral("items"))
                     .toArray())
                .size()
            == 1,
        30000);
    const qint64 uid = items.first().toObject().value(QStringLiteral("uid")).toInteger();
    QVERIFY(uid > 0);
    // What the console's message list puts on the drag (MessageListModel).
    QMimeData mime;
    mime.setData(QStringLiteral("application/x-mailroom-message"),
        QJsonDocument(QJsonArray { QJsonObject { { QStringLiteral("user"), kUser },
                          { QStringLiteral("mailbox"), QStringLiteral("INBOX") }, { QStringLiteral("uid"), uid } } })
            .toJson(QJsonDocument::Compact));
    QVERIFY(dragAndDrop(m_page->spamTarget(), mime));
    QCOMPARE(
        waitForResult(), QStringLiteral("Learned 1 message as spam: 1 new, 0 moved from not spam, 0 known already."));
    QCOMPARE(status().value(QStringLiteral("spam")).toInteger(), qint64(2));

    // A message that is gone: the engine's sentence says what to do.
    mime.setData(QStringLiteral("application/x-mailroom-message"),
        QJsonDocument(QJsonArray { QJsonObject { { QStringLiteral("user"), kUser },
                          { QStringLiteral("mailbox"), QStringLiteral("INBOX") }, { QStringLiteral("uid"), 9999 } } })
            .toJson(QJsonDocument::Compact));
    QVERIFY(dragAndDrop(m_page->spamTarget(), mime));
    const QString text = waitForResult();
    QVERIFY2(text.startsWith(QStringLiteral("Training stopped: ")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("drop them again")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Nothing of this drop was learned.")), qPrintable(text));
    QCOMPARE(status().value(QStringLiteral("spam")).toInteger(), qint64(2));
}

void TestSpamPage::mailProgramMessageTrains()
{
    QMimeData mime;
    mime.setData(QStringLiteral("message/rfc822"), spamMessage(3));
    QVERIFY(dragAndDrop(m_page->spamTarget(), mime));
    QCOMPARE(
        waitForResult(), QStringLiteral("Learned 1 message as spam: 1 new, 0 moved from not spam, 0 known already."));
    QCOMPARE(status().value(QStringLiteral("spam")).toInteger(), qint64(3));
    QTRY_VERIFY_WITH_TIMEOUT(m_counts->text().startsWith(countsText(3, 1)), 10000);
}

void TestSpamPage::otherDataIsRefused()
{
    const QString before = m_result->text();
    QMimeData text;
    text.setText(QStringLiteral("Buy cheap watches"));
    QMimeData web;
    web.setUrls({ QUrl(QStringLiteral("https://example.com/message.eml")) });
    for (const QMimeData *mime : { &text, &web }) {
        for (widgets::DropTarget *t : { m_page->spamTarget(), m_page->hamTarget(), m_page->check()->dropTarget() }) {
            bool highlighted = true;
            QVERIFY(!dragAndDrop(t, *mime, &highlighted));
            QVERIFY(!highlighted);
        }
    }
    QVERIFY(!m_page->isTraining());
    QCOMPARE(m_result->text(), before);
    QCOMPARE(status().value(QStringLiteral("spam")).toInteger(), qint64(3));
}

void TestSpamPage::fileThatIsNoMessageIsNamed()
{
    const QString path = m_dir.filePath(QStringLiteral("notes.txt"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("just some words, not a message\n");
    f.close();
    std::unique_ptr<QMimeData> mime(files({ path }));
    QVERIFY(dragAndDrop(m_page->hamTarget(), *mime));
    const QString text = waitForResult();
    QVERIFY2(text.startsWith(QStringLiteral("Nothing was learned. 1 file was left out: ")), qPrintable(text));
    QVERIFY2(text.contains(QDir::toNativeSeparators(path) + QStringLiteral(" does not look like a mail message.")),
        qPrintable(text));
    QCOMPARE(status().value(QStringLiteral("ham")).toInteger(), qint64(1));
}

void TestSpamPage::largeDropShowsProgressAndCancels()
{
    const QString folder = m_dir.filePath(QStringLiteral("many"));
    QVERIFY(QDir().mkpath(folder));
    QStringList paths;
    for (int i = 0; i < 3000; ++i) {
        const QString path = folder + QStringLiteral("/good-%1.eml").arg(i, 4, 10, QLatin1Char('0'));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("From: colleague%1@partner.example\r\nTo: ann@example.com\r\nSubject: Minutes %1\r\n"
                               "\r\nThe minutes of meeting %1 are attached; item %1 is open.\r\n")
                    .arg(i)
                    .toUtf8());
        paths << path;
    }
    // The window must keep answering while files are read and sent.
    QElapsedTimer clock;
    qint64 last = 0, longestPause = 0;
    QTimer tick;
    tick.setInterval(10);
    connect(&tick, &QTimer::timeout, this, [&] {
        const qint64 now = clock.elapsed();
        longestPause = std::max(longestPause, now - last);
        last = now;
    });
    std::unique_ptr<QMimeData> mime(files(paths));
    clock.start();
    tick.start();
    QVERIFY(dragAndDrop(m_page->hamTarget(), *mime));
    QVERIFY(m_page->isTraining());
    auto *progress = m_page->findChild<QProgressBar *>(QStringLiteral("spamProgress"));
    auto *progressText = m_page->findChild<QLabel *>(QStringLiteral("spamProgressText"));
    auto *cancel = m_page->findChild<QPushButton *>(QStringLiteral("spamCancel"));
    QVERIFY(progress && progressText && cancel);
    QVERIFY(progress->isVisible() && cancel->isVisible() && cancel->isEnabled());
    // Dropping more while it trains is refused.
    QVERIFY(!dragAndDrop(m_page->spamTarget(), *mime));
    QTRY_VERIFY_WITH_TIMEOUT(progress->value() >= 400, 60000);
    const QString shown = progressText->text();
    QVERIFY2(shown.startsWith(QStringLiteral("Training ")), qPrintable(shown));
    QVERIFY2(shown.endsWith(QStringLiteral(" of %1 messages…").arg(QLocale().toString(3000))), qPrintable(shown));
    QCOMPARE(progress->maximum(), 3000);
    QTest::qWait(100);
    screenshot(m_window.get(), QStringLiteral("spam-progress.png"));
    QTest::mouseClick(cancel, Qt::LeftButton);
    const QString text = waitForResult();
    tick.stop();
    QVERIFY2(longestPause < 1500, qPrintable(QString::number(longestPause)));
    QVERIFY(!progress->isVisible());

    // What the engine learned is exactly what the page says.
    const qint64 learned = status().value(QStringLiteral("ham")).toInteger() - 1;
    QVERIFY2(learned >= 400 && learned < 3000, qPrintable(text));
    QCOMPARE(text,
        QStringLiteral(
            "Stopped as you asked, after %1 of %2 messages. Learned %1 messages as not spam: %1 new, 0 moved "
            "from spam, 0 known already.")
            .arg(QLocale().toString(learned), QLocale().toString(3000)));
    QTRY_VERIFY_WITH_TIMEOUT(m_counts->text().startsWith(countsText(3, int(learned) + 1)), 10000);
    QVERIFY(m_page->spamTarget()->isEnabled() && m_page->hamTarget()->isEnabled());
}

void TestSpamPage::checkShowsTheVerdict()
{
    console::SpamCheck *check = m_page->check();
    std::unique_ptr<QMimeData> mime(files({ m_spamFiles.last() }));
    QSignalSpy checked(check, &console::SpamCheck::checked);
    QVERIFY(dragAndDrop(check->dropTarget(), *mime));
    QVERIFY(checked.wait(20000));
    QTreeWidget *results = check->results();
    QVERIFY(results->isVisible());
    QCOMPARE(results->topLevelItemCount(), 1);
    QTreeWidgetItem *row = results->topLevelItem(0);
    QCOMPARE(row->text(0), QStringLiteral("prize-2.eml"));
    const QStringList verdicts { QStringLiteral("Spam"), QStringLiteral("Not spam"), QStringLiteral("Unsure") };
    QVERIFY2(verdicts.contains(row->text(1)), qPrintable(row->text(1)));
    // Not enough spam learned yet (3 of 10): Bayes does not count.
    QCOMPARE(row->text(3), QStringLiteral("not used yet"));
    QVERIFY2(check->summary().startsWith(QStringLiteral("Checked 1 message in ")), qPrintable(check->summary()));
    QVERIFY2(check->summary().contains(QStringLiteral("Bayes is not used yet")), qPrintable(check->summary()));
    // Checking learns nothing.
    QCOMPARE(status().value(QStringLiteral("spam")).toInteger(), qint64(3));
    QTest::qWait(200);
    screenshot(m_window.get(), QStringLiteral("spam-check.png"));
}

void TestSpamPage::keyboardChoosesFiles()
{
    const QString path = m_dir.filePath(QStringLiteral("eml/agenda.eml"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("From: bob@partner.example\r\nTo: ann@example.com\r\nSubject: Agenda for Monday\r\n\r\nSee you then.\r\n");
    f.close();
    // Space on the focused target opens the file dialog; choose the file there.
    bool dialogSeen = false;
    QTimer poll;
    poll.setInterval(100);
    connect(&poll, &QTimer::timeout, this, [&] {
        QFileDialog *dialog = nullptr;
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *d = qobject_cast<QFileDialog *>(w); d && d->isVisible())
                dialog = d;
        if (!dialog)
            return;
        poll.stop();
        dialogSeen = true;
        dialog->setDirectory(QFileInfo(path).absolutePath());
        // Type the name as a user would: selectFile() leaves the name field
        // alone while it has the focus, which depends on the window manager.
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
        if (name)
            name->setText(QFileInfo(path).fileName());
        if (dialog->selectedFiles() == QStringList { path }) {
            QMetaObject::invokeMethod(dialog, "accept"); // QFileDialog::accept() is protected
        } else {
            // accept() on a missing file opens a modal message box; never
            // leave the test waiting on one.
            qWarning("the dialog selected %s", qPrintable(dialog->selectedFiles().join(u',')));
        }
        if (dialog->isVisible())
            dialog->reject();
    });
    poll.start();
    m_page->hamTarget()->setFocus();
    QTest::keyClick(m_page->hamTarget(), Qt::Key_Space);
    QVERIFY(dialogSeen);
    QCOMPARE(
        waitForResult(), QStringLiteral("Learned 1 message as not spam: 1 new, 0 moved from spam, 0 known already."));
}

QTEST_MAIN(TestSpamPage)
#include "tst_spampage.moc"
