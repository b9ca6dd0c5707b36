// JSON shapes of the admin protocol's results (see schema.json "result").
// Trust level: internal.
#pragma once

#include <QJsonArray>
#include <QJsonObject>

#include "base/events.h"
#include "store/directory.h"
#include "store/logstore.h"

namespace mailroom::admin::json
{

QString isoTime(const QDateTime &t);
QJsonObject domainToJson(const store::Domain &d);
QJsonObject userToJson(const store::User &u);
QJsonObject aliasToJson(const store::Alias &a);
QJsonObject eventToJson(const Event &e);
QJsonObject logRowToJson(const store::LogRow &r);

// Paging parameters shared by every *.list method.
store::ListQuery listQuery(const QJsonObject &params);

} // namespace mailroom::admin::json
