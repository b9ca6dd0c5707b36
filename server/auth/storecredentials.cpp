#include "auth/storecredentials.h"

#include "auth/passwordhash.h"
#include "store/directory.h"

namespace mailroom::auth
{

QString encodeScram(const ScramCredentials &c)
{
    if (c.iterations <= 0)
        return {};
    return QString::number(c.iterations) + u'$' + QString::fromLatin1(c.salt.toBase64()) + u'$'
        + QString::fromLatin1(c.storedKey.toBase64()) + u'$' + QString::fromLatin1(c.serverKey.toBase64());
}

std::optional<ScramCredentials> decodeScram(const QString &text)
{
    const QStringList parts = text.split(u'$');
    if (parts.size() != 4)
        return std::nullopt;
    ScramCredentials c;
    bool ok = false;
    c.iterations = parts[0].toInt(&ok);
    if (!ok || c.iterations <= 0 || c.iterations > kMaxScramIterations)
        return std::nullopt;
    c.salt = QByteArray::fromBase64(parts[1].toLatin1());
    c.storedKey = QByteArray::fromBase64(parts[2].toLatin1());
    c.serverKey = QByteArray::fromBase64(parts[3].toLatin1());
    if (c.salt.isEmpty() || c.storedKey.size() != 32 || c.serverKey.size() != 32)
        return std::nullopt;
    return c;
}

LoginSecretsText makeLoginSecrets(const QString &password, bool cramMd5Allowed)
{
    LoginSecretsText out;
    out.scram = encodeScram(makeScramCredentials(password));
    if (cramMd5Allowed)
        out.cramKey = password.toUtf8();
    return out;
}

StoreCredentials::StoreCredentials(store::Directory &directory)
    : m_directory(directory)
{
}

bool StoreCredentials::verifyPassword(const QString &username, const QString &password)
{
    auto s = m_directory.loginSecrets(username);
    if (!s || !s->enabled) {
        // Spend about the same time as a real check, so that a wrong name
        // cannot be told from a wrong password by the clock.
        static const QString dummy = hashPassword(QStringLiteral("timing-equaliser"), 10).value();
        auth::verifyPassword(password, dummy);
        return false;
    }
    return auth::verifyPassword(password, s->passwordHash);
}

bool StoreCredentials::cramMd5Offered()
{
    auto any = m_directory.anyCramMd5User();
    return any && *any;
}

std::optional<QByteArray> StoreCredentials::cramMd5Key(const QString &username)
{
    auto s = m_directory.loginSecrets(username);
    if (!s || !s->enabled || !s->cramMd5Allowed || s->cramKey.isEmpty())
        return std::nullopt;
    return s->cramKey;
}

std::optional<ScramCredentials> StoreCredentials::scramCredentials(const QString &username)
{
    auto s = m_directory.loginSecrets(username);
    if (!s || !s->enabled)
        return std::nullopt;
    return decodeScram(s->scram);
}

QString StoreCredentials::canonicalName(const QString &username)
{
    auto s = m_directory.loginSecrets(username);
    return s ? s->address : QString();
}

} // namespace mailroom::auth
