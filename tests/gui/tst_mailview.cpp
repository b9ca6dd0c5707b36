// The per-user mail view against a real engine: three messages reach ann's
// INBOX over SMTP (Python's smtplib, one with an RFC 2047 subject and HTML,
// one with an attachment); "Mailboxes…" on Domains & Users opens her mail;
// the folders, counts, quota bar, message rows (newest first), the viewer's
// headers and text, and the drag payload are checked; an unknown user is
// reported in words. Screenshots are saved as test artifacts.
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QMimeData>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "mail/messageviewer.h"
#include "mainwindow.h"
#include "models/messagelistmodel.h"
#include "models/pagedlistmodel.h"
#include "pages/directorypage.h"
#include "pages/usermailwindow.h"
#include "testengine.h"

using namespace mailroom;

namespace
{
const QString kPassword = QStringLiteral("correct horse battery");
const QString kUser = QStringLiteral("ann@example.com");

// Three messages to ann from outside, in this order, over port 25.
const char *const kSendScript = R"PY(
import smtplib, sys
plain = (b"From: Carol <carol@outside.test>\r\nTo: ann@example.com\r\nSubject: First note\r\n"
         b"Date: Mon, 02 Feb 2026 10:00:00 +0000\r\n\r\nPlain words for Ann.\r\n")
html = (b"From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@outside.test>\r\nTo: ann@example.com\r\n"
        b"Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><body><p>Hello <b>Ann</b> &amp; team</p><p>Second paragraph</p></body></html>\r\n")
mixed = (b"From: dave@outside.test\r\nTo: ann@example.com\r\nSubject: Report attached\r\n"
         b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
         b"--XX\r\nContent-Type: text/plain\r\n\r\nThe report is attached.\r\n"
         b"--XX\r\nContent-Type: application/pdf; name=report.pdf\r\n"
         b"Content-Disposition: attachment; filename=report.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
         b"JVBERi0xLjQKJcOkw7zDtsOfCg==\r\n--XX--\r\n")
for msg in (plain, html, mixed):
    with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=30) as s:
        assert s.sendmail("carol@outside.test", ["ann@example.com"], msg) == {}
)PY";
} // namespace

class TestMailView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void opensTheUsersMail();
    void listsMessagesNewestFirst();
    void viewerShowsHeadersAndText();
    void rowsDragAsMessageReferences();
    void unknownUserIsExplained();

private:
    QJsonObject call(const QString &method, const QJsonObject &params);
    void screenshot(QWidget *widget, const QString &name);
    void selectMessage(int row);

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestEngine> m_engine;
    int m_smtp = 0;
    std::unique_ptr<adminclient::AdminClient> m_client;
    std::unique_ptr<console::MainWindow> m_window;
    QPointer<console::UserMailWindow> m_mail;
};

QJsonObject TestMailView::call(const QString &method, const QJsonObject &params)
{
    bool done = false;
    QJsonObject result;
    m_client->call(method, params, [&](const adminclient::Reply &r) {
        done = true;
        result = r.object();
        if (!r.ok)
            qWarning("%s: %s", qPrintable(method), qPrintable(r.errorMessage));
    });
    if (!QTest::qWaitFor([&] { return done; }, 20000))
        qWarning("%s: no answer from the engine", qPrintable(method));
    return result;
}

void TestMailView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_engine = std::make_unique<testing::TestEngine>(m_dir.path());
    QVERIFY(m_engine->start({ QStringLiteral("smtp") }));
    m_smtp = m_engine->port(QStringLiteral("smtp"));

    m_client = std::make_unique<adminclient::AdminClient>(QStringLiteral("tst_mailview"));
    m_window = std::make_unique<console::MainWindow>(*m_client);
    m_window->show();
    m_window->connectTo(m_engine->socket());
    QTRY_VERIFY_WITH_TIMEOUT(m_client->isConnected(), 10000);
    QVERIFY(call(QStringLiteral("domains.add"), { { QStringLiteral("name"), QStringLiteral("example.com") } })
                .contains(QStringLiteral("domain")));
    QVERIFY(call(QStringLiteral("users.add"),
        { { QStringLiteral("address"), kUser }, { QStringLiteral("password"), kPassword },
            { QStringLiteral("displayName"), QStringLiteral("Ann Example") }, { QStringLiteral("quotaMb"), 10 } })
                .contains(QStringLiteral("user")));

    QProcess smtp;
    smtp.setProcessChannelMode(QProcess::ForwardedChannels);
    smtp.start(
        QStringLiteral("python3"), { QStringLiteral("-c"), QString::fromUtf8(kSendScript), QString::number(m_smtp) });
    QVERIFY(smtp.waitForFinished(60000));
    QCOMPARE(smtp.exitCode(), 0);
    // Delivery runs on the queue thread; wait until all three are filed.
    auto inbox = [this] {
        const QJsonObject r = call(QStringLiteral("mailboxes.list"), { { QStringLiteral("user"), kUser } });
        for (const QJsonValue &m : r.value(QStringLiteral("items")).toArray())
            if (m.toObject().value(QStringLiteral("name")).toString() == u"INBOX")
                return m.toObject().value(QStringLiteral("messages")).toInteger();
        return qint64(-1);
    };
    QTRY_COMPARE_WITH_TIMEOUT(inbox(), qint64(3), 30000);
}

void TestMailView::cleanupTestCase()
{
    delete m_mail;
    m_window.reset();
    m_client.reset();
    m_engine.reset();
}

void TestMailView::screenshot(QWidget *widget, const QString &name)
{
    QDir().mkpath(QStringLiteral(ARTIFACT_DIR));
    const QString path = QStringLiteral(ARTIFACT_DIR) + u'/' + name;
    QVERIFY(widget->grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

void TestMailView::opensTheUsersMail()
{
    console::DirectoryPage *page = m_window->directoryPage();
    m_window->showPage(page->title());
    page->reload();
    widgets::PagedListModel *users = page->usersModel();
    QTRY_COMPARE_WITH_TIMEOUT(users->rowCount(), 1, 10000);
    QCOMPARE(users->rowObject(0).value(QStringLiteral("address")).toString(), kUser);
    auto *view = page->findChild<QTableView *>(QStringLiteral("userTable"));
    QVERIFY(view);
    view->selectRow(0);
    auto *button = page->findChild<QPushButton *>(QStringLiteral("mailboxesButton"));
    QVERIFY(button && button->isVisible());
    QTest::mouseClick(button, Qt::LeftButton);
    m_mail = page->mailWindow(kUser);
    QVERIFY(m_mail);
    QTRY_VERIFY_WITH_TIMEOUT(m_mail->isVisible(), 5000);
    QVERIFY(m_mail->windowTitle().contains(kUser));

    // The six default folders; INBOX holds the three new messages, all unread.
    widgets::PagedListModel *folders = m_mail->folders();
    QTRY_COMPARE_WITH_TIMEOUT(folders->rowCount(), 6, 10000);
    int inbox = -1;
    for (int row = 0; row < folders->rowCount(); ++row)
        if (folders->rowObject(row).value(QStringLiteral("name")).toString() == u"INBOX")
            inbox = row;
    QVERIFY(inbox >= 0);
    QCOMPARE(folders->index(inbox, 1).data().toString(), QStringLiteral("3"));
    QCOMPARE(folders->index(inbox, 2).data().toString(), QStringLiteral("3"));
    QVERIFY(folders->rowObject(inbox).value(QStringLiteral("bytes")).toInteger() > 0);
    for (int row = 0; row < folders->rowCount(); ++row)
        if (row != inbox)
            QCOMPARE(folders->index(row, 1).data().toString(), QStringLiteral("0"));
    // 10 MiB quota: "… of 10 MB used", not "no limit".
    QTRY_VERIFY_WITH_TIMEOUT(m_mail->quotaBar()->text().contains(QStringLiteral(" used")), 5000);
    QVERIFY2(m_mail->quotaBar()->text().contains(QStringLiteral(" of ")), qPrintable(m_mail->quotaBar()->text()));
    QVERIFY(!m_mail->quotaBar()->text().contains(QStringLiteral("no limit")));
    QVERIFY(m_mail->quotaBar()->maximum() == 1000);
    QVERIFY(!m_mail->notice()->isVisible());
}

void TestMailView::listsMessagesNewestFirst()
{
    QVERIFY(m_mail);
    // INBOX is chosen by itself.
    widgets::MessageListModel *messages = m_mail->messages();
    QTRY_COMPARE_WITH_TIMEOUT(messages->rowCount(), 3, 10000);
    QCOMPARE(messages->mailbox(), QStringLiteral("INBOX"));
    QCOMPARE(messages->total(), qint64(3));
    QCOMPARE(messages->index(0, 2).data().toString(), QStringLiteral("Report attached"));
    QCOMPARE(messages->index(1, 2).data().toString(), QStringLiteral("Grüße aus Köln"));
    QCOMPARE(messages->index(2, 2).data().toString(), QStringLiteral("First note"));
    QVERIFY(messages->index(1, 1).data().toString().contains(QStringLiteral("Jürgen")));
    QVERIFY(messages->uidAt(0) > messages->uidAt(1) && messages->uidAt(1) > messages->uidAt(2));
    QVERIFY(!messages->index(0, 3).data().toString().isEmpty()); // size
    QVERIFY(!messages->index(0, 0).data().toString().isEmpty()); // date
    QVERIFY(messages->index(0, 0).data(Qt::FontRole).value<QFont>().bold()); // unread
    auto *count = m_mail->findChild<QLabel *>(QStringLiteral("messageCount"));
    QVERIFY(count->text().contains(QStringLiteral("3 messages")));
}

void TestMailView::selectMessage(int row)
{
    m_mail->messageView()->selectRow(row);
    const qint64 uid = m_mail->messages()->uidAt(row);
    QTRY_COMPARE_WITH_TIMEOUT(m_mail->viewer()->uid(), uid, 10000);
}

void TestMailView::viewerShowsHeadersAndText()
{
    QVERIFY(m_mail);
    widgets::MessageViewer *viewer = m_mail->viewer();
    selectMessage(1);
    QVERIFY2(viewer->headerText().contains(QStringLiteral("Grüße aus Köln")), qPrintable(viewer->headerText()));
    QVERIFY(viewer->headerText().contains(QStringLiteral("Jürgen <juergen@outside.test>")));
    QVERIFY(viewer->headerText().contains(QStringLiteral("ann@example.com")));
    // HTML turned into text: no tags, entities decoded, paragraphs on lines.
    QVERIFY2(viewer->bodyText().contains(QStringLiteral("Hello Ann & team")), qPrintable(viewer->bodyText()));
    QVERIFY(viewer->bodyText().contains(QStringLiteral("Second paragraph")));
    QVERIFY(!viewer->bodyText().contains(QLatin1Char('<')));

    selectMessage(0);
    QVERIFY(viewer->bodyText().contains(QStringLiteral("The report is attached.")));
    auto *attachments = viewer->findChild<QLabel *>(QStringLiteral("messageAttachments"));
    QVERIFY(attachments && attachments->isVisible());
    QVERIFY2(attachments->text().contains(QStringLiteral("report.pdf")), qPrintable(attachments->text()));
    QVERIFY(attachments->text().contains(QStringLiteral("application/pdf")));

    selectMessage(2);
    QVERIFY(viewer->bodyText().contains(QStringLiteral("Plain words for Ann.")));
    QVERIFY(viewer->headerText().contains(QStringLiteral("Carol <carol@outside.test>")));
    QVERIFY(viewer->headerText().contains(QStringLiteral("First note")));
    // Reading through the admin socket does not mark the message seen.
    QVERIFY(m_mail->messages()->index(2, 0).data(Qt::FontRole).value<QFont>().bold());

    selectMessage(1);
    QTest::qWait(300); // let the views paint
    screenshot(m_mail, QStringLiteral("user-mail.png"));
    screenshot(m_window.get(), QStringLiteral("directory-users.png"));
}

void TestMailView::rowsDragAsMessageReferences()
{
    QVERIFY(m_mail);
    widgets::MessageListModel *messages = m_mail->messages();
    const QModelIndex first = messages->index(0, 0);
    QVERIFY(messages->flags(first) & Qt::ItemIsDragEnabled);
    QCOMPARE(messages->mimeTypes(), QStringList { QStringLiteral("application/x-mailroom-message") });
    QVERIFY(messages->supportedDragActions() & Qt::CopyAction);
    // Two cells of row 2 and one of row 0: one entry per row, in row order.
    std::unique_ptr<QMimeData> mime(
        messages->mimeData({ messages->index(2, 1), messages->index(0, 2), messages->index(2, 3) }));
    QVERIFY(mime);
    const QJsonArray items
        = QJsonDocument::fromJson(mime->data(QStringLiteral("application/x-mailroom-message"))).array();
    QCOMPARE(items.size(), 2);
    for (int i = 0; i < 2; ++i) {
        const QJsonObject o = items.at(i).toObject();
        QCOMPARE(o.value(QStringLiteral("user")).toString(), kUser);
        QCOMPARE(o.value(QStringLiteral("mailbox")).toString(), QStringLiteral("INBOX"));
        QCOMPARE(o.value(QStringLiteral("uid")).toInteger(), messages->uidAt(i == 0 ? 0 : 2));
    }
    QVERIFY(m_mail->messageView()->dragEnabled());
    QCOMPARE(m_mail->messageView()->selectionMode(), QAbstractItemView::ExtendedSelection);
}

void TestMailView::unknownUserIsExplained()
{
    console::UserMailWindow window(*m_client, QStringLiteral("nobody@example.com"));
    window.show();
    window.reload();
    QTRY_VERIFY_WITH_TIMEOUT(window.notice()->isVisible(), 10000);
    const QString text = window.notice()->text();
    QVERIFY2(text.contains(QStringLiteral("There is no user nobody@example.com")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Domains & Users")), qPrintable(text)); // where to look
    QCOMPARE(window.folders()->rowCount(), 0);
    QTest::qWait(200);
    screenshot(&window, QStringLiteral("user-mail-unknown.png"));
}

QTEST_MAIN(TestMailView)
#include "tst_mailview.moc"
