// The console against a real engine: it connects, adds a domain and a user
// through its dialogs, shows the user in the table, shows the engine's
// refusal inside the dialog, says so when the engine stops, and saves
// screenshots of the main window as test artifacts.
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "dialogs/domaindialog.h"
#include "dialogs/userdialog.h"
#include "mainwindow.h"
#include "models/logmodel.h"
#include "models/pagedlistmodel.h"
#include "pages/directorypage.h"
#include "pages/logspage.h"
#include "testengine.h"
#include "translations.h"

using namespace mailroom;

class TestConsole : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void addDomainAndUserThroughDialogs();
    void refusalIsShownInTheDialog();
    void logsPageShowsEvents();
    void bannerWhenEngineStops();
    void englishPluralsAreBuiltIn();

private:
    template<class Dialog> Dialog *openDialog(std::function<void()> open);
    void fill(QWidget *dialog, const char *name, const QString &text);
    void screenshot(const QString &name);

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestEngine> m_engine;
    std::unique_ptr<adminclient::AdminClient> m_client;
    std::unique_ptr<console::MainWindow> m_window;
};

void TestConsole::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_engine = std::make_unique<testing::TestEngine>(m_dir.path());
    QVERIFY(m_engine->start());

    m_client = std::make_unique<adminclient::AdminClient>(QStringLiteral("tst_console"));
    m_window = std::make_unique<console::MainWindow>(*m_client);
    m_window->show();
    m_window->connectTo(m_engine->socket());
    QTRY_VERIFY_WITH_TIMEOUT(m_client->isConnected(), 10000);
    QVERIFY(!m_window->banner()->isVisible());
}

void TestConsole::cleanupTestCase()
{
    m_window.reset();
    m_client.reset();
    m_engine.reset();
}

template<class Dialog> Dialog *TestConsole::openDialog(std::function<void()> open)
{
    open();
    Dialog *d = nullptr;
    [&] { QTRY_VERIFY((d = m_window->directoryPage()->findChild<Dialog *>()) && d->isVisible()); }();
    return d;
}

void TestConsole::fill(QWidget *dialog, const char *name, const QString &text)
{
    auto *edit = dialog->findChild<QLineEdit *>(QLatin1String(name));
    QVERIFY2(edit, name);
    edit->clear();
    QTest::keyClicks(edit, text); // typed, as a person would
}

void TestConsole::screenshot(const QString &name)
{
    QDir().mkpath(QStringLiteral(ARTIFACT_DIR));
    const QString path = QStringLiteral(ARTIFACT_DIR) + u'/' + name;
    QVERIFY(m_window->grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

void TestConsole::addDomainAndUserThroughDialogs()
{
    console::DirectoryPage *page = m_window->directoryPage();
    m_window->showPage(page->title());

    auto *domain = openDialog<widgets::DomainDialog>([page] { page->addDomain(); });
    fill(domain, "domainName", QStringLiteral("example.com"));
    fill(domain, "domainDescription", QStringLiteral("Main office"));
    QPointer<QDialog> guard(domain);
    domain->accept();
    QTRY_VERIFY_WITH_TIMEOUT(guard.isNull() || !guard->isVisible(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(page->selectedDomain(), QStringLiteral("example.com"), 10000);

    auto *user = openDialog<widgets::UserDialog>([page] { page->addUser(); });
    fill(user, "userAddress", QStringLiteral("ann@example.com"));
    fill(user, "userName", QStringLiteral("Ann Smith"));
    fill(user, "userPassword", QStringLiteral("a long enough password"));
    fill(user, "userPasswordConfirm", QStringLiteral("a long enough password"));
    guard = user;
    user->accept();
    QTRY_VERIFY_WITH_TIMEOUT(guard.isNull() || !guard->isVisible(), 10000);

    widgets::PagedListModel *users = page->usersModel();
    QTRY_COMPARE_WITH_TIMEOUT(users->rowCount(), 1, 10000);
    QCOMPARE(users->rowObject(0).value(QStringLiteral("address")).toString(), QStringLiteral("ann@example.com"));
    QCOMPARE(users->rowObject(0).value(QStringLiteral("displayName")).toString(), QStringLiteral("Ann Smith"));
    QTest::qWait(300); // let the view paint the new rows
    screenshot(QStringLiteral("main-window.png"));
}

void TestConsole::refusalIsShownInTheDialog()
{
    console::DirectoryPage *page = m_window->directoryPage();
    auto *user = openDialog<widgets::UserDialog>([page] { page->addUser(); });
    fill(user, "userAddress", QStringLiteral("ann@example.com"));
    fill(user, "userPassword", QStringLiteral("a long enough password"));
    fill(user, "userPasswordConfirm", QStringLiteral("a different password!"));
    user->accept();
    auto *error = user->findChild<QLabel *>(QStringLiteral("dialogError"));
    QVERIFY(error && error->isVisible());
    QVERIFY(error->text().contains(QStringLiteral("differ")));

    fill(user, "userPasswordConfirm", QStringLiteral("a long enough password"));
    user->accept();
    // The engine refuses: the sentence appears in the open dialog.
    QTRY_VERIFY_WITH_TIMEOUT(error->text().contains(QStringLiteral("exists already")), 10000);
    QVERIFY(user->isVisible());
    user->reject();
    QCOMPARE(page->usersModel()->rowCount(), 1);
}

void TestConsole::logsPageShowsEvents()
{
    console::LogsPage *logs = m_window->logsPage();
    m_window->showPage(logs->title());
    logs->reload();
    auto hasUserAdded = [logs] {
        widgets::LogModel *m = logs->model();
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->index(r, widgets::LogModel::Event).data().toString() == u"user_added")
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(hasUserAdded(), 10000);
    screenshot(QStringLiteral("logs.png"));
}

void TestConsole::bannerWhenEngineStops()
{
    m_engine->process().terminate();
    QVERIFY(m_engine->process().waitForFinished(10000));
    QCOMPARE(m_engine->process().exitCode(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->banner()->isVisible(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->banner()->text().contains(QStringLiteral("not running")), 10000);
    screenshot(QStringLiteral("engine-stopped.png"));
}

QTEST_MAIN(TestConsole)
void TestConsole::englishPluralsAreBuiltIn()
{
    // What main() installs: the compiled translations/mailroom_en.ts.
    console::installTranslations(*QCoreApplication::instance());
    const char *context = "mailroom::console::LogsPage";
    QCOMPARE(QCoreApplication::translate(context, "%n events shown", nullptr, 1), QStringLiteral("1 event shown"));
    QCOMPARE(QCoreApplication::translate(context, "%n events shown", nullptr, 3), QStringLiteral("3 events shown"));
}

#include "tst_console.moc"
