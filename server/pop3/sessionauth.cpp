// Session, part two: logging in (RFC 1939 §7 USER/PASS, RFC 5034 AUTH) and
// loading the maildrop. Each SASL step runs on the worker pool (it may check
// a scrypt hash or read the database); failures are throttled per client
// address and per user (auth.*) as for SMTP: slowed answers, then a
// temporary refusal and a hang-up. Trust level: talks to the Internet.
#include <QFutureWatcher>
#include <QtConcurrent>

#include "auth/sasl.h"
#include "auth/throttle.h"
#include "base/events.h"
#include "pop3/server.h"
#include "pop3/session.h"
#include "store/mailstore.h"

namespace mailroom::pop3
{

namespace
{
struct LoadResult {
    QString error; // empty: loaded
    qint64 mailboxId = 0;
    qint64 uidValidity = 0;
    QList<Maildrop::Message> messages;
};

// On a worker thread. The INBOX, snapshot now; sizes and blob hashes in
// pages (a mailbox may hold more UIDs than one SQL statement takes).
LoadResult loadInbox(store::MailStore &mail, const QString &user)
{
    LoadResult r;
    auto userId = mail.userId(user);
    if (!userId) {
        r.error = userId.error().message;
        return r;
    }
    auto box = mail.mailbox(*userId, QStringLiteral("INBOX"));
    if (!box) {
        r.error = box.error().message;
        return r;
    }
    auto snapshot = mail.snapshot(box->id);
    if (!snapshot) {
        r.error = snapshot.error().message;
        return r;
    }
    r.mailboxId = box->id;
    r.uidValidity = box->uidValidity;
    constexpr qsizetype kPage = 500;
    for (qsizetype i = 0; i < snapshot->size(); i += kPage) {
        QList<qint64> uids;
        for (qsizetype j = i; j < std::min(i + kPage, snapshot->size()); ++j)
            uids << snapshot->at(j).uid;
        auto metas = mail.messages(box->id, uids);
        if (!metas) {
            r.error = metas.error().message;
            return r;
        }
        for (const store::MessageMeta &m : std::as_const(*metas))
            r.messages.append({ m.uid, m.size, m.blobHash });
    }
    return r;
}
} // namespace

void Session::beginAuth(
    std::unique_ptr<auth::SaslMechanism> mech, const QByteArray &initial, bool hasInitial, const QByteArray &mechName)
{
    if (!m_ctx.throttle.before(m_peer, QString()).allowed) {
        refuseThrottled(QString());
        return;
    }
    m_userArg.clear();
    m_mech = std::move(mech);
    m_mechName = mechName;
    m_authSentFinal = false;
    runAuthStep(initial, true, hasInitial);
}

void Session::handleAuthLine(const QByteArray &line)
{
    if (line == "*") {
        // RFC 5034 §4: the client cancels; the server answers -ERR.
        m_mech.reset();
        m_phase = Phase::Command;
        refuse({ false, {}, "Authentication cancelled" }, "AUTH", QStringLiteral("client cancelled"));
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
        refuse({ false, {}, "Cannot decode response" }, "AUTH", QStringLiteral("invalid base64"));
        return;
    }
    runAuthStep(*decoded, false, true);
}

void Session::runAuthStep(const QByteArray &response, bool first, bool hasInitial)
{
    m_phase = Phase::Waiting;
    std::shared_ptr<auth::SaslMechanism> mech = m_mech;
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
    if (kind == Step::Challenge || (kind == Step::Success && !challenge.isEmpty())) {
        // RFC 5034 §4: "+ " and base64. Additional data with success (SCRAM's
        // server-final) goes out as a last challenge, answered by an empty line.
        m_authSentFinal = kind == Step::Success;
        m_phase = Phase::Auth;
        replyRaw("+ " + challenge.toBase64() + "\r\n");
        process();
        return;
    }
    const QString user = m_mech ? m_mech->attemptedUser() : QString();
    if (kind == Step::Success) {
        const QString authenticated = m_mech->authenticatedUser();
        // A user whose password is being guessed (from anywhere) stays
        // locked for the window, even with the right password now.
        if (!m_ctx.throttle.before(m_peer, authenticated).allowed) {
            refuseThrottled(authenticated);
            return;
        }
        m_authUser = authenticated;
        m_ctx.throttle.succeeded(m_peer, m_authUser);
        m_ctx.bus.raise(EventId::Pop3AuthSucceeded,
            { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
                { QStringLiteral("user"), m_authUser },
                { QStringLiteral("mechanism"), QString::fromLatin1(m_mechName) } });
        m_mech.reset();
        loadMaildrop();
        return;
    }
    m_mech.reset();
    if (malformed) {
        m_phase = Phase::Command;
        refuse({ false, {}, "Malformed authentication data" }, m_mechName == "USER" ? "PASS" : "AUTH", reason);
        process();
        return;
    }
    m_ctx.bus.raise(EventId::Pop3AuthFailed,
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
        refuse(replies::authFailed(), m_mechName == "USER" ? "PASS" : "AUTH", QStringLiteral("bad credentials"));
        process();
    });
}

void Session::refuseThrottled(const QString &user)
{
    m_mech.reset();
    m_ctx.bus.raise(EventId::Pop3Limit,
        { { QStringLiteral("service"), m_service.name }, { QStringLiteral("peer"), peerText() },
            { QStringLiteral("reason"),
                QStringLiteral("too many failed logins for this address or for user \"%1\"").arg(user.left(100)) } });
    reply(replies::throttled());
    close(QStringLiteral("login throttled"));
}

void Session::loadMaildrop()
{
    m_phase = Phase::Waiting;
    auto *watcher = new QFutureWatcher<LoadResult>(this);
    connect(watcher, &QFutureWatcher<LoadResult>::finished, this, [this, watcher] {
        watcher->deleteLater();
        LoadResult r = watcher->result();
        if (m_phase == Phase::Closing)
            return;
        if (!r.error.isEmpty()) {
            storeFailed(QStringLiteral("opening INBOX"), r.error);
            reply(replies::tempFailure("Cannot open the mailbox, try again later"));
            close(QStringLiteral("mailbox unavailable"));
            return;
        }
        m_drop = std::make_unique<Maildrop>(r.mailboxId, r.uidValidity, std::move(r.messages));
        m_phase = Phase::Command;
        armTimer();
        reply(replies::ok("Logged in, " + QByteArray::number(m_drop->liveCount()) + " messages ("
            + QByteArray::number(m_drop->liveBytes()) + " octets)"));
        process();
    });
    store::MailStore *mail = &m_ctx.mail;
    watcher->setFuture(QtConcurrent::run(&m_ctx.workers, [mail, user = m_authUser] { return loadInbox(*mail, user); }));
}

} // namespace mailroom::pop3
