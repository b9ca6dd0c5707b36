#include "adminproto/protocol.h"

#include <QJsonValue>

namespace mailroom::adminproto
{

QJsonObject makeRequest(qint64 id, const QString &method, const QJsonObject &params)
{
    return QJsonObject { { QStringLiteral("v"), kProtocolVersion }, { QStringLiteral("id"), id },
        { QStringLiteral("method"), method }, { QStringLiteral("params"), params } };
}

QJsonObject makeResult(qint64 id, const QJsonValue &result)
{
    return QJsonObject { { QStringLiteral("v"), kProtocolVersion }, { QStringLiteral("id"), id },
        { QStringLiteral("result"), result } };
}

QJsonObject makeError(qint64 id, const QString &code, const QString &message)
{
    return QJsonObject { { QStringLiteral("v"), kProtocolVersion }, { QStringLiteral("id"), id },
        { QStringLiteral("error"),
            QJsonObject { { QStringLiteral("code"), code }, { QStringLiteral("message"), message } } } };
}

QJsonObject makePush(const QString &event, const QJsonObject &data)
{
    return QJsonObject { { QStringLiteral("v"), kProtocolVersion }, { QStringLiteral("event"), event },
        { QStringLiteral("data"), data } };
}

QString versionMismatchText(int engineVersion, int clientVersion)
{
    return QStringLiteral("The engine speaks admin protocol version %1 but this program speaks version %2. Install the "
                          "same Mailroom version for the engine and the console or mailroomctl.")
        .arg(engineVersion)
        .arg(clientVersion);
}

bool checkVersion(const QJsonObject &message, ErrorInfo *error)
{
    const QJsonValue v = message.value(QStringLiteral("v"));
    if (!v.isDouble()) {
        *error = { QStringLiteral("protocol_error"),
            QStringLiteral("The message has no protocol version (\"v\"); the client is not a Mailroom client.") };
        return false;
    }
    if (v.toInt() != kProtocolVersion) {
        *error = { QStringLiteral("version_mismatch"), versionMismatchText(kProtocolVersion, v.toInt()) };
        return false;
    }
    return true;
}

bool parseRequest(const QJsonObject &message, Request *request, ErrorInfo *error)
{
    if (!checkVersion(message, error))
        return false;
    const QJsonValue id = message.value(QStringLiteral("id"));
    const QJsonValue method = message.value(QStringLiteral("method"));
    const QJsonValue params = message.value(QStringLiteral("params"));
    if (!id.isDouble() || id.toDouble() < 0 || id.toDouble() > 9007199254740991.0) {
        *error = { QStringLiteral("protocol_error"), QStringLiteral("The request needs a numeric \"id\".") };
        return false;
    }
    if (!method.isString() || method.toString().isEmpty() || method.toString().size() > 64) {
        *error = { QStringLiteral("protocol_error"), QStringLiteral("The request needs a \"method\" name.") };
        return false;
    }
    if (!params.isUndefined() && !params.isNull() && !params.isObject()) {
        *error = { QStringLiteral("protocol_error"), QStringLiteral("\"params\" must be an object.") };
        return false;
    }
    request->id = qint64(id.toDouble());
    request->method = method.toString();
    request->params = params.toObject();
    return true;
}

} // namespace mailroom::adminproto
