// One outbound SMTP connection as a state machine driven by QSslSocket
// signals: connect, greeting, EHLO (HELO fallback), STARTTLS, EHLO again,
// AUTH at a smarthost; then replies are matched in order to the handlers of
// the commands written (PIPELINING works the same way).
// RFC 5321 §3.1, §4.1, §4.5.3.2 (timeouts); RFC 3207 STARTTLS; RFC 4954 AUTH
// (PLAIN, LOGIN); RFC 2920 PIPELINING.
// Trust level: talks to servers on the Internet: replies are bounded by
// ReplyParser, every wait has a timeout, nothing blocks.
#pragma once

#include <functional>
#include <memory>

#include <QList>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>

#include "delivery/remote/capabilities.h"
#include "delivery/remote/replyparser.h"
#include "delivery/remote/routewalker.h"
#include "queue/deliveryagent.h"

class QFile;
class QSslSocket;

namespace mailroom::delivery
{

class BodyWriter;

struct ClientSettings {
    enum class Tls {
        Opportunistic, // STARTTLS when offered; a failed handshake may be retried in clear
        Required, // STARTTLS or nothing (smarthost)
        Implicit, // TLS from the first byte (smarthost, port 465)
        Off, // never (smarthost with relay.tls = none)
    };
    QString heloName;
    int connectTimeoutSecs = 30;
    int commandTimeoutSecs = 300;
    int dataTimeoutSecs = 600;
    Tls tls = Tls::Opportunistic;
    QString username; // AUTH when not empty
    QString password;
    QSslConfiguration tlsConfig;
};

struct SessionFailure {
    enum class Kind {
        NextHost, // before the session was ready: try the next address
        RetryWithoutTls, // the STARTTLS handshake failed: same host again, in clear
        Final, // the job ends with `outcome` for every open recipient
    };
    Kind kind = Kind::NextHost;
    queue::Outcome outcome = queue::Outcome::Deferred;
    QString status;
    QString diagnostic;
};

class SmtpClient : public QObject
{
    Q_OBJECT

public:
    using ReplyHandler = std::function<void(const SmtpReply &)>;

    SmtpClient(ClientSettings settings, QObject *parent = nullptr);
    ~SmtpClient() override;

    // Connects and runs the session setup; then onReady, or onFailure.
    void open(const Target &target, bool allowTls);

    // Set by whoever drives the client now. onFailure runs at most once; the
    // connection is closed by then and the client may be deleted (deleteLater).
    std::function<void()> onReady;
    std::function<void(const SessionFailure &)> onFailure;

    const Capabilities &capabilities() const
    {
        return m_caps;
    }
    const Target &target() const
    {
        return m_target;
    }
    // Ready, nothing pending, no 421 seen: may carry another transaction.
    bool isReusable() const;

    // Commands: `bytes` holds one or more complete lines; each line that
    // expects a reply gets one expect(), in order.
    void write(const QByteArray &bytes);
    void expect(ReplyHandler handler, int timeoutSecs);
    // Streams the message after 354; `written` runs when the final dot is queued.
    void sendBody(QFile &file, std::function<void()> written);
    // RSET before reusing a kept connection; `done(true)` on a 2xx reply.
    void reset(std::function<void(bool ok)> done);

    // Sends QUIT, waits briefly for the reply and deletes itself. No callback runs.
    void quitAndDelete();
    // Closes at once. No callback runs.
    void abort();

    const ClientSettings &settings() const
    {
        return m_settings;
    }

private:
    enum class Phase { Unopened, Connecting, Setup, Ready, Closed };
    struct Pending {
        ReplyHandler handler;
        int timeoutSecs = 0;
    };

    void onConnected();
    void onReadyRead();
    void onSocketError();
    void onTimeout();
    void armTimer();
    void failConnection(const QString &what);
    void fail(SessionFailure failure);
    void close();
    QString where() const;

    // smtpsetup.cpp
    void onGreeting(const SmtpReply &reply);
    void sendEhlo();
    void onEhlo(const SmtpReply &reply);
    void onHelo(const SmtpReply &reply);
    void afterEhlo();
    void startTls();
    void onEncrypted();
    void logTls();
    void authenticate();
    void authLoginStep(const SmtpReply &reply, int step);
    void onAuthResult(const SmtpReply &reply);
    void setupFailed(const SmtpReply &reply, const QString &during);
    void finalFailure(const QString &status, const QString &diagnostic);
    void becomeReady();

    ClientSettings m_settings;
    Target m_target;
    bool m_allowTls = true;
    QSslSocket *m_socket = nullptr;
    ReplyParser m_parser;
    QList<Pending> m_pending;
    QTimer m_timer;
    Phase m_phase = Phase::Unopened;
    bool m_tlsHandshake = false; // STARTTLS handshake running
    bool m_tlsActive = false;
    bool m_ehloAfterTls = false;
    bool m_saw421 = false;
    Capabilities m_caps;
    BodyWriter *m_body = nullptr;
};

} // namespace mailroom::delivery
