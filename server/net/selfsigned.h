// Self-signed certificate generation for the first start, so every TLS
// listener works before the admin uploads a certificate from a CA.
// Profile (RFC 5280 §4.1, §4.2): X.509 v3, EC P-256 key, ecdsa-with-SHA256,
// random positive 128-bit serial, CN and subjectAltName DNS:<host> (+ localhost),
// basicConstraints CA:FALSE, keyUsage digitalSignature, extendedKeyUsage serverAuth.
// Trust level: internal (the host name comes from the engine's own settings,
// and is still checked to be a DNS name before it reaches OpenSSL).
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include "base/result.h"

namespace mailroom::net
{

struct PemPair {
    QByteArray certChainPem; // leaf first
    QByteArray keyPem; // unencrypted PKCS#8 ("BEGIN PRIVATE KEY")
};

// True if name is an ASCII DNS name (labels of letters, digits and '-').
bool isDnsName(const QString &name);

// Makes a new key and a certificate for hostname valid from notBefore to
// notAfter (both UTC). The engine uses now .. now + 10 years; tests pass other
// dates, e.g. an expired window.
Result<PemPair> makeSelfSigned(const QString &hostname, const QDateTime &notBefore, const QDateTime &notAfter);

} // namespace mailroom::net
