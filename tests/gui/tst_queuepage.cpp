// The console's Queue page against a real engine: a message to a domain
// whose DNS never answers stays deferred; the page lists it, shows its
// recipient and history, holds it with the Hold button (the list follows
// the engine's queue.changed push) and saves screenshots as test artifacts.
#include <QDir>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "mainwindow.h"
#include "models/pagedlistmodel.h"
#include "pages/queuedetails.h"
#include "pages/queuepage.h"
#include "testengine.h"

using namespace mailroom;

namespace
{
const QString kPassword = QStringLiteral("correct horse battery");

} // namespace

class TestQueuePage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void showsTheDeferredMessage();
    void holdButtonHoldsIt();

private:
    bool call(const QString &method, const QJsonObject &params);
    void screenshot(const QString &name);

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestEngine> m_engine;
    int m_submission = 0;
    std::unique_ptr<adminclient::AdminClient> m_client;
    std::unique_ptr<console::MainWindow> m_window;
};

bool TestQueuePage::call(const QString &method, const QJsonObject &params)
{
    bool done = false, ok = false;
    m_client->call(method, params, [&](const adminclient::Reply &r) {
        done = true;
        ok = r.ok;
        if (!r.ok)
            qWarning("%s: %s", qPrintable(method), qPrintable(r.errorMessage));
    });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 20000); }();
    return ok;
}

void TestQueuePage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_engine = std::make_unique<testing::TestEngine>(m_dir.path());
    QVERIFY(m_engine->start({ QStringLiteral("submission") },
        { QStringLiteral("auth.failure_delay_ms=0"), QStringLiteral("queue.retry_first_secs=60"),
            QStringLiteral("queue.retry_max_secs=60") }));
    m_submission = m_engine->port(QStringLiteral("submission"));

    m_client = std::make_unique<adminclient::AdminClient>(QStringLiteral("tst_queuepage"));
    m_window = std::make_unique<console::MainWindow>(*m_client);
    m_window->show();
    m_window->connectTo(m_engine->socket());
    QTRY_VERIFY_WITH_TIMEOUT(m_client->isConnected(), 10000);
    QVERIFY(call(QStringLiteral("domains.add"), { { QStringLiteral("name"), QStringLiteral("example.com") } }));
    QVERIFY(call(QStringLiteral("users.add"),
        { { QStringLiteral("address"), QStringLiteral("ann@example.com") },
            { QStringLiteral("password"), kPassword } }));

    // Submit one message as ann, the way a mail program does (STARTTLS, AUTH).
    QProcess smtp;
    smtp.setProcessChannelMode(QProcess::ForwardedChannels);
    smtp.start(QStringLiteral("python3"),
        { QStringLiteral("-c"),
            QStringLiteral("import smtplib, ssl, sys\n"
                           "ctx = ssl.create_default_context(); ctx.check_hostname = False\n"
                           "ctx.verify_mode = ssl.CERT_NONE\n"
                           "s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=30); s.starttls(context=ctx)\n"
                           "s.login('ann@example.com', sys.argv[2])\n"
                           "s.sendmail('ann@example.com', ['someone@remote.test'], b'From: ann@example.com\\r\\n"
                           "To: someone@remote.test\\r\\nSubject: Quarterly report\\r\\n\\r\\nHello.\\r\\n')\n"
                           "s.quit()\n"),
            QString::number(m_submission), kPassword });
    QVERIFY(smtp.waitForFinished(60000));
    QCOMPARE(smtp.exitCode(), 0);
}

void TestQueuePage::cleanupTestCase()
{
    m_window.reset();
    m_client.reset();
    m_engine.reset();
}

void TestQueuePage::screenshot(const QString &name)
{
    QDir().mkpath(QStringLiteral(ARTIFACT_DIR));
    const QString path = QStringLiteral(ARTIFACT_DIR) + u'/' + name;
    QVERIFY(m_window->grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

void TestQueuePage::showsTheDeferredMessage()
{
    console::QueuePage *page = m_window->queuePage();
    m_window->showPage(page->title());
    widgets::PagedListModel *model = page->model();
    // The page follows queue.changed pushes: no reload is asked for here.
    auto state = [model] {
        return model->rowCount() == 1 ? model->rowObject(0).value(QStringLiteral("state")).toString() : QString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(state(), QStringLiteral("deferred"), 30000);
    QCOMPARE(model->rowObject(0).value(QStringLiteral("subject")).toString(), QStringLiteral("Quarterly report"));
    QCOMPARE(model->index(0, 1).data().toString(), QStringLiteral("Waiting to retry"));

    page->view()->selectRow(0);
    QTableWidget *recipients = page->details()->recipients();
    QTRY_COMPARE_WITH_TIMEOUT(recipients->rowCount(), 1, 10000);
    QCOMPARE(recipients->item(0, 0)->text(), QStringLiteral("someone@remote.test"));
    QVERIFY(!recipients->item(0, 5)->text().isEmpty()); // why it waits
    QVERIFY(page->findChild<QLabel *>(QStringLiteral("queueCount"))->text().contains(QStringLiteral("1 message")));
    QTest::qWait(300); // let the view paint
    screenshot(QStringLiteral("queue.png"));
}

void TestQueuePage::holdButtonHoldsIt()
{
    console::QueuePage *page = m_window->queuePage();
    widgets::PagedListModel *model = page->model();
    auto *hold = page->findChild<QPushButton *>(QStringLiteral("queueHold"));
    QVERIFY(hold && hold->isEnabled());
    QTest::mouseClick(hold, Qt::LeftButton);
    auto *notice = page->findChild<widgets::Banner *>(QStringLiteral("queueNotice"));
    QTRY_VERIFY_WITH_TIMEOUT(notice->text().contains(QStringLiteral("1 message put on hold")), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(
        model->rowCount() == 1 ? model->rowObject(0).value(QStringLiteral("state")).toString() : QString(),
        QStringLiteral("held"), 10000);
    // The selection survives the reload, so the details show the held recipient.
    QTRY_COMPARE_WITH_TIMEOUT(page->selectedIds().size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(
        page->details()->recipients()->item(0, 1) ? page->details()->recipients()->item(0, 1)->text() : QString(),
        QStringLiteral("On hold"), 10000);
    QVERIFY(!m_window->banner()->isVisible());
    QTest::qWait(300);
    screenshot(QStringLiteral("queue-held.png"));
}

QTEST_MAIN(TestQueuePage)
#include "tst_queuepage.moc"
