// AUTH (RFC 5034): "AUTH mechanism [initial-response]", an empty initial
// response written "=". A bare "AUTH" lists the mechanisms, as the older
// RFC 1734 clients expect. The exchange itself runs in Session (beginAuth),
// throttled per client address and per user (auth.*).
#include "auth/sasl.h"
#include "pop3/commands.h"
#include "pop3/server.h"
#include "pop3/session.h"

namespace mailroom::pop3::commands
{

void authenticate(Session &s, const QByteArray &args)
{
    const auto offered
        = auth::saslMechanismNames(s.isTls(), s.plaintextAuthAllowed(), s.ctx().credentials.cramMd5Offered());
    if (args.isEmpty()) {
        s.reply(replies::ok("Mechanisms follow"));
        s.replyRaw(formatBody(offered));
        return;
    }
    const QList<QByteArray> words = args.split(' ');
    const QByteArray mechName = words.value(0).toUpper();
    if (mechName.isEmpty() || words.size() > 2) {
        s.refuse(replies::syntax("AUTH mechanism [initial-response]"), "AUTH", QStringLiteral("bad AUTH syntax"));
        return;
    }
    if (!offered.contains(mechName)) {
        s.refuse({ false, {}, "Unrecognized authentication mechanism" }, "AUTH",
            QStringLiteral("mechanism %1 not offered").arg(QString::fromLatin1(mechName.left(30))));
        return;
    }
    QByteArray initial;
    const bool hasInitial = words.size() == 2;
    if (hasInitial && words[1] != "=") {
        auto decoded = QByteArray::fromBase64Encoding(words[1], QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            s.refuse({ false, {}, "Cannot decode initial response" }, "AUTH", QStringLiteral("invalid base64"));
            return;
        }
        initial = *decoded;
    }
    auto mech = auth::createSaslMechanism(mechName, s.ctx().credentials, s.ctx().hostname.toUtf8());
    if (!mech) {
        s.refuse({ false, {}, "Unrecognized authentication mechanism" }, "AUTH", QStringLiteral("no such mechanism"));
        return;
    }
    s.beginAuth(std::move(mech), initial, hasInitial, mechName);
}

} // namespace mailroom::pop3::commands
