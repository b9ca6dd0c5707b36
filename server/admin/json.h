// JSON shapes of the admin protocol's results (see schema.json "result").
// Trust level: internal.
#pragma once

#include <QJsonArray>
#include <QJsonObject>

#include "base/events.h"
#include "store/directory.h"
#include "store/logstore.h"
#include "store/queuerepository.h"

namespace mailroom::admin::json
{

QString isoTime(const QDateTime &t);
QJsonObject domainToJson(const store::Domain &d);
QJsonObject userToJson(const store::User &u);
QJsonObject aliasToJson(const store::Alias &a);
QJsonObject eventToJson(const Event &e, qint64 id);
QJsonObject logRowToJson(const store::LogRow &r);
QJsonObject queueMessageToJson(const store::QueueMessageRow &m);
QJsonObject queueHistoryToJson(const store::QueueHistoryRow &h);

// Paging parameters shared by every *.list method.
store::ListQuery listQuery(const QJsonObject &params);

} // namespace mailroom::admin::json
