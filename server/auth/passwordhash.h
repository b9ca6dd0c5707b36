// Password hashing: scrypt (RFC 7914) through OpenSSL 3's EVP_KDF, stored as
// a PHC string "$scrypt$ln=15,r=8,p=1$<salt>$<hash>" (unpadded base64).
// Memory-hard, so a stolen database is expensive to attack (DESIGN §7).
// Trust level: handles secrets; temporary buffers are wiped, nothing is
// logged, and comparison is constant-time.
#pragma once

#include <QString>

#include "base/result.h"

namespace mailroom::auth
{

Result<QString> hashPassword(const QString &password, int log2n = 15);
bool verifyPassword(const QString &password, const QString &phc);
// Length and shape rules for new passwords, with a sentence on refusal.
Status checkPasswordPolicy(const QString &password, int minLength);

} // namespace mailroom::auth
