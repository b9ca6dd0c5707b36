#include "admin/requestcontext.h"

#include "admin/adminerror.h"
#include "adminproto/schema.h"

namespace mailroom::admin
{

void RequestContext::require(const QString &permission) const
{
    if (permission == u"none" || m_peer.permissions.contains(permission))
        return;
    raise(ErrorCode::PermissionDenied,
        QStringLiteral("This user may not do that (%1 is needed). Ask the server's administrator to add you to "
                       "the group set in admin.group.")
            .arg(permission));
}

QSet<QString> fullPermissions()
{
    QSet<QString> all;
    for (const auto &m : adminproto::Schema::instance().methods())
        all.insert(m.permission);
    return all;
}

} // namespace mailroom::admin
