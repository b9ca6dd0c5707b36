// The GUI tests' shared harness: starts a real mailroomd on free loopback
// ports with a temporary data folder (DESIGN §8), calls admin methods and
// waits for the answer, sends mail with Python's smtplib, and answers the
// console's confirmation boxes. Each test links this file and defines
// MAILROOMD_PATH (tests/gui/CMakeLists.txt).
#pragma once

#include <functional>

#include <QHash>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace mailroom::adminclient
{
class AdminClient;
struct Reply;
} // namespace mailroom::adminclient

namespace mailroom::testing
{

int freeTcpPort();
int freeUdpPort();

class TestEngine
{
public:
    // The data folder is folder/data; the admin socket folder/data/run/admin.sock.
    explicit TestEngine(const QString &folder);
    ~TestEngine();

    // listeners (smtp, submission, imap, …) get a free loopback port each;
    // every other listener is off. settings are NAME=VALUE, after the
    // defaults (fast scrypt, quiet log, loopback, mx.example.com, a DNS
    // server that never answers, 300 ms DNS timeout). Waits for the socket.
    bool start(const QStringList &listeners = {}, const QStringList &settings = {});
    void stop();

    QString socket() const
    {
        return m_socket;
    }
    int port(const QString &listener) const
    {
        return m_ports.value(listener);
    }
    QProcess &process()
    {
        return m_process;
    }

private:
    QString m_folder;
    QString m_socket;
    QHash<QString, int> m_ports;
    QProcess m_process;
};

// Calls method and waits up to 20 s. The result object; on failure {} with
// a warning, and the reply in *reply when given.
QJsonObject callAndWait(adminclient::AdminClient &client,
    const QString &method,
    const QJsonObject &params,
    adminclient::Reply *reply = nullptr);

// Sends one message over plain SMTP (port 25 style, no AUTH) with smtplib.
bool sendMail(int port, const QString &from, const QStringList &to, const QByteArray &message);

// Clicks the button with buttonText in the next message box that shows up
// (from a modal exec()); returns at once. clicked is set when it did.
void answerNextMessageBox(const QString &buttonText, bool *clicked = nullptr, QString *text = nullptr);

} // namespace mailroom::testing
