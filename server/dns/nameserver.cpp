// Parses the nameserver setting (see nameserver.h).
// Trust level: local admin input; every error names the bad entry.
#include "dns/nameserver.h"

namespace mailroom::dns
{

namespace
{

constexpr qsizetype maxNameservers = 16;

Error badEntry(QStringView entry, const char *why)
{
    return Error(ErrorCode::InvalidArgument,
        QStringLiteral("DNS nameserver \"%1\" is not valid (%2); use an address such as 127.0.0.1:5353 or "
                       "[::1]:5353.")
            .arg(entry.toString(), QLatin1String(why)));
}

Result<Nameserver> parseOne(QStringView entry)
{
    QStringView host = entry;
    QStringView portText;
    if (entry.startsWith(u'[')) {
        const qsizetype close = entry.indexOf(u']');
        if (close < 0)
            return badEntry(entry, "missing ']'");
        host = entry.mid(1, close - 1);
        const QStringView rest = entry.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return badEntry(entry, "text after ']'");
            portText = rest.mid(1);
            if (portText.isEmpty())
                return badEntry(entry, "empty port");
        }
    } else if (entry.count(u':') == 1) {
        const qsizetype colon = entry.indexOf(u':');
        host = entry.left(colon);
        portText = entry.mid(colon + 1);
        if (portText.isEmpty())
            return badEntry(entry, "empty port");
    }
    Nameserver ns;
    if (host.contains(u'%') || !ns.address.setAddress(host.toString()))
        return badEntry(entry, "not an IP address");
    if (!portText.isEmpty()) {
        bool ok = false;
        const uint port = portText.toUInt(&ok);
        if (!ok || port == 0 || port > 65535)
            return badEntry(entry, "port out of range 1-65535");
        ns.port = static_cast<quint16>(port);
    }
    return ns;
}

} // namespace

Result<QList<Nameserver>> parseNameservers(const QString &text)
{
    QList<Nameserver> out;
    const auto entries = QStringView(text).split(u',');
    if (entries.size() > maxNameservers)
        return Error(
            ErrorCode::InvalidArgument, QStringLiteral("Too many DNS nameservers (at most %1).").arg(maxNameservers));
    for (const QStringView raw : entries) {
        const QStringView entry = raw.trimmed();
        if (entry.isEmpty())
            return badEntry(entry, "empty entry");
        auto ns = parseOne(entry);
        if (!ns)
            return ns.error();
        out.append(*ns);
    }
    return out;
}

} // namespace mailroom::dns
