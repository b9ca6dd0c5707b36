// The IMAP command table (RFC 9051 §6, RFC 3501 §6 and the extensions in
// Session::capabilities()), and CommandContext::fail's mapping of store
// errors to response codes (RFC 5530). Trust level: talks to the Internet.
#include "imap/commands.h"

#include "imap/server.h"
#include "imap/session.h"
#include "store/mailstore.h"
#include "store/store.h"

namespace mailroom::imap
{

store::MailStore &CommandContext::store()
{
    return session.ctx().store.mailStore();
}

void CommandContext::fail(const Error &e, const QByteArray &what)
{
    QByteArray code;
    switch (e.code) {
    case ErrorCode::QuotaExceeded:
        code = "[OVERQUOTA] ";
        break;
    case ErrorCode::NotFound:
        code = "[NONEXISTENT] ";
        break;
    case ErrorCode::AlreadyExists:
        code = "[ALREADYEXISTS] ";
        break;
    case ErrorCode::InvalidArgument:
    case ErrorCode::Conflict:
        code = "[CANNOT] ";
        break;
    case ErrorCode::TooLarge:
        code = "[TOOBIG] ";
        break;
    case ErrorCode::IoError:
    case ErrorCode::DatabaseError:
    case ErrorCode::Unavailable:
        code = "[UNAVAILABLE] ";
        break;
    default:
        code = "[SERVERBUG] ";
        break;
    }
    session.logFailure(cmd.name, e.message);
    completion = "NO " + code + what;
}

namespace commands
{

namespace
{
// Sorted by nothing in particular; looked up by exact (upper-case) name.
const Spec kTable[] = {
    { "CAPABILITY", capability, Any | Inline },
    { "NOOP", noop, Any },
    { "LOGOUT", logout, Any | Inline },
    { "ID", id, Any | Inline },
    { "STARTTLS", starttls, NotAuthenticated | Inline },
    { "LOGIN", login, NotAuthenticated | Inline },
    { "AUTHENTICATE", authenticate, NotAuthenticated | Inline },
    { "ENABLE", enable, AuthOrSelected | Inline },
    { "COMPRESS", compress, AuthOrSelected | Inline },
    { "SELECT", select, AuthOrSelected },
    { "EXAMINE", select, AuthOrSelected },
    { "CREATE", create, AuthOrSelected },
    { "DELETE", deleteMailbox, AuthOrSelected },
    { "RENAME", rename, AuthOrSelected },
    { "SUBSCRIBE", subscribe, AuthOrSelected },
    { "UNSUBSCRIBE", subscribe, AuthOrSelected },
    { "LIST", list, AuthOrSelected },
    { "LSUB", list, AuthOrSelected },
    { "NAMESPACE", namespaces, AuthOrSelected | Inline },
    { "STATUS", status, AuthOrSelected },
    { "APPEND", append, AuthOrSelected },
    { "IDLE", idle, AuthOrSelected | Inline },
    { "GETQUOTA", getQuota, AuthOrSelected },
    { "GETQUOTAROOT", getQuota, AuthOrSelected },
    { "SETQUOTA", getQuota, AuthOrSelected },
    { "CHECK", check, Selected },
    { "CLOSE", close, Selected },
    { "UNSELECT", close, Selected },
    { "EXPUNGE", expunge, Selected | BreaksSeqs },
    { "UID EXPUNGE", expunge, Selected | BreaksSeqs },
    { "SEARCH", search, Selected | NoExpunge },
    { "UID SEARCH", search, Selected },
    { "FETCH", fetch, Selected | NoExpunge },
    { "UID FETCH", fetch, Selected },
    { "STORE", store, Selected | NoExpunge },
    { "UID STORE", store, Selected },
    { "COPY", copy, Selected },
    { "UID COPY", copy, Selected },
    { "MOVE", copy, Selected | BreaksSeqs },
    { "UID MOVE", copy, Selected | BreaksSeqs },
    { "SORT", sort, Selected | NoExpunge },
    { "UID SORT", sort, Selected },
    { "THREAD", thread, Selected | NoExpunge },
    { "UID THREAD", thread, Selected },
};
} // namespace

const Spec *find(const QByteArray &name)
{
    for (const Spec &s : kTable) {
        if (name == s.name)
            return &s;
    }
    return nullptr;
}

} // namespace commands
} // namespace mailroom::imap
