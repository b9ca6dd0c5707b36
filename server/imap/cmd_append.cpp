// APPEND (RFC 9051 §6.3.12) with UIDPLUS's APPENDUID (RFC 4315 §3) and
// literal8 from BINARY (RFC 3516):
//   append = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal
// The size is bounded by imap.append_limit_bytes (APPENDLIMIT) in the reader.
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/session.h"
#include "store/mailstore.h"

namespace mailroom::imap::commands
{

void append(CommandContext &c)
{
    const Args &a = c.args();
    if (a.size() < 2 || a.size() > 4 || !a.last().isString())
        return c.badSyntax("APPEND needs a mailbox and a message literal");
    QString name;
    if (!c.session.decodeName(a[0], &name))
        return c.badSyntax("Invalid mailbox name");
    quint32 flags = 0;
    QStringList keywords;
    QDateTime date = QDateTime::currentDateTimeUtc();
    for (qsizetype i = 1; i + 1 < a.size(); ++i) {
        QByteArray error;
        if (a[i].isList()) {
            if (!parseFlags(a[i], false, &flags, &keywords, &error))
                return c.badSyntax(error);
        } else if (!toDateTime(a[i], &date)) {
            return c.badSyntax("Invalid date-time");
        }
    }
    const QByteArray &message = a.last().text;
    if (message.isEmpty())
        return c.no("[CANNOT] The message is empty");
    auto box = c.store().mailbox(c.session.userId(), name, store::MailStore::Counts::Without);
    if (!box)
        return c.no("[TRYCREATE] Mailbox does not exist");
    auto r = c.store().append(box->id, message, flags, keywords, date);
    if (!r)
        return c.fail(r.error(), "Cannot append the message");
    c.ok("[APPENDUID " + QByteArray::number(r->uidValidity) + ' ' + QByteArray::number(r->uid) + "] Append completed");
}

} // namespace mailroom::imap::commands
