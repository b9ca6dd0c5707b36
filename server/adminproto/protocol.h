// Admin protocol constants and message shapes, shared by engine and clients.
// Trust level: local admins. See docs/admin-protocol.md for the description
// and server/adminproto/schema.json for every method.
//
// A frame is a 4-byte big-endian length followed by that many bytes of UTF-8
// JSON (one object). Every object carries "v" (the protocol version):
//   request  {"v":1,"id":7,"method":"users.add","params":{...}}
//   reply    {"v":1,"id":7,"result":{...}}  or  {"v":1,"id":7,"error":{"code":"...","message":"..."}}
//   push     {"v":1,"event":"logs.line","data":{...}}   (only after a subscribe)
#pragma once

#include <QJsonObject>
#include <QString>

namespace mailroom::adminproto
{

// Bump on ANY change to schema.json or message shapes, and add a line to
// docs/admin-protocol-CHANGELOG.md.
constexpr int kProtocolVersion = 6;
constexpr qint64 kDefaultMaxFrameBytes = 16 * 1024 * 1024;

struct Request {
    qint64 id = 0;
    QString method;
    QJsonObject params;
};

struct ErrorInfo {
    QString code; // stable, snake case (see mailroom::errorCodeName)
    QString message; // one sentence for the admin: what happened and what to do
};

QJsonObject makeRequest(qint64 id, const QString &method, const QJsonObject &params);
QJsonObject makeResult(qint64 id, const QJsonValue &result);
QJsonObject makeError(qint64 id, const QString &code, const QString &message);
QJsonObject makePush(const QString &event, const QJsonObject &data);

// Message checks shared by both sides. On failure returns false and fills error.
bool checkVersion(const QJsonObject &message, ErrorInfo *error);
bool parseRequest(const QJsonObject &message, Request *request, ErrorInfo *error);

// The sentence both console and ctl show when versions differ.
QString versionMismatchText(int engineVersion, int clientVersion);

} // namespace mailroom::adminproto
