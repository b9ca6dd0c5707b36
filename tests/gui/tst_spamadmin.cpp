// The Spam page's admin tabs against a real engine. Quarantine: a message
// whose tag the score table makes heavy, sent over SMTP while
// spam.quarantine_score is low, is held; the tab lists it, the search box
// narrows it away and back, the preview says why it was held, Release
// delivers it to ann's INBOX; a second held message shows up in the open
// tab by itself (queue.changed), and "Delete and learn as spam" asks first
// and trains the filter. Many ids go to the engine in parts, with progress,
// and stop when cancelled. Allow and block lists: entries added through the
// dialog (which refuses a pattern that is none) reach the engine, filter by
// kind, and are removed after a confirmation. Scores: a points change made
// with the spin box is marked, applied (spam.scores.list shows it) and
// reset to its default. Screenshots are saved as test artifacts.
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "adminclient/adminclient.h"
#include "common/banner.h"
#include "dialogs/spamlistdialog.h"
#include "mainwindow.h"
#include "models/pagedlistmodel.h"
#include "models/scoretablemodel.h"
#include "pages/batchcall.h"
#include "pages/quarantinepreview.h"
#include "pages/quarantineview.h"
#include "pages/spamlistsview.h"
#include "pages/spampage.h"
#include "pages/spamscoresview.h"
#include "testengine.h"

using namespace mailroom;
using testing::answerNextMessageBox;
using testing::callAndWait;

namespace
{
const QString kUser = QStringLiteral("ann@example.com");

QByteArray heldMessage(const QString &subject)
{
    return QStringLiteral("From: Deals <deals@outside.test>\r\nTo: ann@example.com\r\nSubject: %1\r\n"
                          "Date: Tue, 03 Feb 2026 08:00:00 +0000\r\nMessage-ID: <%2@outside.test>\r\n\r\n"
                          "Only today: everything must go.\r\n")
        .arg(subject, QString::number(qHash(subject)))
        .toUtf8();
}
} // namespace

class TestSpamAdmin : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void quarantineShowsTheHeldMessage();
    void releaseDeliversIt();
    void deleteAsksAndLearnsAsSpam();
    void manyIdsGoInPartsAndCancel();
    void listsAddAndRemove();
    void scoreEditorAppliesAndResets();

private:
    QJsonObject call(const QString &method, const QJsonObject &params = {})
    {
        return callAndWait(*m_checker, method, params);
    }
    qint64 quarantined(); // spam.quarantine.list's total, over the checker
    void holdOne(const QString &subject);
    void showTab(QWidget *tab);
    void screenshot(const QString &name);

    QTemporaryDir m_dir;
    std::unique_ptr<testing::TestEngine> m_engine;
    std::unique_ptr<adminclient::AdminClient> m_client;
    std::unique_ptr<adminclient::AdminClient> m_checker; // a second connection, as mailroomctl would be
    std::unique_ptr<console::MainWindow> m_window;
    console::SpamPage *m_page = nullptr;
};

void TestSpamAdmin::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_engine = std::make_unique<testing::TestEngine>(m_dir.path());
    QVERIFY(m_engine->start({ QStringLiteral("smtp") }));
    m_client = std::make_unique<adminclient::AdminClient>(QStringLiteral("tst_spamadmin"));
    m_window = std::make_unique<console::MainWindow>(*m_client);
    m_window->show();
    m_window->connectTo(m_engine->socket());
    QTRY_VERIFY_WITH_TIMEOUT(m_client->isConnected(), 10000);
    m_checker = std::make_unique<adminclient::AdminClient>(QStringLiteral("tst_spamadmin checker"));
    m_checker->connectToEngine(m_engine->socket());
    QTRY_VERIFY_WITH_TIMEOUT(m_checker->isConnected(), 10000);

    QVERIFY(call(QStringLiteral("domains.add"), { { QStringLiteral("name"), QStringLiteral("example.com") } })
                .contains(QStringLiteral("domain")));
    QVERIFY(call(QStringLiteral("users.add"),
        { { QStringLiteral("address"), kUser }, { QStringLiteral("password"), QStringLiteral("correct horse") } })
                .contains(QStringLiteral("user")));
    // An all-capitals subject weighs 40 points; 20 points are quarantined.
    adminclient::Reply reply;
    callAndWait(*m_checker, QStringLiteral("spam.scores.set"),
        { { QStringLiteral("scores"), QJsonArray { QStringLiteral("SUBJ_ALL_CAPS=40") } } }, &reply);
    QVERIFY2(reply.ok, qPrintable(reply.errorMessage));
    callAndWait(*m_checker, QStringLiteral("settings.set"),
        { { QStringLiteral("name"), QStringLiteral("spam.quarantine_score") },
            { QStringLiteral("value"), QStringLiteral("20") } },
        &reply);
    QVERIFY2(reply.ok, qPrintable(reply.errorMessage));

    m_page = m_window->spamPage();
    QVERIFY(m_page);
    m_window->showPage(m_page->title());
    QVERIFY(m_page->isVisible());
}

void TestSpamAdmin::cleanupTestCase()
{
    m_window.reset();
    m_client.reset();
    m_checker.reset();
    m_engine.reset();
}

void TestSpamAdmin::screenshot(const QString &name)
{
    QDir().mkpath(QStringLiteral(ARTIFACT_DIR));
    const QString path = QStringLiteral(ARTIFACT_DIR) + u'/' + name;
    QVERIFY(m_window->grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

qint64 TestSpamAdmin::quarantined()
{
    return call(QStringLiteral("spam.quarantine.list")).value(QStringLiteral("total")).toInteger();
}

void TestSpamAdmin::holdOne(const QString &subject)
{
    const qint64 before = quarantined();
    QVERIFY(testing::sendMail(
        m_engine->port(QStringLiteral("smtp")), QStringLiteral("deals@outside.test"), { kUser }, heldMessage(subject)));
    QTRY_COMPARE_WITH_TIMEOUT(quarantined(), before + 1, 30000);
}

void TestSpamAdmin::showTab(QWidget *tab)
{
    m_page->tabs()->setCurrentWidget(tab);
    QVERIFY(tab->isVisible());
}

void TestSpamAdmin::quarantineShowsTheHeldMessage()
{
    holdOne(QStringLiteral("EVERYTHING MUST GO"));
    console::QuarantineView *q = m_page->quarantine();
    // The tab says how many wait, before it is opened.
    m_page->reload();
    QTRY_COMPARE_WITH_TIMEOUT(
        m_page->tabs()->tabText(m_page->tabs()->indexOf(q)), QStringLiteral("&Quarantine (1)"), 10000);
    showTab(q);
    widgets::PagedListModel *model = q->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, 10000);
    const QJsonObject row = model->rowObject(0);
    QCOMPARE(row.value(QStringLiteral("subject")).toString(), QStringLiteral("EVERYTHING MUST GO"));
    // From shows the message's From field.
    QVERIFY2(model->index(0, 1).data().toString().contains(QStringLiteral("deals@outside.test")),
        qPrintable(model->index(0, 1).data().toString()));
    QCOMPARE(model->index(0, 3).data().toString(), kUser);
    QVERIFY(row.value(QStringLiteral("score")).toDouble() >= 40.0);

    // The search box asks the engine; nothing matches, then the message again.
    auto *filter = q->findChild<QLineEdit *>(QStringLiteral("quarantineFilter"));
    QVERIFY(filter);
    filter->setText(QStringLiteral("no such words"));
    QTRY_COMPARE_WITH_TIMEOUT(model->total(), qint64(0), 10000);
    filter->clear();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, 10000);

    // The preview says why: the heavy tag first, with its points.
    q->view()->selectRow(0);
    console::QuarantinePreview *preview = q->preview();
    QTRY_COMPARE_WITH_TIMEOUT(preview->queueId(), row.value(QStringLiteral("queueId")).toString(), 10000);
    QVERIFY(preview->tags()->topLevelItemCount() >= 1);
    QCOMPARE(preview->tags()->topLevelItem(0)->text(0), QStringLiteral("SUBJ_ALL_CAPS"));
    QCOMPARE(preview->tags()->topLevelItem(0)->text(1), QLocale().toString(40.0, 'f', 1));
    QVERIFY2(preview->summaryText().contains(QStringLiteral("EVERYTHING MUST GO")), qPrintable(preview->summaryText()));
    QVERIFY2(preview->bodyText().contains(QStringLiteral("everything must go")), qPrintable(preview->bodyText()));
    QVERIFY(preview->headersText().contains(QStringLiteral("Subject: EVERYTHING MUST GO")));
    QTest::qWait(200); // let the view paint
    screenshot(QStringLiteral("spam-quarantine.png"));
}

void TestSpamAdmin::releaseDeliversIt()
{
    console::QuarantineView *q = m_page->quarantine();
    QCOMPARE(q->selectedIds().size(), 1);
    auto *release = q->findChild<QPushButton *>(QStringLiteral("quarantineRelease"));
    QVERIFY(release && release->isEnabled());
    QSignalSpy finished(q, &console::QuarantineView::actionFinished);
    QTest::mouseClick(release, Qt::LeftButton);
    QVERIFY(finished.wait(20000));
    QCOMPARE(q->notice()->text(), QStringLiteral("1 message released to their recipients."));
    QTRY_COMPARE_WITH_TIMEOUT(q->model()->rowCount(), 0, 10000);
    QCOMPARE(quarantined(), qint64(0));
    // Delivered: it is in ann's INBOX now.
    auto inbox = [this] {
        return call(QStringLiteral("messages.list"),
            { { QStringLiteral("user"), kUser }, { QStringLiteral("mailbox"), QStringLiteral("INBOX") } })
            .value(QStringLiteral("items"))
            .toArray();
    };
    QTRY_COMPARE_WITH_TIMEOUT(inbox().size(), qsizetype(1), 30000);
    QCOMPARE(
        inbox().first().toObject().value(QStringLiteral("subject")).toString(), QStringLiteral("EVERYTHING MUST GO"));
}

void TestSpamAdmin::deleteAsksAndLearnsAsSpam()
{
    console::QuarantineView *q = m_page->quarantine();
    QCOMPARE(q->model()->rowCount(), 0);
    holdOne(QStringLiteral("LAST CHANCE TODAY"));
    // The open tab follows the engine's queue.changed push: no reload here.
    QTRY_COMPARE_WITH_TIMEOUT(q->model()->rowCount(), 1, 10000);
    q->view()->selectRow(0);
    const qint64 spamBefore = call(QStringLiteral("spam.status")).value(QStringLiteral("spam")).toInteger();

    // Cancel first: nothing happens.
    bool answered = false;
    QString question;
    answerNextMessageBox(QStringLiteral("Cancel"), &answered, &question);
    q->deleteSelected(true);
    QVERIFY(answered);
    QVERIFY2(question.startsWith(QStringLiteral("Learn 1 message as spam and delete it?")), qPrintable(question));
    QVERIFY(!q->isBusy());
    QCOMPARE(quarantined(), qint64(1));

    answered = false;
    QSignalSpy finished(q, &console::QuarantineView::actionFinished);
    answerNextMessageBox(QStringLiteral("Learn and delete"), &answered);
    q->deleteSelected(true);
    QVERIFY(answered);
    QVERIFY(finished.count() == 1 || finished.wait(20000));
    QCOMPARE(q->notice()->text(), QStringLiteral("1 message deleted. 1 message learned as spam."));
    QCOMPARE(quarantined(), qint64(0));
    QCOMPARE(call(QStringLiteral("spam.status")).value(QStringLiteral("spam")).toInteger(), spamBefore + 1);
    QTRY_COMPARE_WITH_TIMEOUT(q->model()->rowCount(), 0, 10000);
}

void TestSpamAdmin::manyIdsGoInPartsAndCancel()
{
    // 2,500 ids the quarantine does not hold: three parts, each answered
    // with its ids as missing; progress after each part.
    QStringList ids;
    for (int i = 0; i < 2500; ++i)
        ids << QStringLiteral("NOSUCHID%1").arg(i, 5, 10, QLatin1Char('0'));
    {
        console::BatchCall batch(
            *m_client, QStringLiteral("spam.quarantine.release"), QStringLiteral("queueIds"), ids, {}, 1000);
        QSignalSpy progress(&batch, &console::BatchCall::progress);
        QSignalSpy finished(&batch, &console::BatchCall::finished);
        batch.start();
        QVERIFY(finished.wait(30000));
        QCOMPARE(progress.size(), 4);
        QCOMPARE(progress.at(1).at(0).value<qsizetype>(), qsizetype(1000));
        QCOMPARE(progress.at(3).at(0).value<qsizetype>(), qsizetype(2500));
        const console::BatchResult &r = batch.result();
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(!r.cancelled);
        QCOMPARE(r.done, qsizetype(2500));
        QCOMPARE(r.count(QStringLiteral("released")), qint64(0));
        QCOMPARE(r.missing.size(), qsizetype(2500));
    }
    // Cancelled after the first part: the part under way is waited for.
    console::BatchCall batch(
        *m_client, QStringLiteral("spam.quarantine.delete"), QStringLiteral("queueIds"), ids, {}, 1000);
    QSignalSpy finished(&batch, &console::BatchCall::finished);
    connect(&batch, &console::BatchCall::progress, &batch, [&batch](qsizetype done) {
        if (done > 0)
            batch.cancel();
    });
    batch.start();
    QVERIFY(finished.wait(30000));
    QVERIFY(batch.result().cancelled);
    QCOMPARE(batch.result().done, qsizetype(1000));
    QCOMPARE(batch.result().missing.size(), qsizetype(1000));
}

void TestSpamAdmin::listsAddAndRemove()
{
    console::SpamListsView *lists = m_page->lists();
    showTab(lists);
    QTRY_COMPARE_WITH_TIMEOUT(lists->model()->total(), qint64(0), 10000);

    // A block entry for a domain, for everyone. A wrong pattern is refused
    // in the dialog, which stays open.
    QPointer<widgets::SpamListDialog> d = lists->addEntry();
    QVERIFY(d && d->isVisible());
    d->patternEdit()->setText(QStringLiteral("bulk mailer"));
    QCOMPARE(d->patternHint(), QStringLiteral("This is not an address, domain, IP address or network."));
    d->accept();
    auto *error = d->findChild<QLabel *>(QStringLiteral("dialogError"));
    QVERIFY(error && error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("is not an address, domain, IP address or network")),
        qPrintable(error->text()));
    d->patternEdit()->setText(QStringLiteral("bulk-mailer.example"));
    QCOMPARE(d->patternHint(), QStringLiteral("A domain: mail from senders at this domain and its subdomains."));
    d->kindBox()->setCurrentIndex(d->kindBox()->findData(QStringLiteral("block")));
    d->noteEdit()->setText(QStringLiteral("newsletters nobody asked for"));
    QSignalSpy added(lists, &console::SpamListsView::added);
    d->accept();
    QVERIFY(added.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(d.isNull() || !d->isVisible(), 10000);

    // An allow entry for one local user.
    d = lists->addEntry();
    QTRY_VERIFY_WITH_TIMEOUT(d->domainBox()->count() == 1, 10000); // example.com
    d->scopeBox()->setCurrentIndex(d->scopeBox()->findData(QStringLiteral("user")));
    d->userEdit()->setText(kUser);
    d->kindBox()->setCurrentIndex(d->kindBox()->findData(QStringLiteral("allow")));
    d->patternEdit()->setText(QStringLiteral("friend@partner.example"));
    d->accept();
    QVERIFY(added.wait(10000));

    const QJsonArray items = call(QStringLiteral("spam.lists.list")).value(QStringLiteral("items")).toArray();
    QCOMPARE(items.size(), qsizetype(2));
    QHash<QString, QJsonObject> byPattern;
    for (const QJsonValue &v : items)
        byPattern.insert(v.toObject().value(QStringLiteral("pattern")).toString(), v.toObject());
    QCOMPARE(byPattern.value(QStringLiteral("bulk-mailer.example")).value(QStringLiteral("kind")).toString(),
        QStringLiteral("block"));
    QCOMPARE(byPattern.value(QStringLiteral("bulk-mailer.example")).value(QStringLiteral("scope")).toString(),
        QStringLiteral("global"));
    QCOMPARE(byPattern.value(QStringLiteral("bulk-mailer.example")).value(QStringLiteral("note")).toString(),
        QStringLiteral("newsletters nobody asked for"));
    QCOMPARE(byPattern.value(QStringLiteral("friend@partner.example")).value(QStringLiteral("scope")).toString(),
        QStringLiteral("user:") + kUser);
    QTRY_COMPARE_WITH_TIMEOUT(lists->model()->rowCount(), 2, 10000);

    // Only the allow entries.
    lists->kindFilter()->setCurrentIndex(lists->kindFilter()->findData(QStringLiteral("allow")));
    QTRY_COMPARE_WITH_TIMEOUT(lists->model()->total(), qint64(1), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(lists->model()->rowCount(), 1, 10000);
    QCOMPARE(lists->model()->index(0, 0).data().toString(), QStringLiteral("User ann@example.com"));
    QCOMPARE(lists->model()->index(0, 1).data().toString(), QStringLiteral("Allow"));
    QTest::qWait(200);
    screenshot(QStringLiteral("spam-lists.png"));

    // Remove it, after the question.
    lists->view()->selectRow(0);
    bool answered = false;
    QString question;
    answerNextMessageBox(QStringLiteral("Remove"), &answered, &question);
    QSignalSpy removed(lists, &console::SpamListsView::removed);
    lists->removeSelected();
    QVERIFY(answered);
    QVERIFY2(question.startsWith(QStringLiteral("Remove the allow entry for friend@partner.example?")),
        qPrintable(question));
    QVERIFY(removed.count() == 1 || removed.wait(10000));
    QCOMPARE(lists->notice()->text(), QStringLiteral("Removed 1 entry."));
    const QJsonArray left = call(QStringLiteral("spam.lists.list")).value(QStringLiteral("items")).toArray();
    QCOMPARE(left.size(), qsizetype(1));
    QCOMPARE(
        left.first().toObject().value(QStringLiteral("pattern")).toString(), QStringLiteral("bulk-mailer.example"));
    QTRY_COMPARE_WITH_TIMEOUT(lists->model()->total(), qint64(0), 10000);
}

void TestSpamAdmin::scoreEditorAppliesAndResets()
{
    console::SpamScoresView *scores = m_page->scores();
    QSignalSpy loaded(scores, &console::SpamScoresView::loaded);
    showTab(scores);
    QVERIFY(loaded.count() > 0 || loaded.wait(10000));
    widgets::ScoreTableModel *model = scores->model();
    QVERIFY(model->rowCount() > 10);

    // Search, then edit the points with the spin box, as a user does.
    scores->filter()->setText(QStringLiteral("subj_money"));
    QCOMPARE(scores->proxy()->rowCount(), 1);
    const QModelIndex points = scores->proxy()->index(0, widgets::ScoreTableModel::Points);
    QCOMPARE(points.data().toString(), QLocale().toString(0.3, 'f', 1));
    scores->view()->setCurrentIndex(points);
    scores->view()->edit(points);
    auto *spin = scores->view()->findChild<QDoubleSpinBox *>(QStringLiteral("pointsEditor"));
    QVERIFY(spin && spin->isVisible());
    QCOMPARE(spin->minimum(), -100.0);
    QCOMPARE(spin->maximum(), 100.0);
    QCOMPARE(spin->singleStep(), 0.1);
    spin->setValue(2.5);
    QTest::keyClick(spin, Qt::Key_Return); // the delegate commits from the event loop
    QTRY_COMPARE_WITH_TIMEOUT(model->changes(), QStringList { QStringLiteral("SUBJ_MONEY=2.5") }, 5000);
    QCOMPARE(
        scores->proxy()->index(0, widgets::ScoreTableModel::Tag).data().toString(), QStringLiteral("SUBJ_MONEY *"));
    QVERIFY(scores->proxy()->index(0, 0).data(Qt::FontRole).value<QFont>().bold());
    auto *changes = scores->findChild<QLabel *>(QStringLiteral("scoresChanges"));
    QCOMPARE(changes->text(), QStringLiteral("1 tag changed, not applied yet (marked with *)."));
    QTest::qWait(200);
    screenshot(QStringLiteral("spam-scores.png"));

    auto *apply = scores->findChild<QPushButton *>(QStringLiteral("scoresApply"));
    QVERIFY(apply->isEnabled());
    QSignalSpy applied(scores, &console::SpamScoresView::applied);
    loaded.clear();
    QTest::mouseClick(apply, Qt::LeftButton);
    QVERIFY(applied.wait(10000));
    QVERIFY(loaded.count() > 0 || loaded.wait(10000));
    QVERIFY(!model->hasChanges());
    auto engineScore = [this](const QString &tag) {
        for (const QJsonValue &v : call(QStringLiteral("spam.scores.list")).value(QStringLiteral("items")).toArray())
            if (v.toObject().value(QStringLiteral("tag")).toString() == tag)
                return v.toObject();
        return QJsonObject();
    };
    QCOMPARE(engineScore(QStringLiteral("SUBJ_MONEY")).value(QStringLiteral("score")).toDouble(), 2.5);
    QVERIFY(engineScore(QStringLiteral("SUBJ_MONEY")).value(QStringLiteral("overridden")).toBool());
    QCOMPARE(
        scores->proxy()->index(0, widgets::ScoreTableModel::Points).data().toString(), QLocale().toString(2.5, 'f', 1));

    // Reset to default, after the question.
    scores->view()->selectRow(0);
    QCOMPARE(scores->selectedTags(), QStringList { QStringLiteral("SUBJ_MONEY") });
    bool answered = false;
    answerNextMessageBox(QStringLiteral("Reset"), &answered);
    applied.clear();
    scores->resetSelected();
    QVERIFY(answered);
    QVERIFY(applied.count() == 1 || applied.wait(10000));
    QCOMPARE(engineScore(QStringLiteral("SUBJ_MONEY")).value(QStringLiteral("score")).toDouble(), 0.3);
    QVERIFY(!engineScore(QStringLiteral("SUBJ_MONEY")).value(QStringLiteral("overridden")).toBool());
    QTRY_COMPARE_WITH_TIMEOUT(scores->proxy()->index(0, widgets::ScoreTableModel::Points).data().toString(),
        QLocale().toString(0.3, 'f', 1), 10000);
    QVERIFY(!m_window->banner()->isVisible());
}

QTEST_MAIN(TestSpamAdmin)
#include "tst_spamadmin.moc"
