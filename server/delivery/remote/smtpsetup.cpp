// SmtpClient session setup: greeting, EHLO with HELO fallback, STARTTLS and
// the second EHLO, the TLS result in the log, AUTH PLAIN or LOGIN at a
// smarthost. RFC 5321 §3.1, §4.1.1.1, §4.1.4 (EHLO/HELO); RFC 3207 §4.2
// (discard all knowledge after STARTTLS); RFC 4954 §4 (AUTH), RFC 4616 PLAIN.
// Trust level: talks to servers on the Internet. Credentials only ever go
// over TLS (unless relay.tls is none) and are never logged.
#include <QSslCipher>
#include <QSslSocket>

#include "delivery/logging.h"
#include "delivery/remote/smtpclient.h"

namespace mailroom::delivery
{

namespace
{

void wipe(QByteArray &secret)
{
    secret.fill('\0');
    secret.clear();
}

// A server's 5xx to AUTH still means "try later" for us: the job is not at fault.
QString deferredStatus(const SmtpReply &reply)
{
    QString status = reply.status();
    status[0] = u'4';
    return status;
}

} // namespace

void SmtpClient::onGreeting(const SmtpReply &reply)
{
    if (reply.kind() != 2) {
        setupFailed(reply, QStringLiteral("greeting"));
        return;
    }
    sendEhlo();
}

void SmtpClient::sendEhlo()
{
    write("EHLO " + m_settings.heloName.toUtf8() + "\r\n");
    expect([this](const SmtpReply &r) { onEhlo(r); }, m_settings.commandTimeoutSecs);
}

void SmtpClient::onEhlo(const SmtpReply &reply)
{
    if (reply.kind() == 2) {
        m_caps = Capabilities::fromEhlo(reply);
        afterEhlo();
    } else if (reply.kind() == 5) {
        // RFC 5321 §3.2: a server that does not know EHLO gets HELO.
        write("HELO " + m_settings.heloName.toUtf8() + "\r\n");
        expect([this](const SmtpReply &r) { onHelo(r); }, m_settings.commandTimeoutSecs);
    } else {
        setupFailed(reply, QStringLiteral("EHLO"));
    }
}

void SmtpClient::onHelo(const SmtpReply &reply)
{
    if (reply.kind() != 2) {
        setupFailed(reply, QStringLiteral("HELO"));
        return;
    }
    m_caps = Capabilities {};
    afterEhlo();
}

void SmtpClient::afterEhlo()
{
    if (!m_tlsActive && m_settings.tls == ClientSettings::Tls::Required) {
        if (!m_caps.startTls) {
            finalFailure(QStringLiteral("4.7.0"),
                QStringLiteral("x-mailroom; %1 does not offer STARTTLS, which relay.tls requires").arg(where()));
            return;
        }
        startTls();
        return;
    }
    if (!m_tlsActive && m_allowTls && m_settings.tls == ClientSettings::Tls::Opportunistic && m_caps.startTls) {
        startTls();
        return;
    }
    if (!m_settings.username.isEmpty()) {
        authenticate();
        return;
    }
    becomeReady();
}

void SmtpClient::startTls()
{
    write(QByteArrayLiteral("STARTTLS\r\n"));
    expect(
        [this](const SmtpReply &reply) {
            if (reply.kind() != 2) {
                if (m_settings.tls == ClientSettings::Tls::Required) {
                    finalFailure(QStringLiteral("4.7.0"), reply.diagnostic());
                    return;
                }
                qCInfo(lcDelivery).noquote()
                    << "STARTTLS refused by" << where() << "- continuing without TLS:" << reply.diagnostic();
                m_allowTls = false;
                afterEhlo();
                return;
            }
            if (!m_parser.isIdle()) {
                // Plain-text bytes after the 220 would be taken as if they came
                // over TLS (the CVE-2011-0411 class of injection).
                fail({ SessionFailure::Kind::NextHost, queue::Outcome::Deferred, QStringLiteral("4.5.0"),
                    QStringLiteral("x-mailroom; %1 sent data after its STARTTLS reply").arg(where()) });
                return;
            }
            m_tlsHandshake = true;
            m_timer.start(m_settings.commandTimeoutSecs * 1000);
            m_socket->startClientEncryption();
        },
        m_settings.commandTimeoutSecs);
}

void SmtpClient::onEncrypted()
{
    if (m_phase == Phase::Closed)
        return;
    m_tlsActive = true;
    logTls();
    if (m_phase == Phase::Connecting) { // implicit TLS: now the greeting
        m_phase = Phase::Setup;
        expect([this](const SmtpReply &r) { onGreeting(r); }, m_settings.commandTimeoutSecs);
        return;
    }
    m_tlsHandshake = false;
    // RFC 3207 §4.2: forget everything learned before the handshake.
    m_parser.reset();
    m_caps = Capabilities {};
    sendEhlo();
}

void SmtpClient::logTls()
{
    const QSslCipher cipher = m_socket->sessionCipher();
    const QList<QSslError> errors = m_socket->sslHandshakeErrors();
    QStringList why;
    for (const QSslError &e : errors)
        why.append(e.errorString());
    const QString verdict = errors.isEmpty() ? QStringLiteral("verified")
                                             : QStringLiteral("not verified (%1)").arg(why.join(QStringLiteral("; ")));
    qCInfo(lcDelivery).noquote() << "TLS with" << where() << cipher.protocolString() << cipher.name() << "certificate"
                                 << verdict;
}

void SmtpClient::authenticate()
{
    if (!m_tlsActive && m_settings.tls != ClientSettings::Tls::Off) {
        finalFailure(QStringLiteral("4.7.0"),
            QStringLiteral("x-mailroom; refusing to send credentials to %1 without TLS").arg(where()));
        return;
    }
    if (m_caps.authMechanisms.contains(QLatin1String("PLAIN"))) {
        // RFC 4616: [authzid] NUL authcid NUL passwd, as an initial response.
        QByteArray payload = '\0' + m_settings.username.toUtf8() + '\0' + m_settings.password.toUtf8();
        QByteArray line = "AUTH PLAIN " + payload.toBase64() + "\r\n";
        write(line);
        wipe(payload);
        wipe(line);
        expect([this](const SmtpReply &r) { onAuthResult(r); }, m_settings.commandTimeoutSecs);
    } else if (m_caps.authMechanisms.contains(QLatin1String("LOGIN"))) {
        write(QByteArrayLiteral("AUTH LOGIN\r\n"));
        expect([this](const SmtpReply &r) { authLoginStep(r, 0); }, m_settings.commandTimeoutSecs);
    } else {
        finalFailure(QStringLiteral("4.7.0"),
            QStringLiteral("x-mailroom; %1 offers neither AUTH PLAIN nor AUTH LOGIN").arg(where()));
    }
}

void SmtpClient::authLoginStep(const SmtpReply &reply, int step)
{
    if (reply.code != 334) {
        onAuthResult(reply);
        return;
    }
    QByteArray secret = (step == 0 ? m_settings.username : m_settings.password).toUtf8().toBase64() + "\r\n";
    write(secret);
    wipe(secret);
    if (step == 0)
        expect([this](const SmtpReply &r) { authLoginStep(r, 1); }, m_settings.commandTimeoutSecs);
    else
        expect([this](const SmtpReply &r) { onAuthResult(r); }, m_settings.commandTimeoutSecs);
}

void SmtpClient::onAuthResult(const SmtpReply &reply)
{
    if (reply.kind() == 2) {
        becomeReady();
        return;
    }
    qCWarning(lcDelivery).noquote() << "AUTH at" << where() << "failed:" << reply.diagnostic();
    finalFailure(deferredStatus(reply), reply.diagnostic());
}

void SmtpClient::setupFailed(const SmtpReply &reply, const QString &during)
{
    qCInfo(lcDelivery).noquote() << where() << "refused" << during << "-" << reply.diagnostic();
    fail({ SessionFailure::Kind::NextHost, queue::Outcome::Deferred, QStringLiteral("4.4.1"), reply.diagnostic() });
}

void SmtpClient::finalFailure(const QString &status, const QString &diagnostic)
{
    fail({ SessionFailure::Kind::Final, queue::Outcome::Deferred, status, diagnostic });
}

void SmtpClient::becomeReady()
{
    m_phase = Phase::Ready;
    armTimer();
    auto callback = onReady;
    if (callback)
        callback();
}

} // namespace mailroom::delivery
