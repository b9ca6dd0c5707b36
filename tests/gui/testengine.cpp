// The GUI tests' shared harness; see testengine.h.
#include "testengine.h"

#include <QAbstractButton>
#include <QApplication>
#include <QFileInfo>
#include <QMessageBox>
#include <QPointer>
#include <QTcpServer>
#include <QTest>
#include <QTimer>
#include <QUdpSocket>

#include "adminclient/adminclient.h"

namespace mailroom::testing
{

int freeTcpPort()
{
    QTcpServer s;
    return s.listen(QHostAddress::LocalHost, 0) ? s.serverPort() : 0;
}

int freeUdpPort()
{
    QUdpSocket s;
    return s.bind(QHostAddress::LocalHost, 0) ? s.localPort() : 0;
}

TestEngine::TestEngine(const QString &folder)
    : m_folder(folder)
    , m_socket(folder + QStringLiteral("/data/run/admin.sock"))
{
}

TestEngine::~TestEngine()
{
    stop();
}

bool TestEngine::start(const QStringList &listeners, const QStringList &settings)
{
    QStringList args { QStringLiteral("--data"), m_folder + QStringLiteral("/data") };
    QStringList all { QStringLiteral("auth.scrypt_log2n=10"), QStringLiteral("log.stderr=false"),
        QStringLiteral("listen.address=127.0.0.1"), QStringLiteral("server.hostname=mx.example.com"),
        QStringLiteral("dns.timeout_ms=300"), QStringLiteral("dns.nameserver=127.0.0.1:%1").arg(freeUdpPort()) };
    for (const char *l : { "smtp", "submission", "smtps", "imap", "imaps", "pop3", "pop3s" }) {
        const QString name = QLatin1String(l);
        const int port = listeners.contains(name) ? freeTcpPort() : 0;
        if (port)
            m_ports.insert(name, port);
        all << QStringLiteral("%1.port=%2").arg(name).arg(port);
    }
    all << settings;
    for (const QString &s : std::as_const(all))
        args << QStringLiteral("--set") << s;
    m_process.setProcessChannelMode(QProcess::ForwardedChannels);
    m_process.start(QStringLiteral(MAILROOMD_PATH), args);
    if (!m_process.waitForStarted())
        return false;
    return QTest::qWaitFor([this] { return QFileInfo::exists(m_socket); }, 20000);
}

void TestEngine::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    m_process.waitForFinished(10000);
}

QJsonObject callAndWait(
    adminclient::AdminClient &client, const QString &method, const QJsonObject &params, adminclient::Reply *reply)
{
    bool done = false;
    adminclient::Reply answer;
    client.call(method, params, [&](const adminclient::Reply &r) {
        done = true;
        answer = r;
        if (!r.ok)
            qWarning("%s: %s", qPrintable(method), qPrintable(r.errorMessage));
    });
    if (!QTest::qWaitFor([&] { return done; }, 20000))
        qWarning("%s: no answer from the engine", qPrintable(method));
    if (reply)
        *reply = answer;
    return answer.object();
}

bool sendMail(int port, const QString &from, const QStringList &to, const QByteArray &message)
{
    static const char script[] = "import smtplib, sys\n"
                                 "msg = sys.stdin.buffer.read()\n"
                                 "with smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=30) as s:\n"
                                 "    refused = s.sendmail(sys.argv[2], sys.argv[3:], msg)\n"
                                 "    assert refused == {}, refused\n";
    QProcess python;
    python.setProcessChannelMode(QProcess::ForwardedChannels);
    python.start(QStringLiteral("python3"),
        QStringList { QStringLiteral("-c"), QString::fromLatin1(script), QString::number(port), from } + to);
    if (!python.waitForStarted())
        return false;
    python.write(message);
    python.closeWriteChannel();
    return python.waitForFinished(60000) && python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0;
}

void answerNextMessageBox(const QString &buttonText, bool *clicked, QString *text)
{
    auto *poll = new QTimer(qApp);
    poll->setInterval(50);
    int tries = 0;
    QObject::connect(poll, &QTimer::timeout, poll, [poll, buttonText, clicked, text, tries]() mutable {
        if (++tries > 400) { // 20 s: never leave a test waiting
            qWarning("no message box with \"%s\" showed up", qPrintable(buttonText));
            poll->deleteLater();
            return;
        }
        for (QWidget *w : QApplication::topLevelWidgets()) {
            auto *box = qobject_cast<QMessageBox *>(w);
            if (!box || !box->isVisible())
                continue;
            poll->stop();
            poll->deleteLater();
            if (text)
                *text = box->text() + u'\n' + box->informativeText();
            for (QAbstractButton *b : box->buttons())
                if (b->text() == buttonText) {
                    if (clicked)
                        *clicked = true;
                    b->click();
                    return;
                }
            qWarning("the message box has no button \"%s\"", qPrintable(buttonText));
            box->reject();
            return;
        }
    });
    poll->start();
}

} // namespace mailroom::testing
