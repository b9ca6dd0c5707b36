#include "spam/senderlists.h"

#include <QUrl>

#include "mailauth/dmarc.h"

namespace mailroom::spam
{

namespace
{
QString domainOf(const QString &address)
{
    const qsizetype at = address.lastIndexOf(u'@');
    return at < 0 ? QString() : address.mid(at + 1);
}

// "a.example.com" is under "example.com" and under itself.
bool underDomain(const QString &domain, const QString &parent)
{
    return !domain.isEmpty()
        && (domain == parent
            || (domain.size() > parent.size() && domain.endsWith(parent)
                && domain.at(domain.size() - parent.size() - 1) == u'.'));
}

bool verified(const QString &domain, const SenderFacts &f)
{
    const QString org = mailauth::organizationalDomain(domain);
    return !org.isEmpty() && f.verifiedDomains.contains(org);
}

int scopeRank(const QString &scope)
{
    if (scope.startsWith(u"user:"))
        return 3;
    if (scope.startsWith(u"domain:"))
        return 2;
    return 1;
}
} // namespace

Result<QString> normalizeListPattern(const QString &input)
{
    QString p = input.trimmed().toLower();
    auto bad = [&input] {
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("\"%1\" is not an address, domain or network. Write user@example.com, example.com, "
                           "192.0.2.7 or 192.0.2.0/24.")
                .arg(input.left(100)));
    };
    if (p.isEmpty() || p.size() > 320)
        return bad();
    // A network or an address.
    if (const auto net = QHostAddress::parseSubnet(p); !net.first.isNull() && p.contains(u'/')) {
        return QString(net.first.toString() + u'/' + QString::number(net.second));
    }
    if (QHostAddress a(p); !a.isNull())
        return a.toString();
    if (p.startsWith(u"*."))
        p = p.mid(2);
    else if (p.startsWith(u'@'))
        p = p.mid(1);
    const qsizetype at = p.lastIndexOf(u'@');
    QString local, domain = p;
    if (at >= 0) {
        local = p.left(at);
        domain = p.mid(at + 1);
        if (local.isEmpty() || local.contains(QLatin1Char(' ')))
            return bad();
    }
    // IDN domains are kept in their ASCII form, as the DNS and the
    // envelope's checks see them.
    const QString ace = QString::fromLatin1(QUrl::toAce(domain));
    if (ace.isEmpty() || !ace.contains(u'.') || ace.startsWith(u'.') || ace.endsWith(u'.') || ace.contains(u".."))
        return bad();
    for (QChar c : ace)
        if (!(c.isLetterOrNumber() || c == u'-' || c == u'.'))
            return bad();
    return at >= 0 ? local + u'@' + ace : ace;
}

SenderLists::SenderLists(const QList<store::SpamListEntry> &entries)
{
    for (const store::SpamListEntry &s : entries) {
        Entry e;
        e.id = s.id;
        e.scope = s.scope;
        e.allow = s.kind == u"allow";
        e.pattern = s.pattern;
        if (s.pattern.contains(u'/') || !QHostAddress(s.pattern).isNull()) {
            e.kind = Entry::Kind::Network;
            if (s.pattern.contains(u'/')) {
                const auto net = QHostAddress::parseSubnet(s.pattern);
                e.network = net.first;
                e.prefix = net.second;
            } else {
                e.network = QHostAddress(s.pattern);
                e.prefix = e.network.protocol() == QAbstractSocket::IPv6Protocol ? 128 : 32;
            }
            if (e.network.isNull())
                continue;
        } else if (s.pattern.contains(u'@')) {
            e.kind = Entry::Kind::Address;
            e.text = s.pattern.toLower();
        } else {
            e.kind = Entry::Kind::Domain;
            e.text = s.pattern.toLower();
        }
        m_entries.append(e);
    }
}

std::optional<ListDecision> SenderLists::decide(
    const QString &recipient, const SenderFacts &f, QList<ListDecision> *unverified) const
{
    const QString rcpt = recipient.toLower();
    const QString userScope = QStringLiteral("user:") + rcpt;
    const QString domainScope = QStringLiteral("domain:") + domainOf(rcpt);
    const QString senderDomain = domainOf(f.envelopeSender), fromDomain = domainOf(f.fromAddress);
    const Entry *best = nullptr;
    int bestRank = 0; // scope * 1000 + specificity
    for (const Entry &e : m_entries) {
        if (e.scope != u"global" && e.scope != userScope && e.scope != domainScope)
            continue;
        int specificity = 0;
        QString matchedDomain; // to verify for an allow entry
        switch (e.kind) {
        case Entry::Kind::Address:
            if (e.text == f.envelopeSender)
                matchedDomain = senderDomain;
            else if (e.text == f.fromAddress)
                matchedDomain = fromDomain;
            else
                continue;
            specificity = 500;
            break;
        case Entry::Kind::Domain:
            if (underDomain(senderDomain, e.text))
                matchedDomain = senderDomain;
            else if (underDomain(fromDomain, e.text))
                matchedDomain = fromDomain;
            else
                continue;
            specificity = 100 + int(e.text.count(u'.'));
            break;
        case Entry::Kind::Network:
            if (f.client.isNull() || !f.client.isInSubnet(e.network, e.prefix))
                continue;
            specificity = e.prefix / 2; // 0..64
            break;
        }
        if (e.allow && e.kind != Entry::Kind::Network && !verified(matchedDomain, f)) {
            if (unverified)
                unverified->append({ e.id, true, e.scope, e.pattern });
            continue;
        }
        const int rank = scopeRank(e.scope) * 1000 + specificity;
        if (!best || rank > bestRank || (rank == bestRank && !e.allow && best->allow)) {
            best = &e;
            bestRank = rank;
        }
    }
    if (!best)
        return std::nullopt;
    return ListDecision { best->id, best->allow, best->scope, best->pattern };
}

} // namespace mailroom::spam
