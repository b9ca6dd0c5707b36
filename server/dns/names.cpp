// Query name checks and reverse names (RFC 1035 §2.3.4, §3.5; RFC 3596 §2.5).
// Trust level: input from mail peers; nothing here trusts a length.
#include "dns/names.h"

namespace mailroom::dns
{

namespace
{

constexpr qsizetype maxNameLength = 253; // presentation form without the root dot
constexpr qsizetype maxLabelLength = 63;

bool isNameChar(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'_';
}

} // namespace

std::optional<QByteArray> normalizeName(const QString &name)
{
    QStringView view(name);
    if (view.endsWith(u'.'))
        view.chop(1);
    if (view.isEmpty() || view.size() > maxNameLength)
        return std::nullopt;
    QByteArray out;
    out.reserve(view.size());
    qsizetype label = 0;
    for (const QChar qc : view) {
        const char16_t c = qc.unicode();
        if (c == u'.') {
            if (label == 0)
                return std::nullopt;
            label = 0;
        } else if (isNameChar(c)) {
            if (++label > maxLabelLength)
                return std::nullopt;
        } else {
            return std::nullopt;
        }
        out.append(static_cast<char>(c >= u'A' && c <= u'Z' ? c + (u'a' - u'A') : c));
    }
    if (label == 0)
        return std::nullopt;
    return out;
}

std::optional<QByteArray> reverseName(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4); // also accepts ::ffff:a.b.c.d
    if (isV4) {
        return QByteArray::number(v4 & 0xff) + '.' + QByteArray::number((v4 >> 8) & 0xff) + '.'
            + QByteArray::number((v4 >> 16) & 0xff) + '.' + QByteArray::number(v4 >> 24) + ".in-addr.arpa";
    }
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return std::nullopt;
    static constexpr char hex[] = "0123456789abcdef";
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    QByteArray out;
    out.reserve(64 + 9);
    for (int i = 15; i >= 0; --i) {
        out.append(hex[v6[i] & 0x0f]);
        out.append('.');
        out.append(hex[v6[i] >> 4]);
        out.append('.');
    }
    out.append("ip6.arpa");
    return out;
}

} // namespace mailroom::dns
