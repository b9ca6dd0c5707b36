// DKIM: verifying the DKIM-Signature fields of a received message and signing
// outgoing ones. RFC 6376 (§3 signatures and key records, §5 signing, §6
// verification), RFC 8463 (ed25519-sha256), RFC 8301 (rsa-sha256 only, RSA
// keys of at least 1024 bits), RFC 8601 §2.7.1 (result names).
// Trust level: verifyDkim parses messages and DNS answers from the Internet;
// it is bounded (signatures checked, header and key sizes) and never throws.
// The signing side works on our own outgoing mail and keys.
#pragma once

#include <functional>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include "base/result.h"
#include "mailauth/lookup.h"

namespace mailroom::mailauth
{

// RFC 8601 §2.7.1. None means "no signature"; a signature that was not
// checked because of the bound is not reported at all.
enum class DkimResult { None, Pass, Fail, Neutral, TempError, PermError };

// "none", "pass", "fail", "neutral", "temperror", "permerror".
const char *dkimResultName(DkimResult result);

struct DkimSignatureResult {
    DkimResult result = DkimResult::PermError;
    QString domain; // d=, lower-case ("" when the field could not be parsed that far)
    QString selector; // s=
    QString algorithm; // "rsa-sha256" | "ed25519-sha256" (as written when it is another one)
    QString identity; // i= as written, or "@" + d= when absent
    QString reason; // for the log and Authentication-Results comments: "body hash mismatch", "key not found", ...
    int keyBits = 0; // RSA modulus bits, 256 for Ed25519, 0 when no key was read
    qint64 bodyLength = -1; // the l= value when present (-1: the whole body is signed)
    qint64 unsignedBodyBytes = 0; // canonical body bytes after l= that nobody signed
    bool testing = false; // the key record says t=y: treat like an unsigned message
};

struct DkimVerification {
    QList<DkimSignatureResult> signatures; // in header order (top first), at most maxSignatures
    int notChecked = 0; // DKIM-Signature fields beyond the bound

    // The best result over all signatures (pass > fail > temperror > permerror
    // > neutral), None without signatures. A summary only: DMARC looks at each
    // passing signature's d=.
    DkimResult best() const;
};

struct DkimVerifyOptions {
    qint64 now = 0; // seconds since the epoch for x= checks; 0 = the current time
    int maxSignatures = 5; // DKIM-Signature fields checked, from the top
};

// The whole message as received (CRLF line ends; a bare LF ends a line too).
// done is called exactly once, later from the event loop of the calling
// thread, never inside this call. The message is shared, not copied.
void verifyDkim(Lookup &dns, const QByteArray &message, std::function<void(const DkimVerification &)> done);
void verifyDkim(Lookup &dns,
    const QByteArray &message,
    std::function<void(const DkimVerification &)> done,
    const DkimVerifyOptions &opts);

enum class DkimKeyType { Rsa2048, Ed25519 };

struct DkimKey {
    DkimKeyType type = DkimKeyType::Ed25519;
    QByteArray privatePem; // PKCS#8 PEM ("BEGIN PRIVATE KEY"); PKCS#1 RSA PEM is read too
    QString selector;
    QString domain;
};

// A fresh key pair. The domain and selector must be DNS names (ASCII labels).
Result<DkimKey> generateDkimKey(DkimKeyType type, const QString &domain, const QString &selector);

// The TXT record to publish at <selector>._domainkey.<domain>:
// "v=DKIM1; k=rsa; p=<SubjectPublicKeyInfo>" or "v=DKIM1; k=ed25519; p=<raw 32 bytes>"
// (base64). Empty when the private key cannot be read.
QByteArray dkimDnsRecord(const DkimKey &key);
// "<selector>._domainkey.<domain>"
QString dkimKeyName(const DkimKey &key);

struct DkimSignOptions {
    // Fields to sign, each instance present in the message (bottom-up).
    QStringList headers = { QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("cc"),
        QStringLiteral("subject"), QStringLiteral("date"), QStringLiteral("message-id"), QStringLiteral("reply-to"),
        QStringLiteral("mime-version"), QStringLiteral("content-type"), QStringLiteral("content-transfer-encoding"),
        QStringLiteral("in-reply-to"), QStringLiteral("references") };
    // Named once more in h= than the message has them, so that a field of that
    // name added later breaks the signature (RFC 6376 §8.15). From is required.
    QStringList oversign = { QStringLiteral("from") };
    bool relaxedHeader = true;
    bool relaxedBody = true;
    qint64 timestamp = 0; // t=; 0 = now
    qint64 expireAfter = 0; // seconds after t= for x=; 0 = no x=
    QString identity; // i= ("@example.com", "user@example.com"); "" = not written (means "@" + d=)
    bool queryTag = false; // write q=dns/txt (the default; some old verifiers like to see it)
    bool bodyLengthTag = false; // write l= (RFC 6376 §8.2: lets anyone append text; avoid)
};

// Returns the "DKIM-Signature: ...\r\n" field (folded, CRLF line ends) to put
// on top of the message. The message has CRLF line ends and a From field.
Result<QByteArray> signDkim(const DkimKey &key, const QByteArray &message, const DkimSignOptions &opts = {});

} // namespace mailroom::mailauth
