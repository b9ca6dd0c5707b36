// Session, part one: the socket, the line reader, TLS (STLS and pop3s),
// replies, refusals, timeouts and closing. Authentication is in
// sessionauth.cpp, RETR/TOP and the UPDATE state in sessionmail.cpp.
#include "pop3/session.h"

#include "auth/sasl.h"
#include "base/events.h"
#include "config/settings.h"
#include "net/connectioncounter.h"
#include "net/tlscontext.h"
#include "net/tlsstart.h"
#include "pop3/commands.h"
#include "pop3/messagestream.h"
#include "pop3/server.h"

namespace mailroom::pop3
{

namespace
{
// The socket may buffer this much unread input; beyond it TCP pushes back.
constexpr qint64 kReadBuffer = 64 * 1024;
// An AUTH response line may be longer than a command line: the mechanisms
// bound what they accept (SaslMechanism::kMaxResponseBytes, before base64).
constexpr qint64 kAuthLineBytes = auth::SaslMechanism::kMaxResponseBytes / 3 * 4 + 4;

Limits readLimits(const config::Settings &s)
{
    Limits l;
    l.lineBytes = s.intValue(QStringLiteral("pop3.line_limit_bytes"));
    l.errors = int(s.intValue(QStringLiteral("pop3.max_errors")));
    l.commandTimeoutMs = int(s.intValue(QStringLiteral("pop3.command_timeout_secs")) * 1000);
    return l;
}
} // namespace

Session::Session(ServerContext &ctx, ServiceInfo service, qintptr descriptor, QObject *parent)
    : QObject(parent)
    , m_ctx(ctx)
    , m_service(std::move(service))
    , m_limits(readLimits(ctx.settings))
    , m_socket(new QSslSocket(this))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        m_ctx.bus.raise(EventId::Pop3Limit,
            { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                { QStringLiteral("reason"), QStringLiteral("timeout (pop3.command_timeout_secs)") } });
        // RFC 1939 §3: the autologout timer closes without entering UPDATE.
        if (m_phase != Phase::Sending)
            reply(replies::timeout());
        close(QStringLiteral("timeout"));
    });
    if (!m_socket->setSocketDescriptor(descriptor)) {
        m_peer = net::peerOfDescriptor(descriptor); // the destructor gives its slot back
        deleteLater();
        return;
    }
    m_peer = m_socket->peerAddress();
    m_socket->setReadBufferSize(kReadBuffer);
    connect(m_socket, &QSslSocket::readyRead, this, &Session::onReadyRead);
    connect(m_socket, &QSslSocket::bytesWritten, this, &Session::onDrained);
    connect(m_socket, &QSslSocket::encryptedBytesWritten, this, &Session::onDrained);
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        m_phase = Phase::Closing;
        deleteLater();
    });
    connect(m_socket, &QSslSocket::encrypted, this, &Session::onEncrypted);
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        if (e == QAbstractSocket::SslHandshakeFailedError || e == QAbstractSocket::SslInternalError)
            m_ctx.bus.raise(EventId::Pop3TlsFailed,
                { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                    { QStringLiteral("error"), m_socket->errorString() } });
        if (e != QAbstractSocket::RemoteHostClosedError)
            m_socket->abort();
    });
    m_ctx.bus.raise(EventId::Pop3Connected,
        { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() } });
    armTimer();
    if (m_service.implicitTls) {
        if (!tlsAvailable()) {
            close(QStringLiteral("no TLS certificate"));
            return;
        }
        m_phase = Phase::Waiting;
        net::startServerTls(m_socket, *m_ctx.tls);
        return;
    }
    reply(replies::ok(m_ctx.hostname.toUtf8() + " Mailroom POP3 ready"));
}

Session::~Session()
{
    // The slot taken when the connection was accepted, also when the
    // socket could not be adopted.
    m_ctx.connections.release(m_peer);
}

QString Session::peerText() const
{
    return m_peer.toString();
}

bool Session::isTls() const
{
    return m_socket->isEncrypted();
}

bool Session::tlsAvailable() const
{
    return m_ctx.tls != nullptr;
}

bool Session::plaintextAuthAllowed() const
{
    return isTls() || m_ctx.settings.boolValue(QStringLiteral("auth.allow_plaintext"));
}

void Session::replyRaw(const QByteArray &bytes)
{
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(bytes);
}

void Session::reply(const Reply &r)
{
    replyRaw(r.format());
}

void Session::refuse(const Reply &r, const QByteArray &command, const QString &reason)
{
    m_ctx.bus.raise(EventId::Pop3Rejected,
        { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
            { QStringLiteral("command"), QString::fromLatin1(command) }, { QStringLiteral("reason"), reason } });
    reply(r);
    if (++m_errors >= m_limits.errors) {
        m_ctx.bus.raise(EventId::Pop3Limit,
            { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                { QStringLiteral("reason"), QStringLiteral("too many errors (pop3.max_errors)") } });
        reply(replies::tooManyErrors());
        close(QStringLiteral("too many errors"));
    }
}

void Session::close(const QString &reason)
{
    if (m_phase == Phase::Closing)
        return;
    m_phase = Phase::Closing;
    m_timer.stop();
    m_in.clear();
    m_stream.reset();
    m_ctx.bus.raise(EventId::Pop3Disconnected,
        { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
            { QStringLiteral("reason"), reason } });
    m_socket->disconnectFromHost();
    // A peer that never reads must not keep us: abort after a grace period.
    QTimer::singleShot(10000, this, [this] { m_socket->abort(); });
}

void Session::armTimer()
{
    m_timer.start(m_limits.commandTimeoutMs);
}

qint64 Session::pendingOutput() const
{
    return m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite();
}

void Session::onReadyRead()
{
    if (m_phase == Phase::Closing) {
        m_socket->readAll();
        return;
    }
    process();
}

void Session::onDrained()
{
    if (m_phase == Phase::Sending) {
        armTimer(); // a slow reader of a big message is still a live client
        pump();
    } else if (m_phase == Phase::Command || m_phase == Phase::Auth) {
        process(); // commands may have waited for the output to drain
    }
}

void Session::process()
{
    while (m_phase == Phase::Command || m_phase == Phase::Auth) {
        // A client that pipelines commands but never reads the answers
        // stops being read: its output is bounded, TCP pushes back on it.
        if (pendingOutput() > kHighWater)
            return;
        const qint64 limit = m_phase == Phase::Auth ? std::max(m_limits.lineBytes, kAuthLineBytes) : m_limits.lineBytes;
        if (m_socket->bytesAvailable() > 0 && m_in.size() < limit + 2)
            m_in += m_socket->read(limit + 2 - m_in.size());
        if (m_in.isEmpty())
            return;
        const qsizetype lf = m_in.indexOf('\n');
        if (lf < 0) {
            if (m_in.size() > limit) {
                if (!m_discardingLine)
                    refuse(replies::lineTooLong(), "(long line)", QStringLiteral("line over pop3.line_limit_bytes"));
                m_discardingLine = true;
                m_in.clear();
                continue;
            }
            if (m_socket->bytesAvailable() > 0)
                continue;
            return;
        }
        QByteArray line = m_in.left(lf);
        m_in.remove(0, lf + 1);
        armTimer();
        if (m_discardingLine) {
            m_discardingLine = false;
            continue;
        }
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.size() + 2 > limit) {
            refuse(replies::lineTooLong(), "(long line)", QStringLiteral("line over pop3.line_limit_bytes"));
            continue;
        }
        if (m_phase == Phase::Auth)
            handleAuthLine(line);
        else
            commands::dispatch(*this, line);
    }
}

void Session::beginStls()
{
    reply(replies::ok("Begin TLS negotiation"));
    // Anything the client pipelined after STLS was sent in clear text and
    // must not be taken as if it came inside TLS (RFC 2595 §4, CVE-2011-0411).
    m_in.clear();
    m_socket->readAll();
    m_socket->flush();
    m_phase = Phase::Waiting;
    net::startServerTls(m_socket, *m_ctx.tls);
}

void Session::onEncrypted()
{
    // RFC 2595 §4: the client starts over; so does the server.
    m_userArg.clear();
    m_in.clear();
    m_phase = Phase::Command;
    armTimer();
    if (m_service.implicitTls)
        reply(replies::ok(m_ctx.hostname.toUtf8() + " Mailroom POP3 ready"));
    process();
}

void Session::storeFailed(const QString &operation, const QString &error)
{
    m_ctx.bus.raise(EventId::Pop3StoreFailed,
        { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
            { QStringLiteral("operation"), operation }, { QStringLiteral("user"), m_authUser },
            { QStringLiteral("error"), error } });
}

} // namespace mailroom::pop3
