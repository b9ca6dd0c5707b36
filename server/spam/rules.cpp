#include "spam/rules.h"

#include <QFile>

namespace mailroom::spam
{

namespace
{
bool validTag(const QString &t)
{
    if (t.isEmpty() || t.size() > 64)
        return false;
    for (QChar c : t)
        if (!((c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_'))
            return false;
    return true;
}

// "/regex/flags" starting at text[i]; the regex may hold spaces.
bool takeRegex(const QString &line, qsizetype &i, QString *pattern, QString *flags)
{
    if (i >= line.size() || line[i] != u'/')
        return false;
    // The closing slash is the last one followed by flags and a space.
    for (qsizetype j = i + 1; j < line.size(); ++j) {
        if (line[j] == u'\\') {
            ++j;
            continue;
        }
        if (line[j] == u'/') {
            qsizetype k = j + 1;
            while (k < line.size() && line[k].isLetter())
                ++k;
            if (k == line.size() || line[k].isSpace()) {
                *pattern = line.mid(i + 1, j - i - 1);
                *flags = line.mid(j + 1, k - j - 1);
                i = k;
                return true;
            }
        }
    }
    return false;
}
} // namespace

void RuleSet::parse(const QString &text, const QString &origin, QStringList *errors)
{
    const QStringList lines = text.split(u'\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QString line = lines[n].trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        auto problem = [&](const QString &what) {
            if (errors)
                errors->append(QStringLiteral("%1:%2: %3").arg(origin).arg(n + 1).arg(what));
        };
        const QStringList words = line.split(u' ', Qt::SkipEmptyParts);
        if (words.first() == u"score") {
            bool ok = false;
            const double points = words.value(2).toDouble(&ok);
            if (words.size() != 3 || !validTag(words[1]) || !ok || points < -1000 || points > 1000) {
                problem(QStringLiteral("write \"score TAG POINTS\", with TAG in capitals, digits and _"));
                continue;
            }
            m_scores.insert(words[1], points);
            continue;
        }
        if (words.first() != u"rule" || words.size() < 5) {
            problem(QStringLiteral("a line is \"score TAG POINTS\" or \"rule TAG TARGET /REGEX/ POINTS TEXT\""));
            continue;
        }
        Rule r;
        r.tag = words[1];
        if (!validTag(r.tag)) {
            problem(QStringLiteral("\"%1\" is not a tag: use capitals, digits and _").arg(r.tag.left(64)));
            continue;
        }
        const QString target = words[2];
        static const struct {
            const char *name;
            Rule::Target target;
        } targets[] = { { "subject", Rule::Target::Subject }, { "from", Rule::Target::From },
            { "to", Rule::Target::To }, { "body", Rule::Target::Body }, { "uri", Rule::Target::Uri } };
        bool known = false;
        for (const auto &t : targets)
            if (target == QLatin1String(t.name)) {
                r.target = t.target;
                known = true;
            }
        if (target.startsWith(u"header:") && target.size() > 7) {
            r.target = Rule::Target::Header;
            r.header = target.mid(7).toLower();
            known = true;
        } else if (target.startsWith(u"missing:") && target.size() > 8) {
            r.target = Rule::Target::Missing;
            r.header = target.mid(8).toLower();
            known = true;
        }
        if (!known) {
            problem(QStringLiteral("unknown target \"%1\"; use subject, from, to, header:NAME, body, uri or "
                                   "missing:NAME")
                        .arg(target.left(64)));
            continue;
        }
        // The regex starts after the third word.
        qsizetype i = 0;
        for (int word = 0; word < 3; ++word) {
            while (i < line.size() && line[i].isSpace())
                ++i;
            while (i < line.size() && !line[i].isSpace())
                ++i;
        }
        while (i < line.size() && line[i].isSpace())
            ++i;
        QString pattern, flags;
        if (!takeRegex(line, i, &pattern, &flags)) {
            problem(QStringLiteral("the regex must be written /like this/ with optional flags"));
            continue;
        }
        QRegularExpression::PatternOptions options = QRegularExpression::UseUnicodePropertiesOption;
        if (flags.contains(u'i'))
            options |= QRegularExpression::CaseInsensitiveOption;
        r.regex = QRegularExpression(pattern, options);
        if (!r.regex.isValid()) {
            problem(QStringLiteral("the regex is not valid: %1").arg(r.regex.errorString()));
            continue;
        }
        r.regex.optimize();
        const QStringList rest = line.mid(i).trimmed().split(u' ', Qt::SkipEmptyParts);
        bool ok = false;
        const double points = rest.value(0).toDouble(&ok);
        if (!ok || points < -1000 || points > 1000) {
            problem(QStringLiteral("a rule needs its points after the regex"));
            continue;
        }
        r.description = rest.mid(1).join(u' ');
        m_scores.insert(r.tag, points);
        // A rule given again replaces the earlier one.
        bool replaced = false;
        for (Rule &old : m_rules)
            if (old.tag == r.tag) {
                old = r;
                replaced = true;
            }
        if (!replaced)
            m_rules.append(r);
    }
}

void RuleSet::evaluate(const RuleInput &in, TagList &tags) const
{
    for (const Rule &r : m_rules) {
        auto hit = [&](const QString &text) {
            const QRegularExpressionMatch m = r.regex.match(text);
            if (!m.hasMatch())
                return false;
            tags.add(r.tag, r.description + QStringLiteral(": \"") + m.captured(0).left(60) + u'"');
            return true;
        };
        switch (r.target) {
        case Rule::Target::Subject:
            hit(in.subject);
            break;
        case Rule::Target::From:
            hit(in.from);
            break;
        case Rule::Target::Body:
            hit(in.body);
            break;
        case Rule::Target::To:
            for (const QString &t : in.to)
                if (hit(t))
                    break;
            break;
        case Rule::Target::Uri:
            for (const QString &u : in.uris)
                if (hit(u))
                    break;
            break;
        case Rule::Target::Header:
            for (const auto &[name, value] : in.headers)
                if (name == r.header && hit(value))
                    break;
            break;
        case Rule::Target::Missing: {
            bool found = false;
            for (const auto &h : in.headers)
                found = found || h.first == r.header;
            if (!found)
                tags.add(r.tag, r.description);
            break;
        }
        }
    }
}

QString defaultRulesText()
{
    QFile f(QStringLiteral(":/mailroom/spam/rules.cf"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

QString analyzerTagDescription(const QString &tag)
{
    static const QHash<QString, QString> table = [] {
        QHash<QString, QString> t;
        const char *const bands[][2] = { { "00", "0–1%" }, { "05", "1–5%" }, { "20", "5–20%" }, { "40", "20–40%" },
            { "45", "40–50%" }, { "50", "50–60%" }, { "60", "60–80%" }, { "80", "80–95%" }, { "95", "95–99%" },
            { "99", "99–99.9%" }, { "999", "99.9% and up" } };
        for (const auto &b : bands)
            t.insert(QStringLiteral("BAYES_") + QLatin1String(b[0]),
                QStringLiteral("Bayes spam probability %1").arg(QString::fromUtf8(b[1])));
        const char *const fixed[][2] = {
            { "SPF_PASS", "SPF: the sending server may send for the envelope sender's domain" },
            { "SPF_FAIL", "SPF: the envelope sender's domain says this server may not send for it" },
            { "SPF_SOFTFAIL", "SPF: the envelope sender's domain doubts this server (~all)" },
            { "SPF_NEUTRAL", "SPF: the domain says nothing about this server (?all)" },
            { "SPF_NONE", "SPF: the envelope sender's domain publishes no SPF record" },
            { "SPF_PERMERROR", "SPF: the domain's record is broken" },
            { "SPF_TEMPERROR", "SPF: DNS failed for the moment" },
            { "DKIM_VALID", "DKIM: a valid signature" },
            { "DKIM_VALID_AU", "DKIM: a valid signature of the From domain" },
            { "DKIM_INVALID", "DKIM: a signature that does not verify" },
            { "DKIM_NONE", "DKIM: no signature" },
            { "DMARC_PASS", "DMARC: the From domain is confirmed by SPF or DKIM" },
            { "DMARC_REJECT", "DMARC fails, and the From domain asks to reject such mail" },
            { "DMARC_QUARANTINE", "DMARC fails, and the From domain asks to treat such mail as spam" },
            { "DMARC_NONE_POLICY", "DMARC fails; the From domain only monitors (p=none)" },
            { "RDNS_NONE", "The sending server's address has no reverse DNS name" },
            { "RDNS_MISMATCH", "The reverse DNS name does not lead back to the sending server" },
            { "HELO_NOT_FQDN", "The server greeted with a name that is not a full domain name" },
            { "HELO_IP_LITERAL", "The server greeted with an IP address" },
            { "DNSBL_LISTED", "The sending server is on a DNS block list" },
            { "URIBL_LISTED", "A link's domain is on a URI block list" },
            { "REP_GOOD", "Earlier mail from this sender scored well" },
            { "REP_BAD", "Earlier mail from this sender scored as spam" },
            { "LIST_ALLOW", "An allow list entry matched (decides per recipient)" },
            { "LIST_BLOCK", "A block list entry matched (decides per recipient)" },
            { "LIST_ALLOW_UNVERIFIED", "An allow list entry matched, but SPF or DKIM did not confirm the sender" },
            { "GREYLISTED", "First try from this network: asked to retry later" },
        };
        for (const auto &f : fixed)
            t.insert(QLatin1String(f[0]), QString::fromUtf8(f[1]));
        return t;
    }();
    return table.value(tag);
}

} // namespace mailroom::spam
