// SASL server mechanisms (RFC 4422) shared by SMTP AUTH (RFC 4954), IMAP
// AUTHENTICATE (RFC 9051 §6.2.2) and POP3 AUTH (RFC 5034). They know no
// protocol: the caller base64-decodes client responses and passes the raw
// bytes, and base64-encodes the raw challenges returned here.
// Trust level: talks to the Internet. Every input is bounded and checked;
// passwords and keys are wiped after use and never appear in Step::reason.
#pragma once

#include <memory>

#include <QByteArray>
#include <QList>
#include <QString>

#include "auth/credentials.h"

namespace mailroom::auth
{

// One exchange; create a new object per AUTH command. start() and next() may
// block on the CredentialSource, so run them on a worker thread.
class SaslMechanism
{
public:
    // Bounds on what a client may send (STYLE rule 4). The protocol may also
    // use kMaxResponseBytes to refuse an over-long base64 line before decoding.
    static constexpr int kMaxResponseBytes = 16 * 1024;
    static constexpr int kMaxNameBytes = 512;
    static constexpr int kMaxPasswordBytes = 4096;

    struct Step {
        enum Kind { Challenge, Success, Failure };
        Kind kind = Failure;
        // For Challenge: the raw challenge. For Success: additional data
        // (SCRAM's server-final), sent as a last challenge or as additional
        // data per the protocol's rules; empty for the other mechanisms.
        QByteArray challenge;
        // For Failure: text for the log, never sent to the peer, never a secret.
        QString reason;
        // The client sent garbage (answer 501 / BAD), as opposed to wrong credentials.
        bool malformed = false;

        static Step makeChallenge(QByteArray challenge);
        static Step makeSuccess(QByteArray additional = {});
        static Step makeFailure(QString reason, bool malformed = false);
    };

    virtual ~SaslMechanism() = default;
    virtual QByteArray name() const = 0; // e.g. "PLAIN"
    // First step. hasInitial tells an empty initial response ("=") from none.
    virtual Step start(const QByteArray &initial, bool hasInitial) = 0;
    virtual Step next(const QByteArray &response) = 0;

    // The canonical user name after Success, else empty.
    QString authenticatedUser() const;
    // The name the client claimed, for throttling and logs; possibly empty.
    QString attemptedUser() const;

protected:
    void setAuthenticatedUser(const QString &user);
    void setAttemptedUser(const QString &user);
    // Strict UTF-8 without C0 controls or DEL, 1..kMaxNameBytes bytes; nullopt otherwise.
    static std::optional<QString> decodeName(const QByteArray &bytes);
    // Strict UTF-8 without NUL, 1..kMaxPasswordBytes bytes; nullopt otherwise.
    static std::optional<QString> decodePassword(const QByteArray &bytes);
    // An authorization identity is accepted only when it names the
    // authenticating user itself (exactly, or the same canonical name).
    static bool sameUser(CredentialSource &creds, const QString &authzid, const QString &authcid);

private:
    QString m_authenticatedUser;
    QString m_attemptedUser;
};

// Mechanisms offered to a connection, strongest first. PLAIN and LOGIN only
// under TLS or when plaintext is allowed; CRAM-MD5 only when allowCramMd5
// (some users opted in). The protocol must refuse a name not in this list.
QList<QByteArray> saslMechanismNames(bool tls, bool allowPlaintext, bool allowCramMd5);
// nullptr for an unknown name. The name is case-insensitive; serverName goes
// into the CRAM-MD5 challenge. creds must outlive the mechanism.
std::unique_ptr<SaslMechanism> createSaslMechanism(
    const QByteArray &name, CredentialSource &creds, const QByteArray &serverName);

} // namespace mailroom::auth
