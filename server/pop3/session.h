// Session: one POP3 connection (RFC 1939, RFC 2449, RFC 2595, RFC 5034) as a
// state machine driven by readyRead: it never blocks, never waits, never
// nests an event loop (STYLE rule 13). States: AUTHORIZATION until a login
// succeeds and the maildrop is loaded, then TRANSACTION, then UPDATE after
// QUIT. Commands are looked up in the table of commands.cpp and run by one
// small function each (cmd_*.cpp). Slow work (password checks, the maildrop
// load, reading a message file, the QUIT update) runs on the worker pool
// and resumes the session through a QFutureWatcher owned by it, so a session
// that goes away takes its pending callbacks with it. Output is written as
// the socket drains, so neither a big RETR nor a client that pipelines and
// never reads can pile up unbounded output. Trust level: talks to the
// Internet; every input is bounded (line, errors, time, connections).
#pragma once

#include <memory>

#include <QHostAddress>
#include <QObject>
#include <QSslSocket>
#include <QTimer>

#include "pop3/maildrop.h"
#include "pop3/reply.h"

namespace mailroom::auth
{
class SaslMechanism;
}

namespace mailroom::pop3
{

class MessageStream;
struct ServerContext;

struct Limits {
    qint64 lineBytes = 1024;
    int errors = 10;
    int commandTimeoutMs = 600000;
};

struct ServiceInfo {
    QString name; // "pop3", "pop3s"
    bool implicitTls = false;
};

class Session : public QObject
{
    Q_OBJECT
public:
    Session(ServerContext &ctx, ServiceInfo service, qintptr descriptor, QObject *parent = nullptr);
    ~Session() override;

    // For the command functions (cmd_*.cpp).
    ServerContext &ctx()
    {
        return m_ctx;
    }
    const ServiceInfo &service() const
    {
        return m_service;
    }
    QString peerText() const;
    bool isTls() const;
    bool tlsAvailable() const;
    // USER/PASS and AUTH: under TLS, or anywhere with auth.allow_plaintext
    // (the same rule as SMTP submission).
    bool plaintextAuthAllowed() const;
    bool inTransaction() const
    {
        return m_drop != nullptr;
    }
    Maildrop &maildrop()
    {
        return *m_drop;
    }
    QString userArg() const
    {
        return m_userArg;
    }
    void setUserArg(const QString &user)
    {
        m_userArg = user;
    }

    void reply(const Reply &r);
    void replyRaw(const QByteArray &bytes);
    // Records a refused command (counted toward pop3.max_errors) and logs it.
    void refuse(const Reply &r, const QByteArray &command, const QString &reason);
    void close(const QString &reason); // after what was written is sent

    // Phases started by commands.
    void beginStls();
    void beginAuth(std::unique_ptr<auth::SaslMechanism> mech,
        const QByteArray &initial,
        bool hasInitial,
        const QByteArray &mechName);
    // RETR (bodyLines < 0) and TOP: reads the message file off this thread,
    // then streams it. RETR marks the message for \Seen at QUIT.
    void beginRetrieve(int number, qint64 bodyLines);
    // QUIT in TRANSACTION: the UPDATE state (RFC 1939 §6).
    void beginUpdate();

private:
    enum class Phase { Command, Auth, Waiting, Sending, Closing };
    // Output waiting in the socket beyond which the session reads no further
    // commands and RETR writes no further chunks until it drains.
    static constexpr qint64 kHighWater = 256 * 1024;

    void onReadyRead();
    void onDrained();
    void process();
    void handleAuthLine(const QByteArray &line);
    void runAuthStep(const QByteArray &response, bool first, bool hasInitial);
    void finishAuth(int kind, const QByteArray &challenge, const QString &reason, bool malformed);
    void refuseThrottled(const QString &user);
    void loadMaildrop();
    void pump();
    void onEncrypted();
    void armTimer();
    qint64 pendingOutput() const;
    void storeFailed(const QString &operation, const QString &error);

    ServerContext &m_ctx;
    ServiceInfo m_service;
    Limits m_limits;
    QSslSocket *m_socket = nullptr;
    QHostAddress m_peer;
    QByteArray m_in;
    Phase m_phase = Phase::Command;
    bool m_discardingLine = false;
    QString m_userArg; // USER, waiting for PASS
    QString m_authUser;
    std::unique_ptr<Maildrop> m_drop; // set: TRANSACTION state
    // Shared with the worker running a step, so a session that goes away
    // mid-step leaves the mechanism alive until that step ends.
    std::shared_ptr<auth::SaslMechanism> m_mech;
    QByteArray m_mechName;
    bool m_authSentFinal = false; // SCRAM: server-final sent, waiting for the empty response
    std::unique_ptr<MessageStream> m_stream; // RETR/TOP output still to write
    int m_errors = 0;
    QTimer m_timer;
};

} // namespace mailroom::pop3
