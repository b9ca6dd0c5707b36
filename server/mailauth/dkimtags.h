// DKIM tag lists: the DKIM-Signature field and the key record in DNS.
// RFC 6376 §3.2 (tag=value lists), §3.5 (signature tags), §3.6.1 (key record
// tags), §6.1.1 (signature checks), RFC 8301 (rsa-sha1 refused), RFC 8463
// (k=ed25519). Internal to the DKIM code; exposed for tests.
// Trust level: parses fields and TXT records from the Internet: pure, bounded.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include "base/result.h"

namespace mailroom::mailauth::dkim
{

constexpr qsizetype kMaxSignatureField = 16 * 1024; // bytes of one DKIM-Signature field
constexpr qsizetype kMaxKeyRecord = 8 * 1024; // bytes of one key TXT record (an 8192-bit key is ~1.4 KiB)
constexpr int kMaxSignedFields = 256; // names in h=
constexpr int kMaxTags = 64; // tags in one list

struct Tag {
    QByteArray name;
    QByteArray value; // FWS around it removed, FWS inside kept
    qsizetype valueStart = 0; // raw span after "=" up to ";" or the end (§3.7: b= emptied with its whitespace)
    qsizetype valueEnd = 0;
};

// tag-list = tag-spec *( ";" tag-spec ) [ ";" ]   (§3.2)
// Offsets are into `text`; parsing starts at `start`. Fails on syntax errors,
// duplicate names and more than kMaxTags tags.
Result<QList<Tag>> parseTagList(QByteArrayView text, qsizetype start = 0);

enum class Algorithm { RsaSha256, Ed25519Sha256 };

struct Signature {
    Algorithm algorithm = Algorithm::RsaSha256;
    QString algorithmName; // a= as written
    bool relaxedHeader = false;
    bool relaxedBody = false;
    QString domain; // d=, lower-case
    QString selector; // s=, lower-case
    QString identity; // i= as written, or "@" + d=
    QString identityDomain; // the part after the last "@" of i=, lower-case
    QList<QByteArray> headers; // h=, lower-case, in order
    QByteArray bodyHash; // bh=, decoded
    QByteArray signature; // b=, decoded
    qint64 bodyLength = -1; // l=
    qint64 timestamp = -1; // t=
    qint64 expiry = -1; // x=
    qsizetype bValueStart = 0; // span of b='s value in the raw field
    qsizetype bValueEnd = 0;
};

// What could be read of a field that failed, for the result.
struct SignatureInfo {
    QString domain, selector, algorithm, identity;
};

// Parses and checks one raw DKIM-Signature field ("DKIM-Signature: ...\r\n").
// The error message is the reason for a permerror. *info (may be null)
// receives d=, s=, a=, i= as far as they could be read.
Result<Signature> parseSignature(QByteArrayView rawField, SignatureInfo *info = nullptr);

enum class KeyType { Rsa, Ed25519 };

struct KeyRecord {
    KeyType type = KeyType::Rsa;
    QByteArray publicKey; // p=, decoded; empty = revoked (§3.6.1)
    bool testing = false; // t=y
    bool strict = false; // t=s: i= must be in d= exactly, not a subdomain
};

// Parses one key record (§3.6.1) and checks h= allows sha256 and s= allows
// email. The error message is the reason for a permerror.
Result<KeyRecord> parseKeyRecord(QByteArrayView txt);

// Base64 with the FWS of a tag value removed; fails on anything else.
Result<QByteArray> decodeBase64Value(QByteArrayView value);

// domain-name = sub-domain 1*("." sub-domain), selector = sub-domain *("." sub-domain)
// ASCII labels of letters, digits, "-" and "_" (used in real selectors).
bool isDnsName(QByteArrayView name, bool needDot);

} // namespace mailroom::mailauth::dkim
