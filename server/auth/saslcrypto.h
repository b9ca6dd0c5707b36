// Small OpenSSL 3 wrappers shared by the SASL mechanisms and the SCRAM key
// derivation: HMAC-SHA-256, HMAC-MD5, SHA-256, PBKDF2, random bytes,
// constant-time comparison and wiping of secrets.
// Trust level: internal; handles secrets. Every function returns an empty
// array when OpenSSL fails, and callers treat that as a failed login.
#pragma once

#include <QByteArray>
#include <QString>

namespace mailroom::auth
{

QByteArray hmacSha256(const QByteArray &key, const QByteArray &data);
QByteArray hmacMd5(const QByteArray &key, const QByteArray &data);
QByteArray sha256(const QByteArray &data);
QByteArray pbkdf2Sha256(const QByteArray &password, const QByteArray &salt, int iterations, int keyBytes);
QByteArray randomBytes(int count);
// False when the sizes differ (sizes are not secret) or either side is empty.
bool equalConstantTime(const QByteArray &a, const QByteArray &b);
// Overwrites the bytes (when this is the only copy) and clears the value.
void wipe(QByteArray &bytes);
void wipe(QString &text);

} // namespace mailroom::auth
