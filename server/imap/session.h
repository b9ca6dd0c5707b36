// Session: one IMAP connection (RFC 9051, RFC 3501) as a state machine driven
// by readyRead (STYLE rule 13). The pure reader (parser/) frames commands;
// each command is one function (cmd_*.cpp) looked up in the table of
// commands.cpp. Commands that touch the store run on the store worker pool,
// one at a time per session, and their output is written when they finish;
// the selected mailbox is then brought up to date (untagged EXISTS, EXPUNGE
// or VANISHED, FETCH FLAGS). Trust level: talks to the Internet; lines,
// literals, command size, errors and time are bounded by settings.
#pragma once

#include <memory>

#include <QHostAddress>
#include <QObject>
#include <QSslSocket>
#include <QTimer>

#include "imap/mailboxview.h"
#include "imap/parser/parser.h"

namespace mailroom::auth
{
class SaslMechanism;
}

namespace mailroom::imap
{

struct ServerContext;
class CommandContext;
class Deflate;

struct Limits {
    ReaderLimits reader;
    int errors = 20; // BADs before the connection is closed
    int idleTimeoutMs = 30 * 60 * 1000; // RFC 9051 §5.4: at least 30 minutes
    int loginTimeoutMs = 60 * 1000; // before authentication
    qint64 appendBytes = 25 * 1024 * 1024;
};

struct ServiceInfo {
    QString name; // "imap", "imaps"
    bool implicitTls = false;
};

class Session : public QObject
{
    Q_OBJECT
public:
    enum class State { NotAuthenticated, Authenticated, Selected, Logout };

    Session(ServerContext &ctx, ServiceInfo service, qintptr descriptor, QObject *parent = nullptr);
    ~Session() override;

    ServerContext &ctx()
    {
        return m_ctx;
    }
    const Limits &limits() const
    {
        return m_limits;
    }
    State state() const
    {
        return m_state;
    }
    void setState(State s)
    {
        m_state = s;
    }
    QString peerText() const;
    QHostAddress peer() const
    {
        return m_peer;
    }
    bool isTls() const;
    bool tlsAvailable() const;
    bool plaintextAllowed() const;
    QString user() const
    {
        return m_user;
    }
    qint64 userId() const
    {
        return m_userId;
    }
    void setUser(const QString &user, qint64 id);

    // Enabled extensions (ENABLE, or implied by a command).
    bool utf8() const
    {
        return m_utf8 || m_rev2;
    }
    bool rev2() const
    {
        return m_rev2;
    }
    bool condstore() const
    {
        return m_condstore || m_qresync;
    }
    bool qresync() const
    {
        return m_qresync;
    }
    void enableUtf8()
    {
        m_utf8 = true;
    }
    void enableRev2()
    {
        m_rev2 = true;
    }
    void enableCondstore()
    {
        m_condstore = true;
    }
    void enableQresync()
    {
        m_qresync = true;
    }

    // The selected mailbox; null when none.
    MailboxView *selected()
    {
        return m_selected.get();
    }
    void select(std::unique_ptr<MailboxView> view);
    void unselect();

    QByteArray capabilities() const;
    // Mailbox names on the wire: modified UTF-7 unless UTF-8 is enabled.
    QByteArray encodeName(const QString &name) const;
    bool decodeName(const Arg &arg, QString *out) const;

    // For inline commands (run on the I/O thread).
    void write(const QByteArray &bytes);
    void beginAuthenticate(const QByteArray &tag,
        std::unique_ptr<auth::SaslMechanism> mech,
        const QByteArray &initial,
        bool hasInitial,
        const QByteArray &mechName);
    void beginStartTls(const QByteArray &tag);
    void beginIdle(const QByteArray &tag);
    void beginLogout(const QByteArray &tag);
    void beginCompress(const QByteArray &tag);
    bool compressed() const
    {
        return m_compress != nullptr;
    }

    // Counts a BAD; past limits().errors the connection is closed.
    void countError();
    // Logs a command that failed for a reason the client is not told.
    void logFailure(const QByteArray &command, const QString &error);

private:
    enum class Phase { Command, Running, Auth, Idle, Closing };

    void onReadyRead();
    void pull();
    void process();
    void runCommand(const Command &cmd);
    void runOnWorker(std::shared_ptr<CommandContext> c);
    void finishCommand(std::shared_ptr<CommandContext> c);
    void handleAuthLine(const QByteArray &line);
    void runAuthStep(const QByteArray &response, bool first, bool hasInitial);
    void finishAuth(int kind, const QByteArray &challenge, const QString &reason, bool malformed);
    void endAuth();
    void handleIdleLine(const QByteArray &line);
    void idleSync(bool finishing);
    void onMailboxChanged(qint64 mailboxId);
    void close(const QString &reason);
    void armTimer();
    // Deletes the session once it is closing and no worker job refers to it.
    void maybeDelete();

    ServerContext &m_ctx;
    ServiceInfo m_service;
    Limits m_limits;
    QSslSocket *m_socket = nullptr;
    QHostAddress m_peer;
    quint16 m_peerPort = 0;
    CommandReader m_reader;
    Phase m_phase = Phase::Command;
    State m_state = State::NotAuthenticated;
    QString m_user;
    qint64 m_userId = 0;
    bool m_utf8 = false, m_rev2 = false, m_condstore = false, m_qresync = false;
    std::unique_ptr<MailboxView> m_selected;
    QByteArray m_pendingTag; // AUTHENTICATE / IDLE
    std::shared_ptr<auth::SaslMechanism> m_mech;
    QByteArray m_mechName;
    bool m_authSentFinal = false;
    bool m_idleSyncRunning = false, m_idleSyncAgain = false, m_idleDone = false;
    int m_errors = 0;
    QTimer m_timer;
    int m_jobs = 0; // worker jobs in flight that refer to this session
    bool m_deleting = false;
    bool m_awaitingTls = false; // TLS is being started: the socket's bytes are the handshake's
    std::unique_ptr<Deflate> m_compress; // COMPRESS=DEFLATE (RFC 4978)
    QByteArray m_compressedIn;
};

} // namespace mailroom::imap
