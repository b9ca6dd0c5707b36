// The IMAP command table (STYLE rule 1, Dovecot imap-commands.c): each
// command with the function that runs it and the flags that carry its state
// rules. One function per command, each in its own cmd_*.cpp. Commands run
// on the store worker pool unless marked Inline (I/O thread, no store).
// Trust level: talks to the Internet.
#pragma once

#include <memory>

#include <QByteArray>

#include "base/result.h"
#include "imap/parser/parser.h"

namespace mailroom::store
{
class MailStore;
}

namespace mailroom::imap
{

class Session;

// What a running command writes: untagged lines, then (after the selected
// mailbox's updates) its tagged completion.
class CommandContext
{
public:
    CommandContext(Session &s, Command c)
        : session(s)
        , cmd(std::move(c))
    {
    }
    Session &session;
    Command cmd;
    QByteArray out; // untagged responses so far
    QByteArray completion; // "OK ...", "NO ...", "BAD ..." (without the tag)
    bool more = false; // FETCH: call again after the output has drained
    qint64 cursor = 0; // where a command that runs in parts goes on
    std::shared_ptr<void> state; // its own state between parts
    bool allowExpunge = true; // may the selected mailbox report expunges after this
    bool bad = false;

    const Args &args() const
    {
        return cmd.args;
    }
    const QByteArray &tag() const
    {
        return cmd.tag;
    }
    bool uidMode() const
    {
        return cmd.name.startsWith("UID ");
    }
    store::MailStore &store();

    void untagged(const QByteArray &line)
    {
        out += "* " + line + "\r\n";
    }
    void ok(const QByteArray &text)
    {
        completion = "OK " + text;
    }
    void no(const QByteArray &text)
    {
        completion = "NO " + text;
    }
    void badSyntax(const QByteArray &text)
    {
        completion = "BAD " + text;
        bad = true;
    }
    // NO with the response code that fits the error (RFC 5530): OVERQUOTA,
    // NONEXISTENT, ALREADYEXISTS, CANNOT, SERVERBUG (details go to the log).
    void fail(const Error &e, const QByteArray &what);
};

namespace commands
{

enum Flag : unsigned {
    NotAuthenticated = 1, // allowed before login
    Authenticated = 2, // allowed after login
    Selected = 4, // needs a selected mailbox
    Any = NotAuthenticated | Authenticated | Selected,
    AuthOrSelected = Authenticated | Selected,
    Inline = 8, // runs on the I/O thread; touches no store
    NoExpunge = 16, // RFC 9051 §7.5.1: no EXPUNGE after FETCH, STORE, SEARCH by sequence number
    BreaksSeqs = 32, // EXPUNGE, MOVE: sequence numbers change
};

using Handler = void (*)(CommandContext &);

struct Spec {
    const char *name;
    Handler handler;
    unsigned flags;
};

// nullptr for an unknown command.
const Spec *find(const QByteArray &name);

void capability(CommandContext &);
void noop(CommandContext &);
void logout(CommandContext &);
void id(CommandContext &);
void starttls(CommandContext &);
void login(CommandContext &);
void authenticate(CommandContext &);
void enable(CommandContext &);
void select(CommandContext &); // SELECT and EXAMINE
void create(CommandContext &);
void deleteMailbox(CommandContext &);
void rename(CommandContext &);
void subscribe(CommandContext &); // SUBSCRIBE and UNSUBSCRIBE
void list(CommandContext &); // LIST and LSUB
void namespaces(CommandContext &);
void status(CommandContext &);
void append(CommandContext &);
void idle(CommandContext &);
void getQuota(CommandContext &); // GETQUOTA, GETQUOTAROOT, SETQUOTA
void check(CommandContext &);
void close(CommandContext &); // CLOSE and UNSELECT
void expunge(CommandContext &); // EXPUNGE and UID EXPUNGE
void search(CommandContext &); // SEARCH and UID SEARCH
void fetch(CommandContext &);
void store(CommandContext &);
void copy(CommandContext &); // COPY and MOVE, with UID
void sort(CommandContext &);
void thread(CommandContext &);
void compress(CommandContext &);

} // namespace commands
} // namespace mailroom::imap

namespace mailroom::store
{
struct MailboxEntry;
}

namespace mailroom::imap
{
// "(MESSAGES 3 UIDNEXT 9)" for STATUS and LIST-STATUS; false (with *error)
// for an unknown item. Reading CONDSTORE's HIGHESTMODSEQ enables CONDSTORE.
bool statusItems(Session &s, const store::MailboxEntry &box, const Args &items, QByteArray *out, QByteArray *error);
} // namespace mailroom::imap

namespace mailroom::imap
{
// flag-list = "(" [flag *(SP flag)] ")"; also a single flag without the
// parentheses (STORE allows it). \Recent and \* are refused; keywords must
// be atoms of at most 100 bytes.
bool parseFlags(const Arg &arg, bool allowBare, quint32 *flags, QStringList *keywords, QByteArray *error);
} // namespace mailroom::imap
