// Session: one SMTP connection (RFC 5321) as a state machine driven by
// readyRead: it never blocks, never waits, never nests an event loop (STYLE
// rule 13). Commands are looked up in the table of commands.cpp and run by
// one small function each (cmd_*.cpp). Slow work, password checks and the
// durable queue write, runs elsewhere and resumes the session through a
// QFutureWatcher owned by it, so a session that goes away takes its pending
// callbacks with it. Trust level: talks to the Internet; every input is
// bounded (line, message, recipients, errors, junk commands, time).
#pragma once

#include <memory>

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QSslSocket>
#include <QTimer>

#include "queue/envelope.h"
#include "smtp/reply.h"

namespace mailroom::auth
{
class SaslMechanism;
}

namespace mailroom::smtp
{

class DataReader;
struct ServerContext;

struct Limits {
    qint64 lineBytes = 4096;
    qint64 messageBytes = 25 * 1024 * 1024;
    int recipients = 1000;
    int errors = 10;
    int junkCommands = 100;
    int commandTimeoutMs = 300000;
    int dataTimeoutMs = 600000;
};

struct ServiceInfo {
    QString name; // "smtp", "submission", "smtps"
    bool implicitTls = false;
    bool requireAuth = false; // submission: MAIL needs AUTH
};

class Session : public QObject
{
    Q_OBJECT
public:
    Session(ServerContext &ctx, ServiceInfo service, qintptr descriptor, QObject *parent = nullptr);
    ~Session() override;

    // For the command functions (cmd_*.cpp).
    enum class Phase { Command, Data, Bdat, Auth, Waiting, Closing };
    struct Transaction {
        bool active = false; // after MAIL
        QString sender;
        QList<queue::EnvelopeRecipient> recipients;
        qint64 declaredSize = 0;
        bool body8bit = false, smtpUtf8 = false;
        QString envid, ret;
        QByteArray bdatBuffer; // chunks so far (CHUNKING)
        bool bdatTooBig = false;
        bool bdatUsed = false, dataUsed = false;
        bool spamScored = false; // the spam filter's findings, for the queue
        double spamScore = 0;
        QString spamTags;
    };

    ServerContext &ctx()
    {
        return m_ctx;
    }
    const ServiceInfo &service() const
    {
        return m_service;
    }
    const Limits &limits() const
    {
        return m_limits;
    }
    QHostAddress peer() const
    {
        return m_peer;
    }
    QString peerText() const;
    bool isTls() const;
    bool tlsAvailable() const;
    bool saidHello() const
    {
        return !m_helo.isEmpty();
    }
    bool esmtp() const
    {
        return m_esmtp;
    }
    QString helo() const
    {
        return m_helo;
    }
    void setHelo(const QString &name, bool esmtp);
    QString authUser() const
    {
        return m_authUser;
    }
    bool plaintextAuthAllowed() const;
    Transaction &tx()
    {
        return m_tx;
    }
    void resetTransaction();

    void reply(const Reply &r);
    void replyRaw(const QByteArray &bytes);
    // Records a refused command (counted toward smtp.max_errors) and logs it.
    void refuse(const Reply &r, const QByteArray &command, const QString &reason);
    void close(const QString &reason); // after what was written is sent
    void countJunk(); // NOOP, RSET, VRFY, HELP, HELO/EHLO

    // Phases started by commands.
    void beginData();
    void beginBdat(qint64 size, bool last);
    void beginStartTls();
    void beginAuth(std::unique_ptr<auth::SaslMechanism> mech,
        const QByteArray &initial,
        bool hasInitial,
        const QByteArray &mechName);
    // Hands the finished message to the queue; replies when it is durable.
    void submitMessage(QByteArray message);
    // Hands the message to the queue; verdict is the spam filter's (empty: accept).
    void enqueue(QByteArray message, const QString &verdict);

private:
    void onReadyRead();
    void process();
    void handleCommandLine(const QByteArray &line);
    void handleAuthLine(const QByteArray &line);
    void runAuthStep(const QByteArray &response, bool first, bool hasInitial);
    void finishAuth(int kind, const QByteArray &challenge, const QString &reason, bool malformed);
    void refuseThrottled(const QString &user);
    void finishData();
    void onEncrypted();
    void armTimer(int ms);
    QByteArray receivedHeader(const QString &id) const;

    ServerContext &m_ctx;
    ServiceInfo m_service;
    Limits m_limits;
    QSslSocket *m_socket = nullptr;
    QHostAddress m_peer;
    quint16 m_peerPort = 0;
    QByteArray m_in;
    Phase m_phase = Phase::Command;
    bool m_discardingLine = false;
    QString m_helo;
    bool m_esmtp = false;
    QString m_authUser;
    Transaction m_tx;
    std::unique_ptr<DataReader> m_data;
    qint64 m_bdatRemaining = 0;
    bool m_bdatLast = false;
    // Shared with the worker running a step, so a session that goes away
    // mid-step leaves the mechanism alive until that step ends.
    std::shared_ptr<auth::SaslMechanism> m_mech;
    QByteArray m_mechName;
    bool m_authSentFinal = false; // SCRAM: server-final sent, waiting for the empty response
    int m_errors = 0;
    int m_junk = 0;
    QTimer m_timer;
};

} // namespace mailroom::smtp
