// AUTH (RFC 4954): "AUTH mechanism [initial-response]". Refused before TLS
// unless auth.allow_plaintext, inside a transaction, or when already logged
// in. The exchange itself runs in Session (beginAuth), throttled per client
// address and per user (auth.*).
#include "auth/sasl.h"
#include "smtp/commands.h"
#include "smtp/server.h"
#include "smtp/session.h"

namespace mailroom::smtp::commands
{

void authenticate(Session &s, const QByteArray &args)
{
    if (!s.authUser().isEmpty()) {
        s.refuse(replies::badSequence("already authenticated"), "AUTH", QStringLiteral("second AUTH"));
        return;
    }
    if (s.tx().active) {
        s.refuse(replies::badSequence("AUTH not allowed during a mail transaction"), "AUTH",
            QStringLiteral("AUTH inside a transaction"));
        return;
    }
    if (!s.plaintextAuthAllowed()) {
        s.refuse(replies::encryptionRequired(), "AUTH", QStringLiteral("AUTH before STARTTLS"));
        return;
    }
    const QList<QByteArray> words = args.split(' ');
    const QByteArray mechName = words.value(0).toUpper();
    if (mechName.isEmpty() || words.size() > 2) {
        s.refuse(replies::syntax("AUTH mechanism [initial-response]"), "AUTH", QStringLiteral("bad AUTH syntax"));
        return;
    }
    const auto offered = auth::saslMechanismNames(s.isTls(), true, s.ctx().credentials.cramMd5Offered());
    if (!offered.contains(mechName)) {
        s.refuse({ 504, "5.5.4", "Unrecognized authentication type" }, "AUTH",
            QStringLiteral("mechanism %1 not offered").arg(QString::fromLatin1(mechName.left(30))));
        return;
    }
    QByteArray initial;
    const bool hasInitial = words.size() == 2;
    if (hasInitial && words[1] != "=") {
        auto decoded = QByteArray::fromBase64Encoding(words[1], QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            s.refuse({ 501, "5.5.2", "Cannot decode initial response" }, "AUTH", QStringLiteral("invalid base64"));
            return;
        }
        initial = *decoded;
    }
    auto mech = auth::createSaslMechanism(mechName, s.ctx().credentials, s.ctx().hostname.toUtf8());
    if (!mech) {
        s.refuse({ 504, "5.5.4", "Unrecognized authentication type" }, "AUTH", QStringLiteral("no such mechanism"));
        return;
    }
    s.beginAuth(std::move(mech), initial, hasInitial, mechName);
}

} // namespace mailroom::smtp::commands
