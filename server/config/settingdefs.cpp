#include "config/settingdefs.h"

namespace mailroom::config
{

namespace
{
SettingDef intSetting(
    const char *name, qint64 def, qint64 min, qint64 max, const char *unit, const char *doc, bool restart = false)
{
    return { QString::fromLatin1(name), SettingType::Int, QVariant(def), min, max, {}, QString::fromLatin1(unit),
        QString::fromUtf8(doc), restart };
}
SettingDef stringSetting(const char *name, const char *def, const char *doc, bool restart = false)
{
    return { QString::fromLatin1(name), SettingType::String, QVariant(QString::fromUtf8(def)), 0, 0, {}, {},
        QString::fromUtf8(doc), restart };
}
SettingDef boolSetting(const char *name, bool def, const char *doc, bool restart = false)
{
    return { QString::fromLatin1(name), SettingType::Bool, QVariant(def), 0, 0, {}, {}, QString::fromUtf8(doc),
        restart };
}
SettingDef choiceSetting(const char *name, const char *def, QStringList choices, const char *doc, bool restart = false)
{
    return { QString::fromLatin1(name), SettingType::Choice, QVariant(QString::fromLatin1(def)), 0, 0,
        std::move(choices), {}, QString::fromUtf8(doc), restart };
}

QList<SettingDef> buildRegistry()
{
    using L = QStringList;
    return {
        // listeners
        stringSetting("listen.address", "0.0.0.0",
            "Address the mail listeners bind to; 0.0.0.0 for every IPv4 address, :: for IPv6 too.", true),
        intSetting("smtp.port", 25, 0, 65535, "port", "Inbound SMTP (MTA) port; 0 turns the listener off.", true),
        intSetting("submission.port", 587, 0, 65535, "port",
            "SMTP submission port for mail clients (AUTH required, STARTTLS); 0 turns it off.", true),
        intSetting("smtps.port", 465, 0, 65535, "port", "SMTP submission with implicit TLS; 0 turns it off.", true),
        intSetting("imap.port", 143, 0, 65535, "port", "IMAP port (STARTTLS); 0 turns it off.", true),
        intSetting("imaps.port", 993, 0, 65535, "port", "IMAP with implicit TLS; 0 turns it off.", true),
        intSetting("pop3.port", 110, 0, 65535, "port", "POP3 port (STLS); 0 turns it off.", true),
        intSetting("pop3s.port", 995, 0, 65535, "port", "POP3 with implicit TLS; 0 turns it off.", true),
        stringSetting("server.hostname", "",
            "Name the engine gives itself in greetings and headers; empty means the machine's host name."),
        intSetting("server.io_threads", 0, 0, 64, "threads",
            "Threads that run protocol sessions; 0 means one per CPU core.", true),
        // DNS
        stringSetting("dns.nameserver", "",
            "DNS server as address or address:port (e.g. 127.0.0.1:5353); empty uses the system's "
            "resolver configuration."),
        intSetting("dns.timeout_ms", 5000, 100, 60000, "milliseconds", "How long one DNS query may take.", false),
        // DKIM
        intSetting("dkim.retired_keep_days", 30, 0, 3650, "days",
            "A DKIM key replaced by a newer one is deleted this many days later (mail signed with it may still be "
            "checked meanwhile); then remove its TXT record from DNS. 0 keeps retired keys until an admin deletes "
            "them."),
        // TLS
        choiceSetting("tls.min_version", "1.2", L { QStringLiteral("1.2"), QStringLiteral("1.3") },
            "Oldest TLS version the listeners and outbound delivery accept."),
        // SMTP server
        intSetting("smtp.line_limit_bytes", 4096, 512, 65536, "bytes",
            "Longest SMTP command line (with CRLF); a longer one is refused with 500 5.5.2."),
        intSetting("smtp.message_size_limit", 25 * 1024 * 1024, 1024, 1024LL * 1024 * 1024, "bytes",
            "Largest message accepted (advertised as SIZE); a larger one gets 552 5.3.4."),
        intSetting("smtp.max_recipients", 1000, 1, 100000, "recipients",
            "Recipients one message may have; further RCPT commands get 452 4.5.3."),
        intSetting("smtp.max_errors", 10, 1, 1000, "errors",
            "Refused commands in one session before the engine says 421 and hangs up."),
        intSetting("smtp.max_junk_commands", 100, 1, 100000, "commands",
            "NOOP, RSET, VRFY, HELP and HELO/EHLO commands one session may send before it is closed."),
        intSetting("smtp.command_timeout_secs", 300, 5, 3600, "seconds",
            "How long the engine waits for the next command line before it says 421 and hangs up."),
        intSetting("smtp.data_timeout_secs", 600, 5, 3600, "seconds",
            "How long the engine waits for more message data before it gives up on the message."),
        intSetting("smtp.max_connections", 500, 1, 100000, "connections",
            "SMTP connections (all three SMTP listeners) the engine serves at once; more get 421 4.7.0."),
        intSetting("smtp.max_connections_per_ip", 20, 1, 10000, "connections",
            "SMTP connections one client address may hold at once; more get 421 4.7.0."),
        stringSetting("smtp.trusted_networks", "",
            "Client networks allowed to relay without logging in, as CIDR blocks separated by commas "
            "(e.g. 192.168.1.0/24, ::1/128); empty trusts none."),
        boolSetting("smtp.sender_login_check", true,
            "A logged-in sender may only use its own address and the aliases that deliver to it as MAIL FROM."),
        // POP3 server (RFC 1939, RFC 2449)
        intSetting("imap.line_limit_bytes", 65536, 1024, 1048576, "bytes",
            "Longest IMAP command line, literals not counted (RFC 7162 asks for at least 8192)."),
        intSetting("imap.append_limit_bytes", 50 * 1024 * 1024, 1024, 1024LL * 1024 * 1024, "bytes",
            "Largest message a mail client may APPEND (advertised as APPENDLIMIT)."),
        intSetting("imap.max_errors", 20, 1, 1000, "errors",
            "Invalid IMAP commands (BAD answers) before the connection is closed."),
        intSetting("imap.idle_timeout_secs", 1800, 60, 86400, "seconds",
            "An authenticated IMAP connection that sends nothing for this long is closed (RFC 9051: at least 30 "
            "minutes)."),
        intSetting("imap.login_timeout_secs", 60, 5, 3600, "seconds",
            "An IMAP connection that has not logged in within this time is closed."),
        intSetting("imap.max_connections", 2000, 1, 100000, "connections",
            "IMAP connections at once, over both ports; more are refused with BYE."),
        intSetting("imap.max_connections_per_ip", 50, 1, 10000, "connections",
            "IMAP connections from one client address at once (a phone and a desktop client use several each)."),
        intSetting("imap.workers", 4, 1, 64, "threads", "Threads that run IMAP commands against the mail store.", true),
        intSetting("pop3.line_limit_bytes", 1024, 255, 65536, "bytes",
            "Longest POP3 command line (with CRLF; RFC 2449 asks for at least 255); a longer one gets -ERR."),
        intSetting("pop3.command_timeout_secs", 600, 10, 3600, "seconds",
            "How long the engine waits for the next POP3 command before it hangs up (RFC 1939 asks for at "
            "least 600)."),
        intSetting("pop3.max_errors", 10, 1, 1000, "errors",
            "Refused POP3 commands in one session before the engine says -ERR and hangs up."),
        intSetting("pop3.max_connections", 500, 1, 100000, "connections",
            "POP3 connections (both POP3 listeners) the engine serves at once; more get -ERR [SYS/TEMP]."),
        intSetting("pop3.max_connections_per_ip", 20, 1, 10000, "connections",
            "POP3 connections one client address may hold at once; more get -ERR [SYS/TEMP]."),
        boolSetting("auth.allow_plaintext", false,
            "Allow AUTH, LOGIN and USER/PASS over connections without TLS (only for testing on a trusted network)."),
        intSetting("auth.failure_delay_ms", 1000, 0, 60000, "milliseconds",
            "Pause before answering a failed login; it doubles with each further failure from the same address."),
        intSetting("auth.max_failures_per_ip", 10, 1, 10000, "failures",
            "Failed logins from one client address within auth.failure_window_secs before it is refused (4xx)."),
        intSetting("auth.max_failures_per_user", 20, 1, 10000, "failures",
            "Failed logins for one user within auth.failure_window_secs before logins for it are refused (4xx)."),
        intSetting("auth.failure_window_secs", 900, 10, 86400, "seconds",
            "Window over which failed logins are counted for the per-address and per-user limits."),
        // queue and delivery
        intSetting("queue.retry_first_secs", 300, 1, 86400, "seconds",
            "Wait before the first retry of a deferred recipient; each later wait doubles."),
        intSetting("queue.retry_max_secs", 4 * 3600, 1, 7 * 86400, "seconds", "Longest wait between two retries."),
        intSetting("queue.max_age_secs", 5 * 86400, 60, 60 * 86400, "seconds",
            "A recipient still undelivered after this long is bounced to the sender."),
        intSetting("queue.delay_warning_secs", 4 * 3600, 0, 60 * 86400, "seconds",
            "Send the sender one delay notice when a recipient is still queued after this long; 0 sends none."),
        intSetting("queue.max_active", 100, 1, 10000, "deliveries",
            "Deliveries the queue runs at once (local and remote together)."),
        intSetting("delivery.max_connections_per_domain", 5, 1, 1000, "connections",
            "Outbound SMTP connections to one destination domain at once."),
        intSetting(
            "delivery.connect_timeout_secs", 30, 1, 600, "seconds", "How long connecting to a remote server may take."),
        intSetting("delivery.command_timeout_secs", 300, 5, 3600, "seconds",
            "How long outbound delivery waits for a remote server's reply to one command."),
        intSetting("delivery.port", 25, 1, 65535, "port",
            "Port of remote mail servers found by MX; change it only for tests, the Internet uses 25."),
        stringSetting("relay.host", "",
            "Smarthost that receives all outbound mail, as host or host:port; empty delivers directly by MX."),
        choiceSetting("relay.tls", "starttls",
            L { QStringLiteral("none"), QStringLiteral("starttls"), QStringLiteral("implicit") },
            "TLS towards the smarthost: none, starttls (required) or implicit (TLS from the first byte)."),
        stringSetting("relay.username", "", "User name for AUTH at the smarthost; empty sends no AUTH."),
        stringSetting("relay.password", "", "Password for AUTH at the smarthost (stored in the data folder)."),
        // spam filter (DESIGN §6)
        boolSetting("spam.enabled", true,
            "Check mail from other servers for spam (port 25). Mail from logged-in users is never checked."),
        intSetting("spam.junk_score", 5, -100, 1000, "points",
            "Mail scoring at least this much is filed into the recipient's Junk folder and marked X-Spam-Status: "
            "Yes."),
        boolSetting("spam.bayes_per_user", false,
            "Each user gets a Bayes filter of their own, trained by their moves into and out of Junk (and by "
            "spam.train for that user); mail for that user alone is scored by it once it has learned enough, "
            "other mail by the global one, which keeps learning from everyone."),
        intSetting("spam.quarantine_score", 0, 0, 1000, "points",
            "Mail scoring at least this much (and below spam.reject_score) waits in the quarantine, where an admin "
            "releases or deletes it, instead of going to Junk; 0 never quarantines."),
        intSetting("spam.quarantine_days", 30, 1, 3650, "days",
            "Quarantined mail nobody released is deleted after this many days, without a bounce."),
        intSetting("spam.reject_score", 0, 0, 1000, "points",
            "Mail scoring at least this much is refused at SMTP time (554), so the sender learns of it; 0 never "
            "refuses."),
        stringSetting("spam.dnsbl_zones", "",
            "DNS block lists to ask about the sending server's address, separated by commas (e.g. "
            "zen.spamhaus.org); a listing adds the tag DNSBL_LISTED. Empty asks none."),
        boolSetting("spam.greylist", false,
            "Greylisting (RFC 6647): the first message from an unknown network, sender and recipient is answered "
            "451 4.7.1, and passes when the sending server tries again after spam.greylist_delay_secs."),
        intSetting("spam.greylist_delay_secs", 300, 0, 86400, "seconds",
            "How long a new sender must wait before its retry passes greylisting."),
        intSetting("spam.greylist_allow_days", 30, 1, 365, "days",
            "A network (IPv4 /24, IPv6 /64) whose retry passed is let through without waiting for this long after "
            "its last message."),
        stringSetting("spam.uribl_zones", "",
            "DNS block lists to ask about the domains of the links in a message, separated by commas (e.g. "
            "multi.surbl.org); a listing adds the tag URIBL_LISTED. Empty asks none."),
        // admin socket
        stringSetting("admin.socket", "",
            "Path of the local admin socket; empty means run/admin.sock inside the data folder.", true),
        stringSetting("admin.group", "",
            "System group whose members may use the admin socket besides the engine's own user and root.", true),
        intSetting("admin.max_connections_per_uid", 16, 1, 1024, "connections",
            "Admin socket connections one local user may hold at once."),
        intSetting("admin.max_frame_bytes", 16 * 1024 * 1024, 4096, 256 * 1024 * 1024, "bytes",
            "Largest admin protocol frame the engine accepts; larger frames close the connection."),
        intSetting("admin.max_connections", 64, 1, 4096, "connections", "Admin socket connections in total."),
        // users
        intSetting("users.default_quota_mb", 1024, 0, 1024 * 1024, "MiB",
            "Mailbox quota given to new users; 0 means no limit."),
        intSetting("auth.scrypt_log2n", 15, 10, 20, "log2(N)",
            "scrypt cost for new password hashes; each step doubles time and memory (15 = 32 MiB)."),
        intSetting("auth.min_password_length", 10, 1, 128, "characters", "Shortest password the engine accepts."),
        // logging
        choiceSetting("log.level", "info",
            L { QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warning"), QStringLiteral("error") },
            "Lowest severity written to logs.db and the text log."),
        intSetting("log.retention_days", 30, 1, 3650, "days", "Events older than this are removed from logs.db."),
        intSetting("log.db_max_mb", 256, 1, 1024 * 1024, "MiB",
            "Largest size of logs.db; the oldest events are removed above it."),
        intSetting("log.file_max_mb", 50, 1, 10240, "MiB", "Size at which the text log mailroomd.log is rotated."),
        intSetting("log.file_keep", 5, 1, 100, "files", "Rotated text logs kept (mailroomd.log.1 … .N)."),
        boolSetting("log.stderr", true, "Also write log lines to standard error (useful in the foreground).", true),
    };
}
} // namespace

const QList<SettingDef> &allSettings()
{
    static const QList<SettingDef> registry = buildRegistry();
    return registry;
}

const SettingDef *findSetting(const QString &name)
{
    for (const auto &def : allSettings())
        if (def.name == name)
            return &def;
    return nullptr;
}

const char *settingTypeName(SettingType t)
{
    switch (t) {
    case SettingType::Bool:
        return "bool";
    case SettingType::Int:
        return "int";
    case SettingType::String:
        return "string";
    case SettingType::Choice:
        return "choice";
    }
    return "string";
}

QVariant parseSettingValue(const SettingDef &def, const QString &text, QString *error)
{
    const QString t = text.trimmed();
    switch (def.type) {
    case SettingType::Bool: {
        const QString l = t.toLower();
        if (l == u"true" || l == u"yes" || l == u"on" || l == u"1")
            return true;
        if (l == u"false" || l == u"no" || l == u"off" || l == u"0")
            return false;
        *error = QStringLiteral("%1 takes true or false, not \"%2\".").arg(def.name, t);
        return {};
    }
    case SettingType::Int: {
        bool ok = false;
        const qint64 v = t.toLongLong(&ok);
        if (!ok) {
            *error = QStringLiteral("%1 takes a whole number, not \"%2\".").arg(def.name, t);
            return {};
        }
        if (v < def.min || v > def.max) {
            *error = QStringLiteral("%1 must be between %2 and %3; %4 is outside that range.")
                         .arg(def.name)
                         .arg(def.min)
                         .arg(def.max)
                         .arg(v);
            return {};
        }
        return v;
    }
    case SettingType::Choice:
        if (!def.choices.contains(t)) {
            *error = QStringLiteral("%1 takes one of %2, not \"%3\".").arg(def.name, def.choices.join(u", "), t);
            return {};
        }
        return t;
    case SettingType::String:
        if (t.size() > 4096 || t.contains(QLatin1Char('\n'))) {
            *error = QStringLiteral("%1 takes one line of at most 4096 characters.").arg(def.name);
            return {};
        }
        return t;
    }
    return {};
}

QString settingsMarkdown()
{
    QString out = QStringLiteral(
        "# Mailroom settings\n\n"
        "Generated from `server/config/settingdefs.cpp` by `mailroomd --print-settings`; do not edit by hand.\n"
        "A test fails when this file and the registry differ.\n\n"
        "Each setting can be given in the configuration file (`--config FILE`, one `name = value` per line), on "
        "the command line (`--set name=value`, for that run only), or changed at run time through the admin "
        "socket (`mailroomctl settings set name value`, stored in the data folder). Precedence, lowest first: "
        "default, configuration file, admin change, command line.\n\n"
        "| setting | type | default | allowed | restart | description |\n"
        "|---|---|---|---|---|---|\n");
    for (const auto &def : allSettings()) {
        QString allowed;
        if (def.type == SettingType::Int)
            allowed = QStringLiteral("%1 … %2").arg(def.min).arg(def.max)
                + (def.unit.isEmpty() ? QString() : u' ' + def.unit);
        else if (def.type == SettingType::Choice)
            allowed = def.choices.join(QStringLiteral(", "));
        else if (def.type == SettingType::Bool)
            allowed = QStringLiteral("true, false");
        else
            allowed = QStringLiteral("text");
        QString defText = def.defaultValue.toString();
        if (def.type == SettingType::Bool)
            defText = def.defaultValue.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        out += QStringLiteral("| `%1` | %2 | `%3` | %4 | %5 | %6 |\n")
                   .arg(def.name, QLatin1String(settingTypeName(def.type)), defText, allowed,
                       def.restartRequired ? QStringLiteral("yes") : QStringLiteral("no"), def.doc);
    }
    return out;
}

} // namespace mailroom::config
