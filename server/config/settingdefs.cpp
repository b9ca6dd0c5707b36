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
