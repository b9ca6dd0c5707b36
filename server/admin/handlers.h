// Admin method handlers, one file per area. Each handler's first line is
// ctx.require(permission); parameters are already checked against the schema.
#pragma once

#include <QJsonObject>
#include <QJsonValue>

#include "admin/requestcontext.h"

namespace mailroom::admin::handlers
{

#define MAILROOM_ADMIN_HANDLER(name) QJsonValue name(const RequestContext &ctx, const QJsonObject &params)

MAILROOM_ADMIN_HANDLER(statusGet);

MAILROOM_ADMIN_HANDLER(domainsList);
MAILROOM_ADMIN_HANDLER(domainsAdd);
MAILROOM_ADMIN_HANDLER(domainsUpdate);
MAILROOM_ADMIN_HANDLER(domainsRemove);

MAILROOM_ADMIN_HANDLER(usersList);
MAILROOM_ADMIN_HANDLER(usersGet);
MAILROOM_ADMIN_HANDLER(usersAdd);
MAILROOM_ADMIN_HANDLER(usersUpdate);
MAILROOM_ADMIN_HANDLER(usersPasswd);
MAILROOM_ADMIN_HANDLER(usersQuota);
MAILROOM_ADMIN_HANDLER(usersRemove);

MAILROOM_ADMIN_HANDLER(aliasesList);
MAILROOM_ADMIN_HANDLER(aliasesAdd);
MAILROOM_ADMIN_HANDLER(aliasesUpdate);
MAILROOM_ADMIN_HANDLER(aliasesRemove);

MAILROOM_ADMIN_HANDLER(settingsList);
MAILROOM_ADMIN_HANDLER(settingsGet);
MAILROOM_ADMIN_HANDLER(settingsSet);
MAILROOM_ADMIN_HANDLER(settingsReset);

MAILROOM_ADMIN_HANDLER(logsQuery);

MAILROOM_ADMIN_HANDLER(queueList);
MAILROOM_ADMIN_HANDLER(queueShow);
MAILROOM_ADMIN_HANDLER(queueRetry);
MAILROOM_ADMIN_HANDLER(queueHold);
MAILROOM_ADMIN_HANDLER(queueRelease);
MAILROOM_ADMIN_HANDLER(queueDelete);
MAILROOM_ADMIN_HANDLER(queueBounce);
MAILROOM_ADMIN_HANDLER(queueFlush);

MAILROOM_ADMIN_HANDLER(tlsGet);
MAILROOM_ADMIN_HANDLER(tlsReplace);
MAILROOM_ADMIN_HANDLER(tlsRemove);

MAILROOM_ADMIN_HANDLER(dkimList);
MAILROOM_ADMIN_HANDLER(dkimCreate);
MAILROOM_ADMIN_HANDLER(dkimCheck);
MAILROOM_ADMIN_HANDLER(dkimActivate);
MAILROOM_ADMIN_HANDLER(dkimDelete);

MAILROOM_ADMIN_HANDLER(mailboxesList);
MAILROOM_ADMIN_HANDLER(messagesList);
MAILROOM_ADMIN_HANDLER(messagesGet);

MAILROOM_ADMIN_HANDLER(spamStatus);
MAILROOM_ADMIN_HANDLER(spamScore);
MAILROOM_ADMIN_HANDLER(spamTrain);
MAILROOM_ADMIN_HANDLER(spamQuarantineList);
MAILROOM_ADMIN_HANDLER(spamQuarantineGet);
MAILROOM_ADMIN_HANDLER(spamQuarantineRelease);
MAILROOM_ADMIN_HANDLER(spamQuarantineDelete);
MAILROOM_ADMIN_HANDLER(spamListsList);
MAILROOM_ADMIN_HANDLER(spamListsAdd);
MAILROOM_ADMIN_HANDLER(spamListsRemove);
MAILROOM_ADMIN_HANDLER(spamScoresList);
MAILROOM_ADMIN_HANDLER(spamScoresSet);
MAILROOM_ADMIN_HANDLER(spamScoresReset);

#undef MAILROOM_ADMIN_HANDLER

} // namespace mailroom::admin::handlers
