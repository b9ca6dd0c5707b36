// Finding a user and one of its mailboxes for an admin request, with errors
// that say where to look (mailboxes.*, messages.*, spam.train).
// Trust level: local admins.
#pragma once

#include <QString>

#include "admin/requestcontext.h"
#include "store/directory.h"
#include "store/mailstore.h"

namespace mailroom::admin::handlers
{

// The user, enabled or not: admins may look at a disabled user's mail.
store::User findUser(const RequestContext &ctx, const QString &address);
store::MailboxEntry findMailbox(const RequestContext &ctx, const store::User &u, const QString &name);

} // namespace mailroom::admin::handlers
