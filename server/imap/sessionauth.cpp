// Session: AUTHENTICATE and LOGIN (RFC 9051 §6.2.2, §6.2.3; RFC 4959
// SASL-IR). LOGIN runs as SASL PLAIN with the two arguments, so both paths
// share the mechanisms, the password check on the worker pool and the
// failure throttle per client address and per user (auth.*).
// Trust level: talks to the Internet; secrets never reach the log.
#include <QFutureWatcher>
#include <QtConcurrent>

#include "auth/sasl.h"
#include "auth/throttle.h"
#include "base/events.h"
#include "imap/server.h"
#include "imap/session.h"
#include "store/mailstore.h"
#include "store/store.h"

namespace mailroom::imap
{

namespace
{
struct AuthOutcome {
    auth::SaslMechanism::Step step;
    qint64 userId = 0;
};
} // namespace

void Session::beginAuthenticate(const QByteArray &tag,
    std::unique_ptr<auth::SaslMechanism> mech,
    const QByteArray &initial,
    bool hasInitial,
    const QByteArray &mechName)
{
    m_pendingTag = tag;
    if (!m_ctx.throttle.before(m_peer, QString()).allowed) {
        write(tag + " NO [UNAVAILABLE] Too many failed logins; try again later\r\n");
        m_ctx.bus.raise(EventId::ImapLimit,
            { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                { QStringLiteral("reason"), QStringLiteral("too many failed logins (auth.max_failures_per_ip)") } });
        close(QStringLiteral("login throttled"));
        return;
    }
    m_mech = std::move(mech);
    m_mechName = mechName;
    m_authSentFinal = false;
    runAuthStep(initial, true, hasInitial);
}

void Session::handleAuthLine(const QByteArray &line)
{
    if (line == "*") {
        endAuth();
        write(m_pendingTag + " BAD Authentication cancelled\r\n");
        countError();
        return;
    }
    if (m_authSentFinal) {
        m_authSentFinal = false;
        finishAuth(int(auth::SaslMechanism::Step::Success), {}, {}, false);
        return;
    }
    auto decoded = QByteArray::fromBase64Encoding(line, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || line.size() > auth::SaslMechanism::kMaxResponseBytes) {
        endAuth();
        write(m_pendingTag + " BAD Invalid base64 in the response\r\n");
        countError();
        return;
    }
    runAuthStep(*decoded, false, true);
}

void Session::runAuthStep(const QByteArray &response, bool first, bool hasInitial)
{
    m_phase = Phase::Running;
    std::shared_ptr<auth::SaslMechanism> mech = m_mech;
    store::Store *st = &m_ctx.store;
    auto *watcher = new QFutureWatcher<AuthOutcome>(this);
    ++m_jobs;
    connect(watcher, &QFutureWatcher<AuthOutcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        --m_jobs;
        const AuthOutcome o = watcher->result();
        if (o.userId > 0)
            m_userId = o.userId;
        finishAuth(int(o.step.kind), o.step.challenge, o.step.reason, o.step.malformed);
    });
    watcher->setFuture(QtConcurrent::run(&m_ctx.authWorkers, [mech, response, first, hasInitial, st] {
        AuthOutcome o;
        o.step = first ? mech->start(response, hasInitial) : mech->next(response);
        if (o.step.kind == auth::SaslMechanism::Step::Success) {
            auto id = st->mailStore().userId(mech->authenticatedUser());
            if (id)
                o.userId = *id;
            else
                o.step = auth::SaslMechanism::Step::makeFailure(id.error().message);
        }
        return o;
    }));
}

void Session::endAuth()
{
    m_mech.reset();
    m_phase = Phase::Command;
}

void Session::finishAuth(int kind, const QByteArray &challenge, const QString &reason, bool malformed)
{
    using Step = auth::SaslMechanism::Step;
    if (m_phase == Phase::Closing) {
        maybeDelete();
        return;
    }
    if (kind == Step::Challenge || (kind == Step::Success && !challenge.isEmpty())) {
        m_authSentFinal = kind == Step::Success;
        m_phase = Phase::Auth;
        write("+ " + challenge.toBase64() + "\r\n");
        process();
        return;
    }
    const QString attempted = m_mech ? m_mech->attemptedUser() : QString();
    const QByteArray tag = m_pendingTag;
    if (kind == Step::Success) {
        const QString user = m_mech->authenticatedUser();
        // A user whose password is being guessed stays locked for the
        // window, even with the right password now.
        if (!m_ctx.throttle.before(m_peer, user).allowed) {
            endAuth();
            write(tag + " NO [UNAVAILABLE] Too many failed logins; try again later\r\n");
            close(QStringLiteral("login throttled"));
            return;
        }
        m_ctx.throttle.succeeded(m_peer, user);
        m_ctx.bus.raise(EventId::ImapAuthSucceeded,
            { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                { QStringLiteral("user"), user }, { QStringLiteral("mechanism"), QString::fromLatin1(m_mechName) } });
        endAuth();
        m_user = user;
        m_state = State::Authenticated;
        write(tag + " OK [CAPABILITY " + capabilities() + "] Logged in\r\n");
        armTimer();
        process();
        return;
    }
    endAuth();
    if (malformed) {
        write(tag + " BAD Malformed authentication data\r\n");
        countError();
        process();
        return;
    }
    const int delay = m_ctx.throttle.failed(m_peer, attempted);
    m_ctx.bus.raise(EventId::ImapAuthFailed,
        { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
            { QStringLiteral("user"), attempted }, { QStringLiteral("mechanism"), QString::fromLatin1(m_mechName) },
            { QStringLiteral("reason"), reason } });
    m_phase = Phase::Running;
    QTimer::singleShot(delay, this, [this, tag] {
        if (m_phase == Phase::Closing) {
            maybeDelete();
            return;
        }
        m_phase = Phase::Command;
        write(tag + " NO [AUTHENTICATIONFAILED] Authentication failed\r\n");
        if (!m_ctx.throttle.before(m_peer, QString()).allowed) {
            write("* BYE Too many failed logins\r\n");
            close(QStringLiteral("login throttled"));
            return;
        }
        process();
    });
}

} // namespace mailroom::imap
