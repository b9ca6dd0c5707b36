// LIST and LSUB (RFC 9051 §6.3.9, RFC 3501 §6.3.9) with LIST-EXTENDED
// (RFC 5258), LIST-STATUS (RFC 5819), SPECIAL-USE (RFC 6154) and CHILDREN:
//   list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat
//          [SP list-return-opts]
// "*" matches anything, "%" anything but the separator "/".
// Trust level: talks to the Internet; patterns are bounded by the reader
// and matched without backtracking blow-ups (no regular expressions).
#include <QSet>

#include "imap/commands.h"
#include "imap/fetch/format.h"
#include "imap/session.h"
#include "store/mailstore.h"

namespace mailroom::imap::commands
{

namespace
{
// Iterative wildcard match with one backtrack point per "*"/"%" (linear-ish).
bool matches(const QString &pattern, const QString &name)
{
    qsizetype p = 0, n = 0, starP = -1, starN = 0;
    bool starIsPercent = false;
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == u'*' || pattern[p] == u'%')) {
            starIsPercent = pattern[p] == u'%';
            starP = p++;
            starN = n;
        } else if (p < pattern.size() && pattern[p] == name[n]) {
            ++p;
            ++n;
        } else if (starP >= 0 && !(starIsPercent && name[starN] == u'/')) {
            p = starP + 1;
            n = ++starN;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && (pattern[p] == u'*' || pattern[p] == u'%'))
        ++p;
    return p == pattern.size();
}

bool matchesAny(const QStringList &patterns, const QString &name)
{
    for (const QString &p : patterns) {
        // INBOX is case-insensitive, in patterns too.
        QString pat = p;
        if (pat.startsWith(u"INBOX", Qt::CaseInsensitive))
            pat = QStringLiteral("INBOX") + pat.mid(5);
        if (matches(pat, name))
            return true;
    }
    return false;
}
} // namespace

void list(CommandContext &c)
{
    const bool lsub = c.cmd.name == "LSUB";
    const Args &a = c.args();
    qsizetype i = 0;
    bool selSubscribed = false, selSpecialUse = false, recursive = false;
    bool retSubscribed = false, retChildren = true, retSpecialUse = true;
    Args statusItemsArg;
    bool extended = false;
    if (!lsub && i < a.size() && a[i].isList()) {
        extended = true;
        for (const Arg &o : a[i].children) {
            if (o.is("SUBSCRIBED"))
                selSubscribed = true;
            else if (o.is("SPECIAL-USE"))
                selSpecialUse = true;
            else if (o.is("RECURSIVEMATCH"))
                recursive = true;
            else if (!o.is("REMOTE"))
                return c.badSyntax("Unknown LIST selection option");
        }
        if (recursive && !selSubscribed)
            return c.badSyntax("RECURSIVEMATCH needs another selection option");
        ++i;
    }
    if (a.size() < i + 2)
        return c.badSyntax("LIST needs a reference and a mailbox pattern");
    QString reference;
    if (!a[i].isAString())
        return c.badSyntax("Invalid reference");
    if (!a[i].text.isEmpty() && !c.session.decodeName(a[i], &reference))
        return c.badSyntax("Invalid reference");
    ++i;
    QStringList patterns;
    QList<Arg> patternArgs;
    if (a[i].isList() && !lsub) {
        extended = true;
        patternArgs = a[i].children;
    } else {
        patternArgs = { a[i] };
    }
    for (const Arg &p : patternArgs) {
        QString pat;
        if (!p.isAString())
            return c.badSyntax("Invalid mailbox pattern");
        if (!p.text.isEmpty() && !c.session.decodeName(p, &pat))
            return c.badSyntax("Invalid mailbox pattern");
        patterns << (pat.isEmpty() ? pat : reference + pat);
    }
    ++i;
    if (i < a.size()) {
        if (lsub || !a[i].is("RETURN") || i + 1 >= a.size() || !a[i + 1].isList() || i + 2 != a.size())
            return c.badSyntax("Invalid LIST return options");
        extended = true;
        const Args &r = a[i + 1].children;
        for (qsizetype k = 0; k < r.size(); ++k) {
            if (r[k].is("SUBSCRIBED")) {
                retSubscribed = true;
            } else if (r[k].is("CHILDREN")) {
                retChildren = true;
            } else if (r[k].is("SPECIAL-USE")) {
                retSpecialUse = true;
            } else if (r[k].is("STATUS") && k + 1 < r.size() && r[k + 1].isList()) {
                statusItemsArg = r[++k].children;
            } else {
                return c.badSyntax("Unknown LIST return option");
            }
        }
    }
    Q_UNUSED(extended);
    // LIST "" "": the hierarchy delimiter and root.
    if (patterns.size() == 1 && patterns[0].isEmpty()) {
        c.untagged(QByteArray(lsub ? "LSUB" : "LIST") + " (\\Noselect) \"/\" \"\"");
        return c.ok(lsub ? "Lsub completed" : "List completed");
    }
    auto boxes = c.store().mailboxes(c.session.userId());
    if (!boxes)
        return c.fail(boxes.error(), "Cannot list mailboxes");
    auto subs = c.store().subscriptions(c.session.userId());
    if (!subs)
        return c.fail(subs.error(), "Cannot list subscriptions");
    const QSet<QString> subscribed(subs->begin(), subs->end());
    QSet<QString> existing;
    QSet<QString> parents;
    for (const store::MailboxEntry &b : *boxes) {
        existing.insert(b.name);
        for (qsizetype k = b.name.indexOf(u'/'); k >= 0; k = b.name.indexOf(u'/', k + 1))
            parents.insert(b.name.left(k));
    }
    const QByteArray verb = lsub ? "LSUB" : "LIST";
    auto line = [&](const QString &name, QByteArrayList attrs) {
        QByteArray out
            = verb + " (" + attrs.join(' ') + ") \"/\" " + astring(c.session.encodeName(name), c.session.utf8());
        c.untagged(out);
    };
    if (lsub || selSubscribed) {
        // Subscribed names, existing or not.
        QStringList names = subs.value();
        names.sort();
        for (const QString &n : names) {
            if (!matchesAny(patterns, n))
                continue;
            QByteArrayList attrs;
            if (!existing.contains(n))
                attrs << (lsub ? "\\Noselect" : "\\NonExistent");
            if (!lsub)
                attrs << "\\Subscribed";
            line(n, attrs);
        }
        return c.ok(lsub ? "Lsub completed" : "List completed");
    }
    for (const store::MailboxEntry &b : *boxes) {
        if (!matchesAny(patterns, b.name))
            continue;
        if (selSpecialUse && b.specialUse.isEmpty())
            continue;
        QByteArrayList attrs;
        if (retChildren)
            attrs << (parents.contains(b.name) ? "\\HasChildren" : "\\HasNoChildren");
        if (retSpecialUse && !b.specialUse.isEmpty())
            attrs << b.specialUse.toLatin1();
        if (retSubscribed && subscribed.contains(b.name))
            attrs << "\\Subscribed";
        line(b.name, attrs);
        if (!statusItemsArg.isEmpty()) {
            QByteArray items, error;
            if (!statusItems(c.session, b, statusItemsArg, &items, &error))
                return c.badSyntax(error);
            c.untagged("STATUS " + astring(c.session.encodeName(b.name), c.session.utf8()) + ' ' + items);
        }
    }
    // "%" may stop at a level that holds no mailbox of its own.
    for (const QString &p : parents) {
        if (!existing.contains(p) && matchesAny(patterns, p) && !selSpecialUse)
            line(p, { "\\NonExistent", "\\HasChildren" });
    }
    c.ok("List completed");
}

} // namespace mailroom::imap::commands
