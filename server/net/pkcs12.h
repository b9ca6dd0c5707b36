// PKCS#12 import: a .p12/.pfx bundle from an admin, opened with its
// passphrase and turned into a PEM chain (leaf first, then each issuer) and
// a PEM private key, for TlsContext to check and install.
// Trust level: local admins (uploads through the admin socket), bounded.
// Standards: RFC 7292 (PKCS #12).
#pragma once

#include <QByteArray>
#include <QString>

#include "base/result.h"
#include "net/selfsigned.h" // PemPair

namespace mailroom::net
{

// An error says what to do: re-export with AES, include the key, or type the
// right passphrase.
Result<PemPair> pemFromPkcs12(const QByteArray &pkcs12, const QString &passphrase);

} // namespace mailroom::net
