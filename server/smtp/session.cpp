#include "smtp/session.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QRandomGenerator>
#include <QSslCipher>
#include <QtConcurrent>

#include "auth/sasl.h"
#include "auth/throttle.h"
#include "base/events.h"
#include "config/settings.h"
#include "net/connectioncounter.h"
#include "net/tlscontext.h"
#include "net/tlsstart.h"
#include "queue/submitter.h"
#include "smtp/commands.h"
#include "smtp/datareader.h"
#include "smtp/logging.h"
#include "smtp/server.h"
#include "spam/filter.h"

namespace mailroom::smtp
{

namespace
{
// The socket may buffer this much unread input; beyond it TCP pushes back.
constexpr qint64 kReadBuffer = 256 * 1024;
constexpr int kMaxReceivedHeaders = 100; // RFC 5321 §6.3 loop detection

Limits readLimits(const config::Settings &s)
{
    Limits l;
    l.lineBytes = s.intValue(QStringLiteral("smtp.line_limit_bytes"));
    l.messageBytes = s.intValue(QStringLiteral("smtp.message_size_limit"));
    l.recipients = int(s.intValue(QStringLiteral("smtp.max_recipients")));
    l.errors = int(s.intValue(QStringLiteral("smtp.max_errors")));
    l.junkCommands = int(s.intValue(QStringLiteral("smtp.max_junk_commands")));
    l.commandTimeoutMs = int(s.intValue(QStringLiteral("smtp.command_timeout_secs")) * 1000);
    l.dataTimeoutMs = int(s.intValue(QStringLiteral("smtp.data_timeout_secs")) * 1000);
    return l;
}

QByteArray rfc5322Now()
{
    static const char *days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    static const char *months[]
        = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    const QDateTime t = QDateTime::currentDateTimeUtc();
    const QDate d = t.date();
    return QByteArray(days[d.dayOfWeek() - 1]) + ", " + QByteArray::number(d.day()) + ' ' + months[d.month() - 1] + ' '
        + QByteArray::number(d.year()) + ' ' + t.time().toString(QStringLiteral("HH:mm:ss")).toLatin1() + " +0000";
}

// How many header fields of the message have this name ("Received:").
int countField(const QByteArray &message, QByteArrayView nameWithColon)
{
    int n = 0;
    qsizetype pos = 0;
    while (pos < message.size()) {
        const qsizetype eol = message.indexOf('\n', pos);
        const qsizetype end = eol < 0 ? message.size() : eol;
        if (end - pos <= 1)
            break; // the empty line that ends the header
        if (message.size() - pos >= nameWithColon.size()
            && qstrnicmp(message.constData() + pos, nameWithColon.data(), nameWithColon.size()) == 0)
            ++n;
        pos = end + 1;
    }
    return n;
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
        m_ctx.bus.raise(EventId::SmtpLimit,
            { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                { QStringLiteral("reason"), QStringLiteral("timeout") } });
        reply(replies::timeout());
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
        deleteLater();
    });
    connect(m_socket, &QSslSocket::encrypted, this, &Session::onEncrypted);
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        if (e == QAbstractSocket::SslHandshakeFailedError || e == QAbstractSocket::SslInternalError)
            m_ctx.bus.raise(EventId::SmtpTlsFailed,
                { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                    { QStringLiteral("error"), m_socket->errorString() } });
        if (e != QAbstractSocket::RemoteHostClosedError)
            m_socket->abort();
    });
    m_ctx.bus.raise(EventId::SmtpConnected,
        { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() } });
    armTimer(m_limits.commandTimeoutMs);
    if (m_service.implicitTls) {
        if (!tlsAvailable()) {
            close(QStringLiteral("no TLS certificate"));
            return;
        }
        m_phase = Phase::Waiting;
        net::startServerTls(m_socket, *m_ctx.tls);
        return;
    }
    reply({ 220, {}, m_ctx.hostname.toUtf8() + " ESMTP Mailroom" });
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

void Session::setHelo(const QString &name, bool esmtp)
{
    m_helo = name;
    m_esmtp = esmtp;
}

void Session::resetTransaction()
{
    m_tx = Transaction();
}

void Session::replyRaw(const QByteArray &bytes)
{
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(bytes);
}

void Session::reply(const Reply &r)
{
    replyRaw(r.format(m_esmtp));
}

void Session::refuse(const Reply &r, const QByteArray &command, const QString &reason)
{
    m_ctx.bus.raise(EventId::SmtpRejected,
        { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
            { QStringLiteral("command"), QString::fromLatin1(command) }, { QStringLiteral("code"), r.code },
            { QStringLiteral("status"), QString::fromLatin1(r.enhanced) }, { QStringLiteral("reason"), reason } });
    reply(r);
    if (++m_errors >= m_limits.errors) {
        m_ctx.bus.raise(EventId::SmtpLimit,
            { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                { QStringLiteral("reason"), QStringLiteral("too many errors") } });
        reply(replies::tooManyErrors());
        close(QStringLiteral("too many errors"));
    }
}

void Session::countJunk()
{
    if (++m_junk > m_limits.junkCommands) {
        m_ctx.bus.raise(EventId::SmtpLimit,
            { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                { QStringLiteral("reason"), QStringLiteral("too many NOOP/RSET/VRFY/HELP/HELO commands") } });
        reply({ 421, "4.7.0", "Too many commands, closing connection" });
        close(QStringLiteral("junk command limit"));
    }
}

void Session::close(const QString &reason)
{
    if (m_phase == Phase::Closing)
        return;
    m_phase = Phase::Closing;
    m_timer.stop();
    m_in.clear();
    m_ctx.bus.raise(EventId::SmtpDisconnected,
        { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
            { QStringLiteral("reason"), reason } });
    m_socket->disconnectFromHost();
    // A peer that never reads must not keep us: abort after a grace period.
    QTimer::singleShot(10000, this, [this] { m_socket->abort(); });
}

void Session::armTimer(int ms)
{
    m_timer.start(ms);
}

void Session::onReadyRead()
{
    if (m_phase == Phase::Closing) {
        m_socket->readAll();
        return;
    }
    process();
}

void Session::process()
{
    while (m_phase != Phase::Closing && m_phase != Phase::Waiting) {
        // Pull input only while we can act on it: a session waiting for the
        // queue leaves bytes in the socket, and TCP pushes back.
        if (m_socket->bytesAvailable() > 0) {
            const qint64 want
                = m_phase == Phase::Command || m_phase == Phase::Auth ? m_limits.lineBytes + 2 : 64 * 1024;
            if (m_in.size() < want)
                m_in += m_socket->read(want - m_in.size());
        }
        if (m_in.isEmpty())
            return;
        armTimer(m_phase == Phase::Data || m_phase == Phase::Bdat ? m_limits.dataTimeoutMs : m_limits.commandTimeoutMs);
        if (m_phase == Phase::Data) {
            if (m_data->feed(m_in))
                finishData();
            continue;
        }
        if (m_phase == Phase::Bdat) {
            const qint64 take = std::min<qint64>(m_bdatRemaining, m_in.size());
            if (!m_tx.bdatTooBig && m_tx.bdatBuffer.size() + take <= m_limits.messageBytes)
                m_tx.bdatBuffer += m_in.left(take);
            else
                m_tx.bdatTooBig = true;
            m_in.remove(0, take);
            m_bdatRemaining -= take;
            if (m_bdatRemaining == 0) {
                m_phase = Phase::Command;
                commands::bdatChunkDone(*this, m_bdatLast);
            }
            continue;
        }
        // Command and Auth phases read lines.
        const qsizetype lf = m_in.indexOf('\n');
        if (lf < 0) {
            if (m_in.size() > m_limits.lineBytes) {
                if (!m_discardingLine)
                    refuse(replies::lineTooLong(), "(long line)", QStringLiteral("line over smtp.line_limit_bytes"));
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
        if (m_discardingLine) {
            m_discardingLine = false;
            continue;
        }
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.size() > m_limits.lineBytes) {
            refuse(replies::lineTooLong(), "(long line)", QStringLiteral("line over smtp.line_limit_bytes"));
            continue;
        }
        if (m_phase == Phase::Auth)
            handleAuthLine(line);
        else
            handleCommandLine(line);
    }
}

void Session::handleCommandLine(const QByteArray &line)
{
    commands::dispatch(*this, line);
}

void Session::beginData()
{
    m_data = std::make_unique<DataReader>(m_limits.messageBytes, m_tx.declaredSize);
    m_phase = Phase::Data;
    armTimer(m_limits.dataTimeoutMs);
}

void Session::finishData()
{
    m_phase = Phase::Command;
    std::unique_ptr<DataReader> data = std::move(m_data);
    if (data->bareLineEnding()) {
        refuse({ 554, "5.6.0", "Message contains a bare CR or LF; lines must end with CRLF" }, "DATA",
            QStringLiteral("bare CR or LF in message data (possible SMTP smuggling)"));
        resetTransaction();
        return;
    }
    if (data->tooBig()) {
        refuse({ 552, "5.3.4", "Message size exceeds fixed maximum message size" }, "DATA",
            QStringLiteral("message over smtp.message_size_limit"));
        resetTransaction();
        return;
    }
    submitMessage(data->takeMessage());
}

void Session::submitMessage(QByteArray message)
{
    if (countField(message, "Received:") > kMaxReceivedHeaders) {
        refuse(
            { 554, "5.4.6", "Too many hops (mail loop?)" }, "DATA", QStringLiteral("more than 100 Received headers"));
        resetTransaction();
        return;
    }
    const QString txId = QString::number(QRandomGenerator::global()->generate64() & 0xffffffffffffULL, 16).toUpper();
    // A message submitted by a user's program gets the Date and Message-ID
    // it lacks (RFC 6409 §8.2, §8.3), as Postfix and Exchange do: replies
    // and threads need the one, some receivers score mail without the other.
    QByteArray added;
    if (!m_authUser.isEmpty()) {
        if (countField(message, "Date:") == 0)
            added += "Date: " + rfc5322Now() + "\r\n";
        if (countField(message, "Message-ID:") == 0)
            added += "Message-ID: <" + QByteArray::number(QRandomGenerator::global()->generate64(), 36) + '.'
                + txId.toLatin1() + '@' + m_ctx.hostname.toUtf8() + ">\r\n";
    }
    message.prepend(added);
    // Our Received field goes on top of everything, the filter's results
    // just below it (RFC 5321 §4.4: each hop prepends its own trace).
    const QByteArray trace = receivedHeader(txId);
    // Mail from other servers goes through the spam filter first; mail from
    // our own users does not (they are authenticated).
    if (m_ctx.filter && m_authUser.isEmpty() && m_ctx.settings.boolValue(QStringLiteral("spam.enabled"))) {
        spam::FilterRequest req;
        req.client = m_peer;
        req.helo = m_helo;
        req.sender = m_tx.sender;
        for (const queue::EnvelopeRecipient &r : std::as_const(m_tx.recipients))
            req.recipients << r.address;
        req.message = std::move(message);
        m_phase = Phase::Waiting;
        m_timer.stop();
        auto *watcher = new QFutureWatcher<spam::FilterResult>(this);
        connect(watcher, &QFutureWatcher<spam::FilterResult>::finished, this, [this, watcher, trace] {
            watcher->deleteLater();
            if (watcher->future().resultCount() == 0) {
                // The engine is stopping under this transaction.
                resetTransaction();
                m_phase = Phase::Command;
                armTimer(m_limits.commandTimeoutMs);
                refuse(replies::tempFailure(), "DATA", QStringLiteral("spam filter stopped"));
                process();
                return;
            }
            spam::FilterResult r = watcher->future().takeResult();
            if (r.action == spam::Action::Tempfail) {
                resetTransaction();
                m_phase = Phase::Command;
                armTimer(m_limits.commandTimeoutMs);
                refuse({ 451, "4.7.1", "Greylisted, please try again later" }, "DATA",
                    QStringLiteral("greylisted: %1").arg(r.tags.isEmpty() ? QString() : r.tags.last().detail));
                process();
                return;
            }
            if (r.action == spam::Action::Reject) {
                resetTransaction();
                m_phase = Phase::Command;
                armTimer(m_limits.commandTimeoutMs);
                QStringList tags;
                for (const spam::ScoredTag &t : std::as_const(r.tags))
                    tags << t.name;
                refuse({ 554, "5.7.1", "Message refused as spam" }, "DATA",
                    QStringLiteral("spam score %1: %2").arg(r.score, 0, 'f', 1).arg(tags.join(u',')));
                process();
                return;
            }
            // What the filter found goes with the message into the queue:
            // the verdict, per recipient where lists made them differ.
            m_tx.spamScored = true;
            m_tx.spamScore = r.score;
            QStringList tags;
            for (const spam::ScoredTag &t : std::as_const(r.tags))
                tags << t.name + u':' + QString::number(t.score, 'g', 4);
            m_tx.spamTags = tags.join(u',');
            for (qsizetype i = 0; i < m_tx.recipients.size() && i < r.recipientActions.size(); ++i)
                if (r.recipientActions[i] != r.action)
                    m_tx.recipients[i].verdict = spam::verdictName(r.recipientActions[i]);
            enqueue(trace + r.message, spam::verdictName(r.action));
        });
        watcher->setFuture(m_ctx.filter->check(std::move(req)));
        return;
    }
    enqueue(trace + message, QString());
}

void Session::enqueue(QByteArray message, const QString &verdict)
{
    queue::Envelope env;
    env.sender = m_tx.sender;
    env.recipients = m_tx.recipients;
    env.clientAddress = peerText();
    env.clientHelo = m_helo;
    env.authUser = m_authUser;
    env.service = m_service.name;
    env.envid = m_tx.envid;
    env.ret = m_tx.ret;
    env.smtpUtf8 = m_tx.smtpUtf8;
    env.body8bit = m_tx.body8bit;
    if (!verdict.isEmpty())
        env.verdict = verdict;
    env.spamScored = m_tx.spamScored;
    env.spamScore = m_tx.spamScore;
    env.spamTags = m_tx.spamTags;
    m_phase = Phase::Waiting;
    m_timer.stop();
    auto *watcher = new QFutureWatcher<queue::SubmitResult>(this);
    connect(watcher, &QFutureWatcher<queue::SubmitResult>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const queue::SubmitResult r = watcher->result();
        resetTransaction();
        m_phase = Phase::Command;
        armTimer(m_limits.commandTimeoutMs);
        if (r.ok) {
            // Only now is the message on disk and committed (DESIGN §3).
            reply({ 250, "2.0.0", "OK: queued as " + r.queueId.toLatin1() });
        } else if (r.diskFull) {
            refuse({ 452, "4.3.1", "Insufficient system storage" }, "DATA", r.error);
        } else {
            refuse(replies::tempFailure(), "DATA", r.error);
        }
        process();
    });
    watcher->setFuture(m_ctx.submitter.submit(env, message));
}

QByteArray Session::receivedHeader(const QString &id) const
{
    // RFC 5321 §4.4, with the "with" keywords of RFC 3848 (ESMTPSA ...).
    QByteArray with = m_esmtp ? "ESMTP" : "SMTP";
    if (m_tx.smtpUtf8)
        with = m_esmtp ? "UTF8SMTP" : "UTF8SMTP";
    if (isTls())
        with += 'S';
    if (!m_authUser.isEmpty())
        with += 'A';
    QByteArray h = "Received: from " + m_helo.toUtf8().left(255) + " ([" + peerText().toLatin1() + "])\r\n\tby "
        + m_ctx.hostname.toUtf8() + " (Mailroom) with " + with + " id " + id.toLatin1();
    if (isTls()) {
        const QSslCipher c = m_socket->sessionCipher();
        h += "\r\n\t(using " + c.protocolString().toLatin1() + " with cipher " + c.name().toLatin1() + ")";
    }
    if (m_tx.recipients.size() == 1)
        h += "\r\n\tfor <" + m_tx.recipients.first().address.toUtf8() + '>';
    h += "; " + rfc5322Now() + "\r\n";
    return h;
}

void Session::beginBdat(qint64 size, bool last)
{
    m_bdatRemaining = size;
    m_bdatLast = last;
    if (size == 0) {
        commands::bdatChunkDone(*this, last);
        return;
    }
    m_phase = Phase::Bdat;
    armTimer(m_limits.dataTimeoutMs);
}

void Session::beginStartTls()
{
    reply({ 220, "2.0.0", "Ready to start TLS" });
    // Anything the client pipelined after STARTTLS was sent in clear text
    // and must not be taken as if it came inside TLS (CVE-2011-0411).
    m_in.clear();
    m_socket->readAll();
    m_socket->flush();
    m_phase = Phase::Waiting;
    net::startServerTls(m_socket, *m_ctx.tls);
}

void Session::onEncrypted()
{
    // RFC 3207 §4.2: forget everything learnt before TLS.
    m_helo.clear();
    m_esmtp = false;
    m_authUser.clear();
    resetTransaction();
    m_in.clear();
    m_phase = Phase::Command;
    armTimer(m_limits.commandTimeoutMs);
    if (m_service.implicitTls)
        reply({ 220, {}, m_ctx.hostname.toUtf8() + " ESMTP Mailroom" });
    process();
}

void Session::beginAuth(
    std::unique_ptr<auth::SaslMechanism> mech, const QByteArray &initial, bool hasInitial, const QByteArray &mechName)
{
    const auth::LoginThrottle::Decision d = m_ctx.throttle.before(m_peer, QString());
    if (!d.allowed) {
        refuseThrottled(QString());
        return;
    }
    m_mech = std::move(mech);
    m_mechName = mechName;
    m_authSentFinal = false;
    m_phase = Phase::Auth;
    runAuthStep(initial, true, hasInitial);
}

void Session::handleAuthLine(const QByteArray &line)
{
    if (line == "*") {
        m_mech.reset();
        m_phase = Phase::Command;
        refuse({ 501, "5.0.0", "Authentication cancelled" }, "AUTH", QStringLiteral("client cancelled"));
        return;
    }
    if (m_authSentFinal) {
        // SCRAM: the client acknowledges our server-final with an empty line.
        m_authSentFinal = false;
        finishAuth(int(auth::SaslMechanism::Step::Success), {}, {}, false);
        return;
    }
    auto decoded = QByteArray::fromBase64Encoding(line, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        m_mech.reset();
        m_phase = Phase::Command;
        refuse({ 501, "5.5.2", "Cannot decode response" }, "AUTH", QStringLiteral("invalid base64"));
        return;
    }
    runAuthStep(*decoded, false, true);
}

void Session::runAuthStep(const QByteArray &response, bool first, bool hasInitial)
{
    m_phase = Phase::Waiting;
    std::shared_ptr<auth::SaslMechanism> mech = m_mech;
    // The mechanism may check a password (scrypt) or read the database:
    // that runs on the worker pool, never on this I/O thread.
    auto *watcher = new QFutureWatcher<auth::SaslMechanism::Step>(this);
    connect(watcher, &QFutureWatcher<auth::SaslMechanism::Step>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const auth::SaslMechanism::Step s = watcher->result();
        finishAuth(int(s.kind), s.challenge, s.reason, s.malformed);
    });
    watcher->setFuture(QtConcurrent::run(&m_ctx.workers, [mech, response, first, hasInitial] {
        return first ? mech->start(response, hasInitial) : mech->next(response);
    }));
}

void Session::finishAuth(int kind, const QByteArray &challenge, const QString &reason, bool malformed)
{
    using Step = auth::SaslMechanism::Step;
    if (m_phase == Phase::Closing)
        return;
    if (kind == Step::Challenge) {
        m_phase = Phase::Auth;
        replyRaw("334 " + challenge.toBase64() + "\r\n");
        process();
        return;
    }
    const QString user = m_mech ? m_mech->attemptedUser() : QString();
    if (kind == Step::Success) {
        if (!challenge.isEmpty()) {
            // Additional data with success goes out as a last challenge (RFC 4954 §4).
            m_authSentFinal = true;
            m_phase = Phase::Auth;
            replyRaw("334 " + challenge.toBase64() + "\r\n");
            process();
            return;
        }
        // A user whose password is being guessed (from anywhere) stays
        // locked for the window, even with the right password now.
        if (!m_ctx.throttle.before(m_peer, m_mech->authenticatedUser()).allowed) {
            refuseThrottled(m_mech->authenticatedUser());
            return;
        }
        m_authUser = m_mech->authenticatedUser();
        m_ctx.throttle.succeeded(m_peer, m_authUser);
        m_ctx.bus.raise(EventId::SmtpAuthSucceeded,
            { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                { QStringLiteral("user"), m_authUser },
                { QStringLiteral("mechanism"), QString::fromLatin1(m_mechName) } });
        m_mech.reset();
        m_phase = Phase::Command;
        reply({ 235, "2.7.0", "Authentication successful" });
        process();
        return;
    }
    m_mech.reset();
    if (malformed) {
        m_phase = Phase::Command;
        refuse({ 501, "5.5.2", "Malformed authentication response" }, "AUTH", reason);
        process();
        return;
    }
    m_ctx.bus.raise(EventId::SmtpAuthFailed,
        { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
            { QStringLiteral("user"), user.left(100) },
            { QStringLiteral("mechanism"), QString::fromLatin1(m_mechName) }, { QStringLiteral("reason"), reason } });
    const int delay = m_ctx.throttle.failed(m_peer, user);
    const bool locked = !m_ctx.throttle.before(m_peer, user).allowed;
    // The answer is slowed (it doubles per failure); the session reads
    // nothing meanwhile. Past a limit, the client is told to go away.
    m_phase = Phase::Waiting;
    QTimer::singleShot(delay, this, [this, locked, user] {
        if (locked) {
            refuseThrottled(user);
            return;
        }
        m_phase = Phase::Command;
        refuse({ 535, "5.7.8", "Authentication credentials invalid" }, "AUTH", QStringLiteral("bad credentials"));
        process();
    });
}

void Session::refuseThrottled(const QString &user)
{
    m_mech.reset();
    m_ctx.bus.raise(EventId::SmtpLimit,
        { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
            { QStringLiteral("reason"),
                QStringLiteral("too many failed logins for this address or for user \"%1\"").arg(user.left(100)) } });
    reply({ 454, "4.7.0", "Too many failed logins, try again later" });
    close(QStringLiteral("login throttled"));
}

} // namespace mailroom::smtp
