#include "admin/mailaccess.h"

#include "admin/adminerror.h"
#include "store/store.h"

namespace mailroom::admin::handlers
{

store::User findUser(const RequestContext &ctx, const QString &address)
{
    Result<store::User> u = ctx.services().store.directory().findUser(address);
    if (!u.ok() && u.error().code == ErrorCode::NotFound)
        raise(ErrorCode::NotFound,
            QStringLiteral("There is no user %1. Check the address in Domains & Users or with `mailroomctl user list`.")
                .arg(address.left(320)));
    return unwrap(std::move(u));
}

store::MailboxEntry findMailbox(const RequestContext &ctx, const store::User &u, const QString &name)
{
    Result<store::MailboxEntry> m = ctx.services().store.mailStore().mailbox(u.id, name);
    if (!m.ok() && m.error().code == ErrorCode::NotFound)
        raise(ErrorCode::NotFound,
            QStringLiteral("%1 has no mailbox \"%2\". Its mailboxes are listed by mailboxes.list "
                           "(`mailroomctl mailbox list %1`).")
                .arg(u.address, name.left(512)));
    return unwrap(std::move(m));
}

} // namespace mailroom::admin::handlers
