// composeDsn and wantsNotification: failed, delayed and success reports, RET
// and the size limit, the dropped Return-Path, header injection through a
// remote diagnostic, the RFC 6533 "utf-8" address type and the RFC 3461
// NOTIFY table. Every composed message is also parsed by Python's email
// package (an independent parser) to check the multipart/report structure.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include "queue/deliveryagent.h"
#include "queue/dsn.h"

using namespace mailroom::queue;
using Action = DsnRecipient::Action;

namespace
{

const QByteArray OriginalHeaders = QByteArrayLiteral("From: Alice <alice@example.org>\r\n"
                                                     "To: bob@example.net\r\n"
                                                     "Subject: Lunch on Friday\r\n"
                                                     "Message-ID: <m1@example.org>\r\n");
const QByteArray Original = QByteArrayLiteral("Return-Path: <alice@example.org>\r\n") + OriginalHeaders
    + QByteArrayLiteral("\r\nHi Bob,\r\nsee you at noon.\r\n");
const QDateTime Arrival(QDate(2026, 11, 23), QTime(15, 4, 5), QTimeZone::utc());

DsnRecipient recipient(const QString &address, Action action, const QString &status, const QString &diagnostic)
{
    DsnRecipient r;
    r.finalRecipient = address;
    r.originalRecipient = QStringLiteral("rfc822;") + address;
    r.action = action;
    r.status = status;
    r.remoteMta = QStringLiteral("mx.example.net [192.0.2.1]");
    r.diagnostic = diagnostic;
    r.lastAttempt = Arrival.addSecs(3600);
    r.willRetryUntil = Arrival.addDays(5);
    return r;
}

DsnRequest request(const DsnRecipient &rcpt)
{
    DsnRequest r;
    r.reportingMta = QStringLiteral("mail.example.org");
    r.queueId = QStringLiteral("Q1A2B3C4D5E6");
    r.envid = QStringLiteral("env-42");
    r.arrival = Arrival;
    r.from = QStringLiteral("MAILER-DAEMON@mail.example.org");
    r.to = QStringLiteral("alice@example.org");
    r.original = Original;
    r.recipients = { rcpt };
    return r;
}

QList<QByteArray> lines(const QByteArray &message)
{
    return message.split('\n');
}

QByteArray topHeaders(const QByteArray &message)
{
    return message.left(message.indexOf("\r\n\r\n") + 2);
}

// Python's email package parses the message and reports what it found as JSON.
const char *const PythonScript = R"PY(
import email, email.policy, json, sys
with open(sys.argv[1], 'rb') as f:
    m = email.message_from_binary_file(f, policy=email.policy.default)
r = {'type': m.get_content_type(), 'reportType': m.get_param('report-type'),
     'defects': [repr(d) for d in m.defects], 'headers': list(m.keys()),
     'subject': str(m['subject']), 'parts': []}
parts = m.get_payload() if m.is_multipart() else []
for p in parts:
    r['parts'].append(p.get_content_type())
    r['defects'] += [repr(d) for d in p.defects]
if len(parts) == 3:
    r['text'] = parts[0].get_content()
    blocks = parts[1].get_payload()
    r['perMessage'] = {k: str(v) for k, v in blocks[0].items()}
    r['recipients'] = [{k: str(v) for k, v in b.items()} for b in blocks[1:]]
    third = parts[2]
    if third.get_content_type() == 'message/rfc822':
        inner = third.get_payload(0)
        r['returnedHeaders'] = list(inner.keys())
        r['returnedSubject'] = str(inner['subject'])
        r['returnedBody'] = inner.get_content()
    else:
        r['returnedText'] = third.get_content()
print(json.dumps(r))
)PY";

QJsonObject parseWithPython(const QByteArray &message)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        return {};
    const QString path = dir.filePath(QStringLiteral("dsn.eml"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(message) != message.size())
        return {};
    file.close();
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"), { QStringLiteral("-c"), QString::fromUtf8(PythonScript), path });
    if (!python.waitForFinished(60000) || python.exitCode() != 0) {
        qWarning("python: %s", python.readAllStandardError().constData());
        return {};
    }
    return QJsonDocument::fromJson(python.readAllStandardOutput()).object();
}

} // namespace

class TestDsn : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void compose_data();
    void compose();
    void localDiagnosticIsNotQuoted();
    void longDiagnosticIsFolded();
    void hugeHeaderBlockIsCutAtAField();
    void notify_data();
    void notify();
    void date_data();
    void date();
};

void TestDsn::initTestCase()
{
    if (!QFile::exists(QStringLiteral("/usr/bin/python3")))
        QFAIL("/usr/bin/python3 is needed as the independent parser: run packaging/install-deps.sh");
    // Dates must not follow the locale.
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
}

void TestDsn::compose_data()
{
    QTest::addColumn<int>("action");
    QTest::addColumn<bool>("full");
    QTest::addColumn<qint64>("maxReturn");
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("diagnostic");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("returnedType");
    QTest::addColumn<QString>("actionField");
    QTest::addColumn<QString>("finalRecipient");
    QTest::addColumn<QString>("quoted"); // the remote answer the human text shows

    const qint64 big = 2 * 1024 * 1024;
    const QString bob = QStringLiteral("bob@example.net");
    const QString bobField = QStringLiteral("rfc822; bob@example.net");
    const QString undelivered = QStringLiteral("Undelivered Mail Returned to Sender");
    const QString success = QStringLiteral("Successful Mail Delivery Report");
    const QString headers = QStringLiteral("text/rfc822-headers");
    const QString full = QStringLiteral("message/rfc822");
    const QString noSuchUser = QStringLiteral("smtp; 550 5.1.1 <bob@example.net>: No such user");

    QTest::newRow("failed, RET=HDRS") << int(Action::Failed) << false << big << bob << QStringLiteral("5.1.1")
                                      << noSuchUser << undelivered << headers << QStringLiteral("failed") << bobField
                                      << QStringLiteral("550 5.1.1 <bob@example.net>: No such user");
    QTest::newRow("failed, RET=FULL") << int(Action::Failed) << true << big << bob << QStringLiteral("5.1.1")
                                      << noSuchUser << undelivered << full << QStringLiteral("failed") << bobField
                                      << QStringLiteral("550 5.1.1 <bob@example.net>: No such user");
    QTest::newRow("failed, RET=FULL, original too long")
        << int(Action::Failed) << true << qint64(OriginalHeaders.size() + 10) << bob << QStringLiteral("5.1.1")
        << noSuchUser << undelivered << headers << QStringLiteral("failed") << bobField
        << QStringLiteral("550 5.1.1 <bob@example.net>: No such user");
    QTest::newRow("delayed") << int(Action::Delayed) << false << big << bob << QStringLiteral("4.4.1")
                             << QStringLiteral("smtp; 421 4.4.1 Try again later")
                             << QStringLiteral("Delayed Mail (still being retried)") << headers
                             << QStringLiteral("delayed") << bobField << QStringLiteral("421 4.4.1 Try again later");
    QTest::newRow("delivered") << int(Action::Delivered) << false << big << bob << QStringLiteral("2.0.0")
                               << QStringLiteral("smtp; 250 2.0.0 Ok") << success << headers
                               << QStringLiteral("delivered") << bobField << QString();
    QTest::newRow("relayed") << int(Action::Relayed) << true << big << bob << QStringLiteral("2.0.0") << QString()
                             << success << full << QStringLiteral("relayed") << bobField << QString();
    QTest::newRow("expanded") << int(Action::Expanded) << false << big << bob << QStringLiteral("2.0.0") << QString()
                              << success << headers << QStringLiteral("expanded") << bobField << QString();
    QTest::newRow("diagnostic with CRLF Bcc:")
        << int(Action::Failed) << true << big << bob << QStringLiteral("5.7.1")
        << QStringLiteral("smtp; 550 5.7.1 Rejected\r\nBcc: x@y\r\n\r\nbody") << undelivered << full
        << QStringLiteral("failed") << bobField << QStringLiteral("550 5.7.1 Rejected Bcc: x@y body");
    QTest::newRow("UTF-8 recipient") << int(Action::Failed) << false << big << QStringLiteral("用户@例子.广告")
                                     << QStringLiteral("5.1.1") << noSuchUser << undelivered << headers
                                     << QStringLiteral("failed")
                                     << QStringLiteral(
                                            "utf-8; \\x{7528}\\x{6237}@\\x{4F8B}\\x{5B50}.\\x{5E7F}\\x{544A}")
                                     << QStringLiteral("550 5.1.1 <bob@example.net>: No such user");
}

void TestDsn::compose()
{
    QFETCH(int, action);
    QFETCH(bool, full);
    QFETCH(qint64, maxReturn);
    QFETCH(QString, address);
    QFETCH(QString, status);
    QFETCH(QString, diagnostic);
    QFETCH(QString, subject);
    QFETCH(QString, returnedType);
    QFETCH(QString, actionField);
    QFETCH(QString, finalRecipient);
    QFETCH(QString, quoted);

    DsnRequest req = request(recipient(address, Action(action), status, diagnostic));
    req.returnFullMessage = full;
    req.maxReturnBytes = maxReturn;
    const QByteArray message = composeDsn(req);

    // Raw form: CRLF only, line limits, no injected or leaked lines.
    QCOMPARE(message.count('\n'), message.count("\r\n"));
    QCOMPARE(message.count('\r'), message.count("\r\n"));
    for (const QByteArray &line : lines(message)) {
        QVERIFY2(line.size() <= 999, line.constData());
        QVERIFY2(!line.toLower().startsWith("bcc:"), line.constData());
    }
    for (const QByteArray &line : lines(topHeaders(message)))
        QVERIFY2(line.size() <= 79, line.constData());
    QVERIFY(!message.toLower().contains("return-path"));
    const QByteArray top = topHeaders(message);
    QVERIFY(top.contains(QByteArray("\r\nSubject: " + subject.toUtf8() + "\r\n")));
    QVERIFY(top.contains("\r\nAuto-Submitted: auto-replied\r\n"));
    QVERIFY(top.contains("\r\nMessage-ID: <"));
    QVERIFY(top.contains("@mail.example.org>\r\n"));
    QVERIFY(QRegularExpression(QStringLiteral("^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{1,2} "
                                              "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} "
                                              "\\d\\d:\\d\\d:\\d\\d \\+0000\r$"),
        QRegularExpression::MultilineOption)
                .match(QString::fromLatin1(top))
                .hasMatch());
    const auto b = QRegularExpression(QStringLiteral("boundary=\"([^\"]+)\"")).match(QString::fromLatin1(top));
    QVERIFY(b.hasMatch());
    QCOMPARE(message.count(b.captured(1).toLatin1()), 5); // the header, three parts, the end

    // The independent parser.
    const QJsonObject py = parseWithPython(message);
    QVERIFY2(!py.isEmpty(), "python could not parse the message");
    QCOMPARE(py.value(QLatin1String("defects")).toArray(), QJsonArray());
    QCOMPARE(py.value(QLatin1String("type")).toString(), QStringLiteral("multipart/report"));
    QCOMPARE(py.value(QLatin1String("reportType")).toString(), QStringLiteral("delivery-status"));
    QCOMPARE(py.value(QLatin1String("subject")).toString(), subject);
    QVERIFY(!py.value(QLatin1String("headers")).toArray().contains(QStringLiteral("Bcc")));
    QCOMPARE(py.value(QLatin1String("parts")).toArray(),
        QJsonArray({ QStringLiteral("text/plain"), QStringLiteral("message/delivery-status"), returnedType }));

    const QJsonObject perMessage = py.value(QLatin1String("perMessage")).toObject();
    QCOMPARE(perMessage.value(QLatin1String("Reporting-MTA")).toString(), QStringLiteral("dns; mail.example.org"));
    QCOMPARE(perMessage.value(QLatin1String("Original-Envelope-Id")).toString(), QStringLiteral("env-42"));
    QCOMPARE(
        perMessage.value(QLatin1String("Arrival-Date")).toString(), QStringLiteral("Mon, 23 Nov 2026 15:04:05 +0000"));
    const QJsonArray rcpts = py.value(QLatin1String("recipients")).toArray();
    QCOMPARE(rcpts.size(), 1);
    const QJsonObject rcpt = rcpts.at(0).toObject();
    QVERIFY(!rcpt.contains(QLatin1String("Bcc")));
    QCOMPARE(rcpt.value(QLatin1String("Action")).toString(), actionField);
    QCOMPARE(rcpt.value(QLatin1String("Status")).toString(), status);
    QCOMPARE(rcpt.value(QLatin1String("Final-Recipient")).toString(), finalRecipient);
    QVERIFY(rcpt.value(QLatin1String("Original-Recipient")).toString().startsWith(QLatin1String("rfc822;")));
    QCOMPARE(rcpt.value(QLatin1String("Remote-MTA")).toString(), QStringLiteral("dns; mx.example.net"));
    QCOMPARE(
        rcpt.value(QLatin1String("Last-Attempt-Date")).toString(), QStringLiteral("Mon, 23 Nov 2026 16:04:05 +0000"));
    QCOMPARE(rcpt.contains(QLatin1String("Will-Retry-Until")), Action(action) == Action::Delayed);
    QCOMPARE(rcpt.contains(QLatin1String("Diagnostic-Code")), !diagnostic.isEmpty());

    // The human text names the recipient and quotes the remote answer, but
    // not our host name.
    const QString text = py.value(QLatin1String("text")).toString();
    QVERIFY2(text.contains(address), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("Lunch on Friday")), qPrintable(text));
    if (!quoted.isEmpty())
        QVERIFY2(text.contains(quoted), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1String("mail.example.org")), qPrintable(text));

    // The returned original, without the Return-Path line.
    if (returnedType == QLatin1String("message/rfc822")) {
        QCOMPARE(py.value(QLatin1String("returnedSubject")).toString(), QStringLiteral("Lunch on Friday"));
        QVERIFY(py.value(QLatin1String("returnedBody")).toString().contains(QLatin1String("see you at noon")));
        QCOMPARE(py.value(QLatin1String("returnedHeaders")).toArray(),
            QJsonArray({ QStringLiteral("From"), QStringLiteral("To"), QStringLiteral("Subject"),
                QStringLiteral("Message-ID") }));
    } else {
        const QString returned = py.value(QLatin1String("returnedText")).toString();
        QCOMPARE(returned.toUtf8().replace("\r\n", "\n"), QByteArray(OriginalHeaders).replace("\r\n", "\n"));
    }
}

void TestDsn::localDiagnosticIsNotQuoted()
{
    // Diagnostics of other types come from this server and may name its
    // configuration: the machine part keeps them, the human text does not.
    const QByteArray message = composeDsn(request(recipient(QStringLiteral("bob@example.net"), Action::Failed,
        QStringLiteral("5.2.2"), QStringLiteral("x-local; /var/lib/mailroom/store full"))));
    const QJsonObject py = parseWithPython(message);
    QVERIFY(!py.isEmpty());
    const QString text = py.value(QLatin1String("text")).toString();
    QVERIFY2(!text.contains(QLatin1String("/var/lib/mailroom")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("mailbox is full")), qPrintable(text));
    QCOMPARE(py.value(QLatin1String("recipients")).toArray().at(0).toObject().value(QLatin1String("Diagnostic-Code")),
        QStringLiteral("x-local; /var/lib/mailroom/store full"));
}

void TestDsn::longDiagnosticIsFolded()
{
    QString diagnostic = QStringLiteral("smtp; 550 5.7.1");
    for (int i = 0; i < 40; ++i)
        diagnostic += QStringLiteral(" word%1").arg(i);
    const QByteArray message = composeDsn(
        request(recipient(QStringLiteral("bob@example.net"), Action::Failed, QStringLiteral("5.7.1"), diagnostic)));
    const qsizetype start = message.indexOf("Diagnostic-Code:");
    QVERIFY(start > 0);
    const QByteArray folded = message.mid(start, message.indexOf("\r\nLast-Attempt-Date:") - start);
    QVERIFY(folded.count("\r\n ") >= 3);
    for (const QByteArray &line : folded.split('\n'))
        QVERIFY2(line.size() <= 79, line.constData());
    const QJsonObject py = parseWithPython(message);
    QVERIFY(!py.isEmpty());
    QCOMPARE(py.value(QLatin1String("recipients")).toArray().at(0).toObject().value(QLatin1String("Diagnostic-Code")),
        diagnostic);
}

void TestDsn::hugeHeaderBlockIsCutAtAField()
{
    DsnRequest req
        = request(recipient(QStringLiteral("bob@example.net"), Action::Failed, QStringLiteral("5.1.1"), QString()));
    req.original = QByteArrayLiteral("Received: from a\r\n  by b\r\n  with c\r\nSubject: x\r\n\r\nbody\r\n");
    req.maxReturnBytes = 30; // inside the folded Received field
    const QByteArray message = composeDsn(req);
    QVERIFY(!message.contains("from a"));
    QVERIFY(!message.contains("body"));
    const QJsonObject py = parseWithPython(message);
    QVERIFY(!py.isEmpty());
    QCOMPARE(py.value(QLatin1String("defects")).toArray(), QJsonArray());
    QCOMPARE(py.value(QLatin1String("parts")).toArray().at(2).toString(), QStringLiteral("text/rfc822-headers"));
    QCOMPARE(py.value(QLatin1String("returnedText")).toString(), QString());
}

void TestDsn::notify_data()
{
    QTest::addColumn<int>("notify");
    QTest::addColumn<int>("action");
    QTest::addColumn<bool>("wanted");

    const int all = NotifySuccess | NotifyFailure | NotifyDelay;
    QTest::newRow("absent, failed") << 0 << int(Action::Failed) << true;
    QTest::newRow("absent, delayed") << 0 << int(Action::Delayed) << false;
    QTest::newRow("absent, delivered") << 0 << int(Action::Delivered) << false;
    QTest::newRow("absent, relayed") << 0 << int(Action::Relayed) << false;
    QTest::newRow("NEVER, failed") << int(NotifyNever) << int(Action::Failed) << false;
    QTest::newRow("NEVER, delayed") << int(NotifyNever) << int(Action::Delayed) << false;
    QTest::newRow("NEVER with FAILURE, failed") << int(NotifyNever | NotifyFailure) << int(Action::Failed) << false;
    QTest::newRow("FAILURE, failed") << int(NotifyFailure) << int(Action::Failed) << true;
    QTest::newRow("FAILURE, delayed") << int(NotifyFailure) << int(Action::Delayed) << false;
    QTest::newRow("FAILURE, delivered") << int(NotifyFailure) << int(Action::Delivered) << false;
    QTest::newRow("DELAY, delayed") << int(NotifyDelay) << int(Action::Delayed) << true;
    QTest::newRow("DELAY, failed") << int(NotifyDelay) << int(Action::Failed) << false;
    QTest::newRow("SUCCESS, delivered") << int(NotifySuccess) << int(Action::Delivered) << true;
    QTest::newRow("SUCCESS, relayed") << int(NotifySuccess) << int(Action::Relayed) << true;
    QTest::newRow("SUCCESS, expanded") << int(NotifySuccess) << int(Action::Expanded) << true;
    QTest::newRow("SUCCESS, failed") << int(NotifySuccess) << int(Action::Failed) << false;
    QTest::newRow("SUCCESS, delayed") << int(NotifySuccess) << int(Action::Delayed) << false;
    QTest::newRow("all, delayed") << all << int(Action::Delayed) << true;
    QTest::newRow("all, failed") << all << int(Action::Failed) << true;
    QTest::newRow("all, delivered") << all << int(Action::Delivered) << true;
    QTest::newRow("FAILURE,DELAY, delivered") << int(NotifyFailure | NotifyDelay) << int(Action::Delivered) << false;
}

void TestDsn::notify()
{
    QFETCH(int, notify);
    QFETCH(int, action);
    QFETCH(bool, wanted);
    QCOMPARE(wantsNotification(quint8(notify), Action(action)), wanted);
}

void TestDsn::date_data()
{
    QTest::addColumn<QDateTime>("when");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("UTC") << Arrival << QByteArrayLiteral("Mon, 23 Nov 2026 15:04:05 +0000");
    QTest::newRow("+02:00 is converted") << QDateTime(QDate(2026, 11, 23), QTime(17, 4, 5), QTimeZone(7200))
                                         << QByteArrayLiteral("Mon, 23 Nov 2026 15:04:05 +0000");
    QTest::newRow("one-digit day, previous day in UTC") << QDateTime(QDate(2026, 3, 2), QTime(0, 30, 0),
        QTimeZone(3600)) << QByteArrayLiteral("Sun, 1 Mar 2026 23:30:00 +0000");
    QTest::newRow("invalid") << QDateTime() << QByteArray();
}

void TestDsn::date()
{
    QFETCH(QDateTime, when);
    QFETCH(QByteArray, expected);
    QCOMPARE(rfc5322Date(when), expected);
}

QTEST_GUILESS_MAIN(TestDsn)
#include "tst_dsn.moc"
