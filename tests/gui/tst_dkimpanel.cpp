// The DKIM keys tab of Domains & Users against a real engine: an Ed25519
// key created with the button's menu action is listed as not signing yet,
// with the DNS record the engine reports (the Copy button copies it);
// Check DNS says the record is not there (the test's DNS never answers);
// Activate is refused for that reason and "Activate anyway" activates it;
// an RSA key is created and deleted after the question.
#include <QAction>
#include <QClipboard>
#include <QDir>
#include <QGuiApplication>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "mainwindow.h"
#include "pages/directorypage.h"
#include "pages/dkimpanel.h"
#include "testengine.h"

using namespace mailroom;
using testing::answerNextMessageBox;
using testing::callAndWait;

namespace
{
const QString kDomain = QStringLiteral("example.com");
} // namespace

class TestDkimPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void createShowsTheRecord();
    void checkSaysItIsNotPublished();
    void activateAnyway();
    void deleteAsksFirst();

private:
    QJsonArray engineKeys()
    {
        return callAndWait(*m_client, QStringLiteral("dkim.list"), { { QStringLiteral("domain"), kDomain } })
            .value(QStringLiteral("items"))
            .toArray();
    }
    void screenshot(const QString &name);

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestEngine> m_engine;
    std::unique_ptr<adminclient::AdminClient> m_client;
    std::unique_ptr<console::MainWindow> m_window;
    console::DkimPanel *m_panel = nullptr;
};

void TestDkimPanel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_engine = std::make_unique<testing::TestEngine>(m_dir.path());
    QVERIFY(m_engine->start());
    m_client = std::make_unique<adminclient::AdminClient>(QStringLiteral("tst_dkimpanel"));
    m_window = std::make_unique<console::MainWindow>(*m_client);
    m_window->show();
    m_window->connectTo(m_engine->socket());
    QTRY_VERIFY_WITH_TIMEOUT(m_client->isConnected(), 10000);
    QVERIFY(callAndWait(*m_client, QStringLiteral("domains.add"), { { QStringLiteral("name"), kDomain } })
                .contains(QStringLiteral("domain")));

    console::DirectoryPage *page = m_window->directoryPage();
    m_window->showPage(page->title());
    page->reload();
    QTRY_VERIFY_WITH_TIMEOUT(page->selectDomain(kDomain), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(page->selectedDomain(), kDomain, 10000);
    m_panel = page->dkimPanel();
    page->tabs()->setCurrentWidget(m_panel);
    QVERIFY(m_panel->isVisible());
    QCOMPARE(m_panel->domain(), kDomain);
}

void TestDkimPanel::cleanupTestCase()
{
    m_window.reset();
    m_client.reset();
    m_engine.reset();
}

void TestDkimPanel::screenshot(const QString &name)
{
    QDir().mkpath(QStringLiteral(ARTIFACT_DIR));
    const QString path = QStringLiteral(ARTIFACT_DIR) + u'/' + name;
    QVERIFY(m_window->grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

void TestDkimPanel::createShowsTheRecord()
{
    QSignalSpy finished(m_panel, &console::DkimPanel::actionFinished);
    auto *create = m_panel->findChild<QPushButton *>(QStringLiteral("dkimCreate"));
    QVERIFY(create && create->isEnabled() && create->menu());
    QCOMPARE(create->menu()->actions().size(), qsizetype(2));
    create->menu()->actions().at(1)->trigger(); // Ed25519
    QVERIFY(finished.wait(20000));
    QVERIFY2(!m_panel->notice()->text().startsWith(QStringLiteral("No key")), qPrintable(m_panel->notice()->text()));

    const QJsonArray keys = engineKeys();
    QCOMPARE(keys.size(), qsizetype(1));
    const QJsonObject key = keys.first().toObject();
    QVERIFY(key.value(QStringLiteral("algorithm")).toString().startsWith(QStringLiteral("ed25519")));
    QCOMPARE(key.value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->keys()->topLevelItemCount(), 1, 10000);
    QTreeWidgetItem *row = m_panel->keys()->topLevelItem(0);
    QCOMPARE(row->text(0), key.value(QStringLiteral("selector")).toString());
    QCOMPARE(row->text(1), QStringLiteral("Ed25519"));
    QCOMPARE(row->text(2), QStringLiteral("Not signing yet"));

    // The record to publish, as the engine gives it, and selectable.
    QCOMPARE(m_panel->recordName(),
        key.value(QStringLiteral("selector")).toString() + QStringLiteral("._domainkey.") + kDomain);
    QCOMPARE(m_panel->recordName(), key.value(QStringLiteral("recordName")).toString());
    QCOMPARE(m_panel->recordValue(), key.value(QStringLiteral("record")).toString());
    QVERIFY2(m_panel->recordValue().contains(QStringLiteral("k=ed25519")), qPrintable(m_panel->recordValue()));
    QVERIFY2(m_panel->recordValue().contains(QStringLiteral("p=")), qPrintable(m_panel->recordValue()));
    auto *copy = m_panel->findChild<QPushButton *>(QStringLiteral("dkimCopyValue"));
    QVERIFY(copy && copy->isEnabled());
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), m_panel->recordValue());
    QVERIFY(m_panel->findChild<QLineEdit *>(QStringLiteral("dkimRecordName"))->isReadOnly());
    QTest::qWait(200);
    screenshot(QStringLiteral("dkim.png"));
}

void TestDkimPanel::checkSaysItIsNotPublished()
{
    QSignalSpy finished(m_panel, &console::DkimPanel::actionFinished);
    m_panel->checkSelected();
    QVERIFY(finished.wait(20000));
    const QString text = m_panel->findChild<QLabel *>(QStringLiteral("dkimCheckResult"))->text();
    QVERIFY2(text.startsWith(QStringLiteral("DNS has no TXT record at ") + m_panel->recordName())
            || text.startsWith(QStringLiteral("DNS could not be checked: ")),
        qPrintable(text));
}

void TestDkimPanel::activateAnyway()
{
    QSignalSpy finished(m_panel, &console::DkimPanel::actionFinished);
    bool answered = false;
    QString question;
    answerNextMessageBox(QStringLiteral("Activate anyway"), &answered, &question);
    m_panel->activateSelected();
    QVERIFY(finished.wait(30000));
    QVERIFY(answered);
    QVERIFY2(question.contains(QStringLiteral("DNS does not publish its record yet")), qPrintable(question));
    QCOMPARE(engineKeys().first().toObject().value(QStringLiteral("state")).toString(), QStringLiteral("active"));
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->keys()->topLevelItem(0)->text(2), QStringLiteral("Signing"), 10000);
    QVERIFY2(m_panel->notice()->text().contains(QStringLiteral("now signs mail from example.com")),
        qPrintable(m_panel->notice()->text()));
}

void TestDkimPanel::deleteAsksFirst()
{
    QSignalSpy finished(m_panel, &console::DkimPanel::actionFinished);
    m_panel->createKey(QStringLiteral("rsa"));
    QVERIFY(finished.wait(30000));
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->keys()->topLevelItemCount(), 2, 10000);
    const QString selector = m_panel->selectedKey().value(QStringLiteral("selector")).toString();
    QVERIFY(m_panel->selectedKey().value(QStringLiteral("algorithm")).toString().startsWith(QStringLiteral("rsa")));
    QVERIFY2(m_panel->recordValue().contains(QStringLiteral("k=rsa")), qPrintable(m_panel->recordValue()));

    bool answered = false;
    QString question;
    answerNextMessageBox(QStringLiteral("Delete"), &answered, &question);
    finished.clear();
    m_panel->deleteSelected();
    QVERIFY(answered);
    QVERIFY2(question.startsWith(QStringLiteral("Delete the DKIM key %1?").arg(selector)), qPrintable(question));
    QVERIFY(finished.count() == 1 || finished.wait(20000));
    const QJsonArray keys = engineKeys();
    QCOMPARE(keys.size(), qsizetype(1));
    QVERIFY(
        keys.first().toObject().value(QStringLiteral("algorithm")).toString().startsWith(QStringLiteral("ed25519")));
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->keys()->topLevelItemCount(), 1, 10000);
}

QTEST_MAIN(TestDkimPanel)
#include "tst_dkimpanel.moc"
