// Session: the IMAP connection's state machine: reading and framing, command
// dispatch (inline or on the store workers), untagged updates of the
// selected mailbox, STARTTLS, timeouts and error limits (RFC 9051 §2.2, §3,
// §5.4, §7.1). Authentication and IDLE are in sessionauth.cpp and
// sessionidle.cpp. Trust level: talks to the Internet.
#include "imap/session.h"

#include <QFutureWatcher>
#include <QtConcurrent>

#include "auth/sasl.h"
#include "base/events.h"
#include "config/settings.h"
#include "imap/commands.h"
#include "imap/deflate.h"
#include "imap/parser/mutf7.h"
#include "imap/server.h"
#include "net/connectioncounter.h"
#include "net/tlscontext.h"
#include "net/tlsstart.h"
#include "store/mailstore.h"
#include "store/store.h"

namespace mailroom::imap
{

namespace
{
constexpr qint64 kReadBuffer = 256 * 1024;
constexpr qint64 kOutputHighWater = 4 * 1024 * 1024; // FETCH waits for the client below this
constexpr qint64 kMaxBuffered = 1024 * 1024; // input taken from the socket ahead of the reader

Limits readLimits(const config::Settings &s)
{
    Limits l;
    l.reader.lineBytes = s.intValue(QStringLiteral("imap.line_limit_bytes"));
    l.appendBytes = s.intValue(QStringLiteral("imap.append_limit_bytes"));
    l.reader.literalBytes = l.appendBytes;
    l.reader.commandBytes = l.appendBytes + l.reader.lineBytes;
    l.errors = int(s.intValue(QStringLiteral("imap.max_errors")));
    l.idleTimeoutMs = int(s.intValue(QStringLiteral("imap.idle_timeout_secs"))) * 1000;
    l.loginTimeoutMs = int(s.intValue(QStringLiteral("imap.login_timeout_secs"))) * 1000;
    return l;
}
} // namespace

Session::Session(ServerContext &ctx, ServiceInfo service, qintptr descriptor, QObject *parent)
    : QObject(parent)
    , m_ctx(ctx)
    , m_service(std::move(service))
    , m_limits(readLimits(ctx.settings))
    , m_socket(new QSslSocket(this))
    , m_reader(m_limits.reader)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        m_ctx.bus.raise(EventId::ImapLimit,
            { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                { QStringLiteral("reason"), QStringLiteral("timeout") } });
        write("* BYE Autologout; idle for too long\r\n");
        close(QStringLiteral("timeout"));
    });
    if (!m_socket->setSocketDescriptor(descriptor)) {
        m_peer = net::peerOfDescriptor(descriptor); // the destructor gives its slot back
        deleteLater();
        return;
    }
    m_peer = m_socket->peerAddress();
    m_peerPort = m_socket->peerPort();
    m_socket->setReadBufferSize(kReadBuffer);
    connect(m_socket, &QSslSocket::readyRead, this, &Session::onReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        m_phase = Phase::Closing;
        maybeDelete();
    });
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        m_awaitingTls = false;
        m_phase = Phase::Command;
        if (m_service.implicitTls)
            write("* OK [CAPABILITY " + capabilities() + "] Mailroom ready\r\n");
        process();
    });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        if (e == QAbstractSocket::SslHandshakeFailedError || e == QAbstractSocket::SslInternalError)
            m_ctx.bus.raise(EventId::ImapTlsFailed,
                { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                    { QStringLiteral("error"), m_socket->errorString() } });
        if (e != QAbstractSocket::RemoteHostClosedError)
            m_socket->abort();
    });
    connect(&m_ctx.store.mailStore().events(), &store::MailboxEvents::changed, this, &Session::onMailboxChanged);
    m_ctx.bus.raise(EventId::ImapConnected,
        { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() } });
    armTimer();
    if (m_service.implicitTls) {
        if (!tlsAvailable()) {
            close(QStringLiteral("no TLS certificate"));
            return;
        }
        m_phase = Phase::Running;
        m_awaitingTls = true;
        net::startServerTls(m_socket, *m_ctx.tls);
        return;
    }
    write("* OK [CAPABILITY " + capabilities() + "] Mailroom ready\r\n");
}

Session::~Session()
{
    // The slot taken when the connection was accepted, also when the
    // socket could not be adopted.
    m_ctx.connections.release(m_peer);
}

QString Session::peerText() const
{
    return m_peer.toString() + u':' + QString::number(m_peerPort);
}

bool Session::isTls() const
{
    return m_socket->isEncrypted();
}

bool Session::tlsAvailable() const
{
    return m_ctx.tls != nullptr;
}

bool Session::plaintextAllowed() const
{
    return isTls() || m_ctx.settings.boolValue(QStringLiteral("auth.allow_plaintext"));
}

void Session::setUser(const QString &user, qint64 id)
{
    m_user = user;
    m_userId = id;
    m_state = State::Authenticated;
}

void Session::select(std::unique_ptr<MailboxView> view)
{
    m_selected = std::move(view);
    m_state = State::Selected;
}

void Session::unselect()
{
    m_selected.reset();
    if (m_state == State::Selected)
        m_state = State::Authenticated;
}

QByteArray Session::capabilities() const
{
    QByteArray caps = "IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE IDLE";
    if (m_state == State::NotAuthenticated) {
        if (!isTls() && tlsAvailable())
            caps += " STARTTLS";
        // Without TLS (and without auth.allow_plaintext) no login at all is
        // offered, not even the mechanisms that hide the password: the
        // session after it would still be readable and changeable.
        if (!plaintextAllowed()) {
            caps += " LOGINDISABLED";
            return caps;
        }
        for (const QByteArray &m :
            auth::saslMechanismNames(isTls(), plaintextAllowed(), m_ctx.credentials.cramMd5Offered()))
            caps += " AUTH=" + m;
        return caps;
    }
    caps += " NAMESPACE UNSELECT UIDPLUS MOVE CONDSTORE QRESYNC SPECIAL-USE CREATE-SPECIAL-USE LIST-EXTENDED"
            " LIST-STATUS CHILDREN ESEARCH SORT THREAD=REFERENCES THREAD=ORDEREDSUBJECT QUOTA QUOTA=RES-STORAGE"
            " STATUS=SIZE BINARY UTF8=ACCEPT COMPRESS=DEFLATE APPENDLIMIT="
        + QByteArray::number(m_limits.appendBytes);
    return caps;
}

QByteArray Session::encodeName(const QString &name) const
{
    return utf8() ? name.toUtf8() : encodeMutf7(name);
}

bool Session::decodeName(const Arg &arg, QString *out) const
{
    if (!arg.isAString() || arg.text.isEmpty())
        return false;
    QString name;
    bool eightBit = false;
    for (char c : arg.text)
        eightBit |= static_cast<unsigned char>(c) >= 0x80;
    if (eightBit || utf8()) {
        QStringDecoder dec(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        name = dec.decode(arg.text);
        if (dec.hasError())
            return false;
    } else if (!decodeMutf7(arg.text, &name)) {
        return false;
    }
    if (name.compare(u"INBOX", Qt::CaseInsensitive) == 0)
        name = QStringLiteral("INBOX");
    else if (name.startsWith(u"INBOX/", Qt::CaseInsensitive))
        name = QStringLiteral("INBOX") + name.mid(5);
    *out = name;
    return true;
}

void Session::write(const QByteArray &bytes)
{
    if (bytes.isEmpty() || (m_phase == Phase::Closing && m_socket->state() != QAbstractSocket::ConnectedState))
        return;
    m_socket->write(m_compress ? m_compress->deflate(bytes) : bytes);
}

void Session::beginCompress(const QByteArray &tag)
{
    write(tag + " OK DEFLATE active\r\n");
    m_compress = std::make_unique<Deflate>();
    // Bytes the client sent after COMPRESS are compressed already.
    m_compressedIn = m_reader.takeBuffered();
}

void Session::countError()
{
    if (++m_errors >= m_limits.errors) {
        m_ctx.bus.raise(EventId::ImapLimit,
            { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                { QStringLiteral("reason"), QStringLiteral("too many errors (imap.max_errors)") } });
        write("* BYE Too many invalid commands\r\n");
        close(QStringLiteral("too many errors"));
    }
}

void Session::logFailure(const QByteArray &command, const QString &error)
{
    m_ctx.bus.raise(EventId::ImapCommandFailed,
        { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
            { QStringLiteral("command"), QString::fromLatin1(command) }, { QStringLiteral("user"), m_user },
            { QStringLiteral("error"), error } });
}

void Session::armTimer()
{
    m_timer.start(m_state == State::NotAuthenticated ? m_limits.loginTimeoutMs : m_limits.idleTimeoutMs);
}

void Session::maybeDelete()
{
    if (m_jobs == 0 && !m_deleting && m_phase == Phase::Closing) {
        m_deleting = true;
        deleteLater();
    }
}

void Session::close(const QString &reason)
{
    if (m_phase == Phase::Closing && m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_phase = Phase::Closing;
    m_timer.stop();
    // A peer that stops reading cannot keep a closing session alive.
    QTimer::singleShot(30000, this, [this] { m_socket->abort(); });
    m_ctx.bus.raise(EventId::ImapDisconnected,
        { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
            { QStringLiteral("reason"), reason } });
    m_socket->disconnectFromHost();
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        maybeDelete();
}

void Session::onReadyRead()
{
    if (m_phase == Phase::Closing) {
        m_socket->readAll();
        return;
    }
    pull();
    process();
}

void Session::pull()
{
    // The client's TLS hello stays in the socket for the handshake.
    if (m_awaitingTls)
        return;
    // Input waits in the socket (bounded by its read buffer) while a
    // command runs, so a client that pipelines without end cannot grow the
    // reader: at most kMaxBuffered bytes are taken in at a time.
    while (m_reader.bufferedBytes() < kMaxBuffered) {
        if (!m_compress) {
            const qint64 want = std::min(kMaxBuffered - m_reader.bufferedBytes(), m_socket->bytesAvailable());
            if (want <= 0)
                return;
            const QByteArray bytes = m_socket->read(want);
            if (bytes.isEmpty())
                return;
            m_reader.feed(bytes);
            continue;
        }
        if (m_compressedIn.isEmpty()) {
            m_compressedIn = m_socket->read(std::min<qint64>(64 * 1024, m_socket->bytesAvailable()));
            if (m_compressedIn.isEmpty())
                return;
        }
        QByteArray out;
        if (!m_compress->inflate(&m_compressedIn, &out)) {
            close(QStringLiteral("invalid compressed data"));
            return;
        }
        m_reader.feed(out);
    }
}

void Session::process()
{
    while (true) {
        pull();
        if (m_phase == Phase::Auth || m_phase == Phase::Idle) {
            QByteArray line;
            bool tooLong = false;
            if (!m_reader.readRawLine(&line, &tooLong))
                return;
            if (m_phase == Phase::Auth)
                handleAuthLine(tooLong ? QByteArray("*") : line);
            else
                handleIdleLine(tooLong ? QByteArray() : line);
            continue;
        }
        if (m_phase != Phase::Command)
            return;
        const CommandReader::Event e = m_reader.next();
        switch (e) {
        case CommandReader::Event::None:
            return;
        case CommandReader::Event::Continue:
            write("+ Ready for literal data\r\n");
            break;
        case CommandReader::Event::Error:
            write(m_reader.tag() + " BAD " + m_reader.error() + "\r\n");
            countError();
            if (m_reader.fatal())
                close(QStringLiteral("unreadable input"));
            break;
        case CommandReader::Event::Command:
            armTimer();
            runCommand(m_reader.command());
            break;
        }
    }
}

void Session::runCommand(const Command &cmd)
{
    const commands::Spec *spec = commands::find(cmd.name);
    auto refuse = [&](const QByteArray &text) {
        write(cmd.tag + " BAD " + text + "\r\n");
        countError();
    };
    if (!spec) {
        refuse("Unknown command");
        return;
    }
    const unsigned f = spec->flags;
    if (m_state == State::NotAuthenticated && !(f & commands::NotAuthenticated)) {
        refuse("Log in first");
        return;
    }
    if (m_state != State::NotAuthenticated && !(f & commands::AuthOrSelected)) {
        refuse("Already logged in");
        return;
    }
    if ((f & commands::Selected) && !(f & commands::Authenticated) && m_state != State::Selected) {
        refuse("No mailbox selected");
        return;
    }
    auto c = std::make_shared<CommandContext>(*this, cmd);
    if (f & commands::NoExpunge)
        c->allowExpunge = false;
    if (f & commands::Inline) {
        spec->handler(*c);
        if (!c->completion.isEmpty()) {
            write(c->out + cmd.tag + ' ' + c->completion + "\r\n");
            if (c->bad)
                countError();
        } else if (!c->out.isEmpty()) {
            write(c->out);
        }
        return;
    }
    m_phase = Phase::Running;
    runOnWorker(c);
}

void Session::runOnWorker(std::shared_ptr<CommandContext> c)
{
    const commands::Spec *spec = commands::find(c->cmd.name);
    auto *watcher = new QFutureWatcher<void>(this);
    ++m_jobs;
    connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, c] {
        watcher->deleteLater();
        --m_jobs;
        finishCommand(c);
    });
    watcher->setFuture(QtConcurrent::run(&m_ctx.storeWorkers, [c, spec] {
        spec->handler(*c);
        Session &s = c->session;
        if (c->more || !s.selected())
            return;
        bool gone = false;
        auto st = s.selected()->sync(&c->out, c->allowExpunge, s.condstore(), s.qresync(), &gone);
        if (!st)
            s.logFailure(c->cmd.name, st.error().message);
        if (gone) {
            c->out += "* BYE [NONEXISTENT] The selected mailbox was deleted or renamed\r\n";
            s.unselect();
            s.setState(State::Logout);
        }
    }));
}

void Session::finishCommand(std::shared_ptr<CommandContext> c)
{
    if (m_phase == Phase::Closing) {
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            maybeDelete();
        else
            m_socket->disconnectFromHost();
        return;
    }
    if (!c->more) {
        // The answer and its tagged completion in one write: as two, Nagle's
        // algorithm holds the short second one until the client's delayed
        // ACK of a large first one (40 ms on Linux).
        c->out += c->cmd.tag + ' ' + c->completion + "\r\n";
        c->completion.clear();
    }
    write(c->out);
    c->out.clear();
    if (c->more) {
        // A large FETCH goes on once the client has read most of what we
        // sent, so a slow reader never makes us hold its whole answer.
        c->more = false;
        if (m_socket->bytesToWrite() < kOutputHighWater) {
            runOnWorker(c);
            return;
        }
        auto *conn = new QMetaObject::Connection;
        *conn = connect(m_socket, &QSslSocket::bytesWritten, this, [this, c, conn] {
            if (m_socket->bytesToWrite() >= kOutputHighWater)
                return;
            disconnect(*conn);
            delete conn;
            runOnWorker(c);
        });
        return;
    }
    if (m_state == State::Logout) {
        close(QStringLiteral("mailbox gone"));
        return;
    }
    m_phase = Phase::Command;
    if (c->bad)
        countError();
    armTimer();
    process();
}

void Session::beginStartTls(const QByteArray &tag)
{
    // RFC 9051 §6.2.1 and CVE-2011-0411: whatever the client pipelined after
    // STARTTLS was sent in the clear and is thrown away.
    m_reader.takeBuffered();
    m_socket->readAll();
    write(tag + " OK Begin TLS negotiation now\r\n");
    m_phase = Phase::Running;
    m_awaitingTls = true;
    net::startServerTls(m_socket, *m_ctx.tls);
}

void Session::beginLogout(const QByteArray &tag)
{
    write("* BYE Logging out\r\n" + tag + " OK Logout completed\r\n");
    close(QStringLiteral("logout"));
}

void Session::onMailboxChanged(qint64 mailboxId)
{
    if (m_phase == Phase::Idle && m_selected && m_selected->id() == mailboxId)
        idleSync(false);
}

} // namespace mailroom::imap
