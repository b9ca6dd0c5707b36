// mailboxes.list, messages.list, messages.get: an admin looks into a user's
// mailboxes (the console's per-user view, mailroomctl mailbox|message).
// Read only: nothing here changes flags or MODSEQ. Lists and counts come from
// the store's MailStore; a message is made readable by the engine's
// MessageReader (admin does not parse MIME itself, DESIGN §4).
// Trust level: local admins; the messages shown came from the Internet.
#include <QJsonArray>

#include "admin/adminerror.h"
#include "admin/handlers.h"
#include "admin/json.h"
#include "admin/mailaccess.h"
#include "store/directory.h"
#include "store/mailstore.h"
#include "store/store.h"

namespace mailroom::admin::handlers
{

namespace
{
constexpr qint64 kMaxPage = 10000;
constexpr qsizetype kMaxTextChars = 256 * 1024;
constexpr qsizetype kMaxHeaderFields = 500;
constexpr qsizetype kMaxHeaderChars = 8 * 1024;

QString str(const QJsonObject &p, const char *key)
{
    return p.value(QLatin1String(key)).toString();
}

QJsonArray flagsToJson(const store::MessageMeta &m)
{
    static const struct {
        quint32 bit;
        const char *name;
    } names[] = { { store::FlagSeen, "\\Seen" }, { store::FlagAnswered, "\\Answered" },
        { store::FlagFlagged, "\\Flagged" }, { store::FlagDeleted, "\\Deleted" }, { store::FlagDraft, "\\Draft" } };
    QJsonArray out;
    for (const auto &n : names)
        if (m.flags & n.bit)
            out.append(QLatin1String(n.name));
    for (const QString &k : m.keywords)
        out.append(k);
    return out;
}

QJsonObject messageRow(const store::MessageMeta &m)
{
    return { { QStringLiteral("uid"), m.uid }, { QStringLiteral("date"), json::isoTime(m.internalDate) },
        { QStringLiteral("sent"), m.date }, { QStringLiteral("from"), m.from }, { QStringLiteral("to"), m.to },
        { QStringLiteral("subject"), m.subject }, { QStringLiteral("size"), m.size },
        { QStringLiteral("flags"), flagsToJson(m) } };
}
} // namespace

QJsonValue mailboxesList(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("mail.read"));
    const store::User u = findUser(ctx, str(params, "user"));
    store::MailStore &mail = ctx.services().store.mailStore();
    QJsonArray items;
    for (const store::MailboxEntry &m : unwrap(mail.mailboxes(u.id)))
        items.append(QJsonObject { { QStringLiteral("name"), m.name }, { QStringLiteral("specialUse"), m.specialUse },
            { QStringLiteral("messages"), m.messages }, { QStringLiteral("unseen"), m.unseen },
            { QStringLiteral("bytes"), m.bytes } });
    const store::QuotaUse q = unwrap(mail.quota(u.id));
    return QJsonObject { { QStringLiteral("user"), u.address }, { QStringLiteral("items"), items },
        { QStringLiteral("quota"),
            QJsonObject { { QStringLiteral("usedBytes"), q.usedBytes }, { QStringLiteral("limitBytes"), q.limitBytes },
                { QStringLiteral("messages"), q.messages } } } };
}

QJsonValue messagesList(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("mail.read"));
    const qint64 offset = params.value(QStringLiteral("offset")).toInteger(0);
    const qint64 limit = params.value(QStringLiteral("limit")).toInteger(100);
    if (offset < 0)
        raise(ErrorCode::InvalidArgument, QStringLiteral("offset cannot be negative."));
    if (limit < 1 || limit > kMaxPage)
        raise(ErrorCode::InvalidArgument, QStringLiteral("limit must be between 1 and %1.").arg(kMaxPage));
    const store::User u = findUser(ctx, str(params, "user"));
    const store::MailboxEntry box = findMailbox(ctx, u, str(params, "mailbox"));
    QJsonArray items;
    for (const store::MessageMeta &m : unwrap(ctx.services().store.mailStore().page(box.id, offset, limit)))
        items.append(messageRow(m));
    return QJsonObject { { QStringLiteral("total"), box.messages }, { QStringLiteral("items"), items } };
}

QJsonValue messagesGet(const RequestContext &ctx, const QJsonObject &params)
{
    ctx.require(QStringLiteral("mail.read"));
    const MessageReader *reader = ctx.services().messages;
    if (!reader)
        raise(ErrorCode::Unavailable, QStringLiteral("This engine cannot show messages; restart it."));
    const store::User u = findUser(ctx, str(params, "user"));
    const store::MailboxEntry box = findMailbox(ctx, u, str(params, "mailbox"));
    const qint64 uid = params.value(QStringLiteral("uid")).toInteger();
    store::MailStore &mail = ctx.services().store.mailStore();
    const QList<store::MessageMeta> found = unwrap(mail.messages(box.id, { uid }));
    if (found.isEmpty())
        raise(ErrorCode::NotFound,
            QStringLiteral("There is no message with UID %1 in %2 of %3; it may have been moved or deleted. "
                           "Reload the message list.")
                .arg(uid)
                .arg(box.name, u.address));
    const store::MessageMeta &m = found.first();
    const MessageView view = reader->readMessage(unwrap(mail.content(m.blobHash)), kMaxTextChars);

    QJsonArray headers;
    for (const auto &[name, value] : view.headers) {
        if (headers.size() >= kMaxHeaderFields)
            break;
        headers.append(QJsonArray { name.left(256), value.left(kMaxHeaderChars) });
    }
    QJsonArray attachments;
    for (const AttachmentView &a : view.attachments)
        attachments.append(QJsonObject { { QStringLiteral("name"), a.name }, { QStringLiteral("type"), a.type },
            { QStringLiteral("size"), a.size } });
    return QJsonObject { { QStringLiteral("uid"), m.uid }, { QStringLiteral("date"), json::isoTime(m.internalDate) },
        { QStringLiteral("size"), m.size }, { QStringLiteral("flags"), flagsToJson(m) },
        { QStringLiteral("subject"), view.subject }, { QStringLiteral("from"), view.from },
        { QStringLiteral("headers"), headers }, { QStringLiteral("text"), view.text },
        { QStringLiteral("textTruncated"), view.textTruncated }, { QStringLiteral("attachments"), attachments } };
}

} // namespace mailroom::admin::handlers
