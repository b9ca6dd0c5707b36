// SmtpClient: the socket, reply matching, timeouts and failure classification
// (see smtpclient.h); the session setup (EHLO, STARTTLS, AUTH) is in
// smtpsetup.cpp. RFC 5321 §4.5.3.2: every wait is bounded (connect, each
// reply, the data phase); any progress while writing restarts the clock.
// Trust level: talks to servers on the Internet. A failure closes the socket
// first and then calls the driver once, so no handler runs on a dead session.
#include "delivery/remote/smtpclient.h"

#include <QPointer>
#include <QSslSocket>

#include "delivery/logging.h"
#include "delivery/remote/bodywriter.h"

namespace mailroom::delivery
{

SmtpClient::SmtpClient(ClientSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SmtpClient::onTimeout);
}

SmtpClient::~SmtpClient()
{
    onReady = nullptr;
    onFailure = nullptr;
    close();
}

void SmtpClient::open(const Target &target, bool allowTls)
{
    Q_ASSERT(m_phase == Phase::Unopened);
    m_target = target;
    m_allowTls = allowTls && m_settings.tls != ClientSettings::Tls::Off;
    m_socket = new QSslSocket(this);
    // We drain on every readyRead; this caps what Qt buffers in between.
    m_socket->setReadBufferSize(64 * 1024);
    QSslConfiguration config
        = m_settings.tlsConfig.isNull() ? QSslConfiguration::defaultConfiguration() : m_settings.tlsConfig;
    // We check the certificate ourselves and log the result (opportunistic TLS
    // must not fail on a self-signed certificate, RFC 7435).
    config.setPeerVerifyMode(QSslSocket::QueryPeer);
    m_socket->setSslConfiguration(config);
    m_socket->setPeerVerifyName(target.host);
    connect(m_socket, &QSslSocket::connected, this, &SmtpClient::onConnected);
    connect(m_socket, &QSslSocket::encrypted, this, &SmtpClient::onEncrypted);
    connect(m_socket, &QSslSocket::readyRead, this, &SmtpClient::onReadyRead);
    connect(m_socket, &QSslSocket::errorOccurred, this, &SmtpClient::onSocketError);
    connect(m_socket, &QSslSocket::disconnected, this,
        [this] { failConnection(QStringLiteral("connection closed by the server")); });
    auto progress = [this] {
        if (m_timer.isActive())
            m_timer.start(); // writing makes progress: restart the same interval
    };
    connect(m_socket, &QSslSocket::bytesWritten, this, progress);
    connect(m_socket, &QSslSocket::encryptedBytesWritten, this, progress);
    m_phase = Phase::Connecting;
    m_timer.start(m_settings.connectTimeoutSecs * 1000);
    if (m_settings.tls == ClientSettings::Tls::Implicit)
        m_socket->connectToHostEncrypted(target.address.toString(), target.port, target.host);
    else
        m_socket->connectToHost(target.address, target.port);
}

QString SmtpClient::where() const
{
    return QStringLiteral("%1 [%2]:%3").arg(m_target.host, m_target.address.toString()).arg(m_target.port);
}

void SmtpClient::onConnected()
{
    if (m_settings.tls == ClientSettings::Tls::Implicit)
        return; // the greeting comes after the handshake (onEncrypted)
    m_phase = Phase::Setup;
    expect([this](const SmtpReply &r) { onGreeting(r); }, m_settings.commandTimeoutSecs);
}

void SmtpClient::onReadyRead()
{
    if (m_phase == Phase::Closed || !m_socket)
        return;
    m_parser.feed(m_socket->readAll());
    QPointer<SmtpClient> self(this);
    while (m_parser.hasReply()) {
        const SmtpReply reply = m_parser.takeReply();
        if (reply.code == 421)
            m_saw421 = true; // the server is closing the channel (RFC 5321 §3.8)
        if (m_pending.isEmpty()) {
            m_parser.reset();
            failConnection(QStringLiteral("unexpected reply: %1").arg(reply.diagnostic()));
            return;
        }
        const Pending next = m_pending.takeFirst();
        armTimer();
        next.handler(reply);
        if (!self || m_phase == Phase::Closed)
            return;
    }
    if (m_parser.failed()) {
        const QString why = m_parser.error();
        const QString diag = QStringLiteral("x-mailroom; protocol error from %1: %2").arg(where(), why);
        if (m_phase == Phase::Ready)
            fail({ SessionFailure::Kind::Final, queue::Outcome::Deferred, QStringLiteral("4.5.0"), diag });
        else
            fail({ SessionFailure::Kind::NextHost, queue::Outcome::Deferred, QStringLiteral("4.5.0"), diag });
    }
}

void SmtpClient::onSocketError()
{
    if (m_socket)
        failConnection(m_socket->errorString());
}

void SmtpClient::onTimeout()
{
    QString what = QStringLiteral("timed out waiting for a reply");
    if (m_phase == Phase::Connecting)
        what = QStringLiteral("timed out connecting");
    else if (m_tlsHandshake)
        what = QStringLiteral("TLS handshake timed out");
    else if (m_body)
        what = QStringLiteral("timed out sending the message");
    failConnection(what);
}

void SmtpClient::armTimer()
{
    if (m_phase == Phase::Closed)
        m_timer.stop();
    else if (m_body)
        m_timer.start(m_settings.dataTimeoutSecs * 1000);
    else if (!m_pending.isEmpty())
        m_timer.start(m_pending.first().timeoutSecs * 1000);
    else if (!m_tlsHandshake && m_phase != Phase::Connecting)
        m_timer.stop();
}

void SmtpClient::failConnection(const QString &what)
{
    if (m_phase == Phase::Closed)
        return;
    const QString diag = QStringLiteral("x-mailroom; %1: %2").arg(where(), what);
    SessionFailure f { SessionFailure::Kind::NextHost, queue::Outcome::Deferred, QStringLiteral("4.4.1"), diag };
    if (m_tlsHandshake) {
        if (m_settings.tls == ClientSettings::Tls::Opportunistic) {
            f.kind = SessionFailure::Kind::RetryWithoutTls;
        } else {
            f.kind = SessionFailure::Kind::Final;
            f.status = QStringLiteral("4.7.0");
        }
    } else if (m_phase == Phase::Ready) {
        f.kind = SessionFailure::Kind::Final; // lost mid-transaction (or while idle)
        f.status = QStringLiteral("4.4.2");
    }
    fail(f);
}

void SmtpClient::fail(SessionFailure failure)
{
    if (m_phase == Phase::Closed)
        return;
    close();
    auto callback = std::move(onFailure);
    onFailure = nullptr;
    onReady = nullptr;
    if (callback)
        callback(failure);
}

void SmtpClient::close()
{
    m_phase = Phase::Closed;
    m_pending.clear();
    m_timer.stop();
    m_tlsHandshake = false;
    if (m_body) {
        // Possibly called from inside the writer (a write that fails at once).
        m_body->stop();
        m_body->deleteLater();
        m_body = nullptr;
    }
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
    }
}

bool SmtpClient::isReusable() const
{
    return m_phase == Phase::Ready && m_pending.isEmpty() && !m_body && !m_saw421 && m_socket
        && m_socket->state() == QAbstractSocket::ConnectedState;
}

void SmtpClient::write(const QByteArray &bytes)
{
    if (m_phase != Phase::Closed && m_socket)
        m_socket->write(bytes);
}

void SmtpClient::expect(ReplyHandler handler, int timeoutSecs)
{
    m_pending.append(Pending { std::move(handler), timeoutSecs });
    if (m_pending.size() == 1 && !m_body)
        m_timer.start(timeoutSecs * 1000);
}

void SmtpClient::sendBody(QFile &file, std::function<void()> written)
{
    m_body = new BodyWriter(
        *m_socket, file,
        [this, written = std::move(written)](const QString &error) {
            m_body->deleteLater();
            m_body = nullptr;
            if (!error.isEmpty()) {
                // Never end the DATA phase: a truncated message must not be accepted.
                fail({ SessionFailure::Kind::Final, queue::Outcome::Deferred, QStringLiteral("4.3.0"),
                    QStringLiteral("x-mailroom; %1").arg(error) });
                return;
            }
            armTimer();
            written();
        },
        this);
    m_timer.start(m_settings.dataTimeoutSecs * 1000);
    m_body->start();
}

void SmtpClient::reset(std::function<void(bool ok)> done)
{
    write(QByteArrayLiteral("RSET\r\n"));
    expect([done = std::move(done)](const SmtpReply &r) { done(r.kind() == 2); }, m_settings.commandTimeoutSecs);
}

void SmtpClient::quitAndDelete()
{
    onReady = nullptr;
    onFailure = nullptr;
    if (!isReusable()) {
        close();
        deleteLater();
        return;
    }
    onFailure = [this](const SessionFailure &) { deleteLater(); };
    write(QByteArrayLiteral("QUIT\r\n"));
    expect(
        [this](const SmtpReply &) {
            onFailure = nullptr;
            close();
            deleteLater();
        },
        10);
}

void SmtpClient::abort()
{
    onReady = nullptr;
    onFailure = nullptr;
    close();
}

} // namespace mailroom::delivery
