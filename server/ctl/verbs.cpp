#include "ctl/verbs.h"

namespace mailroom::ctl
{

namespace
{
QStringList w(std::initializer_list<const char *> words)
{
    QStringList out;
    for (const char *word : words)
        out << QString::fromLatin1(word);
    return out;
}
} // namespace

const QList<Verb> &verbs()
{
    static const QList<Verb> table {
        { w({ "status" }), {}, {}, QStringLiteral("status"),
            QStringLiteral("engine version, uptime, listeners, counts"), cmdStatus },
        { w({ "domain", "add" }), w({ "description" }), {}, QStringLiteral("domain add NAME [--description TEXT]"),
            QStringLiteral("add a local domain"), cmdDomainAdd },
        { w({ "domain", "remove" }), {}, w({ "force" }), QStringLiteral("domain remove NAME [--force]"),
            QStringLiteral("remove a domain (--force: with its users and aliases)"), cmdDomainRemove },
        { w({ "domain", "list" }), w({ "filter" }), {}, QStringLiteral("domain list [--filter TEXT]"),
            QStringLiteral("list domains"), cmdDomainList },
        { w({ "user", "add" }), w({ "name", "quota" }), {},
            QStringLiteral("user add ADDRESS [--name NAME] [--quota MB]"),
            QStringLiteral("add a user; the password is read from the terminal or stdin"), cmdUserAdd },
        { w({ "user", "remove" }), {}, {}, QStringLiteral("user remove ADDRESS"),
            QStringLiteral("remove a user and its mail"), cmdUserRemove },
        { w({ "user", "list" }), w({ "domain", "filter" }), {},
            QStringLiteral("user list [--domain NAME] [--filter TEXT]"), QStringLiteral("list users"), cmdUserList },
        { w({ "user", "passwd" }), {}, {}, QStringLiteral("user passwd ADDRESS"),
            QStringLiteral("set a password, read from the terminal or stdin"), cmdUserPasswd },
        { w({ "user", "quota" }), {}, {}, QStringLiteral("user quota ADDRESS MB"),
            QStringLiteral("set a quota in MiB (0 = no limit)"), cmdUserQuota },
        { w({ "user", "enable" }), {}, {}, QStringLiteral("user enable ADDRESS"), QStringLiteral("let a user log in"),
            cmdUserEnable },
        { w({ "user", "disable" }), {}, {}, QStringLiteral("user disable ADDRESS"),
            QStringLiteral("stop a user from logging in"), cmdUserDisable },
        { w({ "alias", "add" }), {}, {}, QStringLiteral("alias add ADDRESS|@DOMAIN TARGET..."),
            QStringLiteral("add an alias, catch-all (@domain) or distribution list"), cmdAliasAdd },
        { w({ "alias", "remove" }), {}, {}, QStringLiteral("alias remove ADDRESS"), QStringLiteral("remove an alias"),
            cmdAliasRemove },
        { w({ "alias", "list" }), w({ "domain", "filter" }), {},
            QStringLiteral("alias list [--domain NAME] [--filter TEXT]"), QStringLiteral("list aliases"),
            cmdAliasList },
        { w({ "settings", "get" }), {}, {}, QStringLiteral("settings get NAME"), QStringLiteral("show one setting"),
            cmdSettingsGet },
        { w({ "settings", "set" }), {}, {}, QStringLiteral("settings set NAME VALUE"),
            QStringLiteral("change a setting (stored in the data folder)"), cmdSettingsSet },
        { w({ "settings", "reset" }), {}, {}, QStringLiteral("settings reset NAME"),
            QStringLiteral("drop an admin change"), cmdSettingsReset },
        { w({ "settings", "list" }), {}, {}, QStringLiteral("settings list"), QStringLiteral("list every setting"),
            cmdSettingsList },
        { w({ "logs" }), w({ "level", "module", "text", "limit" }), w({ "follow" }),
            QStringLiteral("logs [--follow] [--level L] [--module M] [--text T] [--limit N]"),
            QStringLiteral("show recent log events; --follow keeps printing new ones"), cmdLogs },
        { w({ "queue", "list" }), w({ "state", "filter", "limit" }), {},
            QStringLiteral("queue list [--state queued|deferred|held] [--filter TEXT] [--limit N]"),
            QStringLiteral("list the messages waiting for delivery"), cmdQueueList },
        { w({ "queue", "show" }), {}, {}, QStringLiteral("queue show ID"),
            QStringLiteral("one queued message: recipients, errors and history"), cmdQueueShow },
        { w({ "queue", "retry" }), {}, {}, QStringLiteral("queue retry ID..."),
            QStringLiteral("try messages again now"), cmdQueueRetry },
        { w({ "queue", "hold" }), {}, {}, QStringLiteral("queue hold ID..."),
            QStringLiteral("stop delivery attempts until released"), cmdQueueHold },
        { w({ "queue", "release" }), {}, {}, QStringLiteral("queue release ID..."),
            QStringLiteral("release held messages"), cmdQueueRelease },
        { w({ "queue", "delete" }), {}, {}, QStringLiteral("queue delete ID..."),
            QStringLiteral("delete messages without telling the sender"), cmdQueueDelete },
        { w({ "queue", "bounce" }), {}, {}, QStringLiteral("queue bounce ID..."),
            QStringLiteral("return messages to their senders as undeliverable"), cmdQueueBounce },
        { w({ "queue", "flush" }), {}, {}, QStringLiteral("queue flush"),
            QStringLiteral("try every waiting message again now"), cmdQueueFlush },
        { w({ "tls", "show" }), {}, {}, QStringLiteral("tls show"),
            QStringLiteral("the certificates the mail listeners present, per domain too"), cmdTlsShow },
        { w({ "tls", "replace" }), w({ "cert", "key", "pkcs12", "domain" }), {},
            QStringLiteral("tls replace [--domain D] --cert FILE --key FILE | --pkcs12 FILE"),
            QStringLiteral(
                "replace the certificate, or set a domain's (PKCS#12 passphrase from the terminal or stdin)"),
            cmdTlsReplace },
        { w({ "tls", "remove" }), {}, {}, QStringLiteral("tls remove DOMAIN"),
            QStringLiteral("remove a domain's certificate; its clients get the default one"), cmdTlsRemove },
        { w({ "mailbox", "list" }), {}, {}, QStringLiteral("mailbox list USER"),
            QStringLiteral("a user's mailboxes with message counts, sizes and quota use"), cmdMailboxList },
        { w({ "message", "list" }), w({ "offset", "limit" }), {},
            QStringLiteral("message list USER MAILBOX [--offset N] [--limit N]"),
            QStringLiteral("the messages of a mailbox, newest first"), cmdMessageList },
        { w({ "message", "show" }), {}, w({ "all-headers" }),
            QStringLiteral("message show USER MAILBOX UID [--all-headers]"),
            QStringLiteral("one message: main headers, text and attachments"), cmdMessageShow },
        { w({ "spam", "status" }), {}, {}, QStringLiteral("spam status"),
            QStringLiteral("how many messages the spam filter has learned"), cmdSpamStatus },
        { w({ "spam", "score" }), {}, {}, QStringLiteral("spam score FILE..."),
            QStringLiteral("score message files: file, score, verdict, tags and Bayes probability per line"),
            cmdSpamScore },
        { w({ "spam", "train" }), {}, w({ "spam", "ham" }), QStringLiteral("spam train --spam|--ham FILE..."),
            QStringLiteral("learn message files as spam or as ham"), cmdSpamTrain },
    };
    return table;
}

} // namespace mailroom::ctl
