#include "store/address.h"

#include <QUrl>

namespace mailroom::store
{

namespace
{
constexpr int kMaxLocal = 64;
constexpr int kMaxDomain = 253;

bool isAtext(QChar c)
{
    if (c.unicode() >= 0x80)
        return c.isLetterOrNumber() || c.isMark();
    if (c.isLetterOrNumber())
        return true;
    static const QString specials = QStringLiteral("!#$%&'*+-/=?^_`{|}~");
    return specials.contains(c);
}

Error badDomain(const QString &name, const QString &why)
{
    return Error(
        ErrorCode::InvalidArgument, QStringLiteral("\"%1\" is not a valid domain name: %2.").arg(name.left(300), why));
}
} // namespace

Result<QString> normalizeDomain(const QString &input)
{
    QString name = input.trimmed().toLower();
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    if (name.isEmpty())
        return badDomain(input, QStringLiteral("it is empty"));
    const QByteArray ace = QUrl::toAce(name, QUrl::AceTransitionalProcessing);
    if (ace.isEmpty())
        return badDomain(input, QStringLiteral("it has characters a domain name cannot have"));
    if (ace.size() > kMaxDomain)
        return badDomain(input, QStringLiteral("it is longer than %1 characters").arg(kMaxDomain));
    const QList<QByteArray> labels = ace.split('.');
    if (labels.size() < 2)
        return badDomain(input, QStringLiteral("it needs at least two labels, like example.com"));
    for (const QByteArray &label : labels) {
        if (label.isEmpty() || label.size() > 63)
            return badDomain(input, QStringLiteral("each label must have 1 to 63 characters"));
        if (label.startsWith('-') || label.endsWith('-'))
            return badDomain(input, QStringLiteral("a label cannot start or end with a hyphen"));
        for (char c : label)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-'))
                return badDomain(input, QStringLiteral("only letters, digits and hyphens are allowed"));
    }
    bool numeric = true;
    for (char c : labels.last())
        numeric = numeric && std::isdigit(static_cast<unsigned char>(c));
    if (numeric)
        return badDomain(input, QStringLiteral("the last label cannot be a number (use a name, not an IP address)"));
    return QString::fromLatin1(ace);
}

Result<Address> parseAddress(const QString &input, bool allowCatchAll)
{
    const QString text = input.trimmed();
    auto bad = [&](const QString &why) {
        return Error(
            ErrorCode::InvalidArgument, QStringLiteral("\"%1\" is not a valid address: %2.").arg(text.left(300), why));
    };
    const qsizetype at = text.lastIndexOf(QLatin1Char('@'));
    if (at < 0)
        return bad(QStringLiteral("it needs the form name@domain"));
    const QString local = text.left(at).toLower();
    auto domain = normalizeDomain(text.mid(at + 1));
    if (!domain)
        return bad(domain.error().message.section(QStringLiteral(": "), 1).chopped(1));
    if (local.isEmpty()) {
        if (allowCatchAll)
            return Address { QString(), *domain };
        return bad(QStringLiteral("the part before @ is empty"));
    }
    if (local.toUtf8().size() > kMaxLocal)
        return bad(QStringLiteral("the part before @ is longer than %1 characters").arg(kMaxLocal));
    if (local.startsWith(QLatin1Char('.')) || local.endsWith(QLatin1Char('.')) || local.contains(QStringLiteral("..")))
        return bad(QStringLiteral("dots cannot start, end or double up in the part before @"));
    for (QChar c : local)
        if (c != QLatin1Char('.') && !isAtext(c))
            return bad(QStringLiteral("the part before @ cannot contain \"%1\"").arg(c));
    return Address { local, *domain };
}

} // namespace mailroom::store
