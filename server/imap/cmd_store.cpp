// STORE (RFC 9051 §6.4.6) with CONDSTORE's UNCHANGEDSINCE (RFC 7162 §3.1.3):
//   store = "STORE" SP sequence-set [SP "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")"]
//           SP store-att-flags
//   store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))
// Trust level: talks to the Internet.
#include <QSet>

#include "imap/commands.h"
#include "imap/mailboxview.h"
#include "imap/parser/sequenceset.h"
#include "imap/session.h"
#include "store/mailstore.h"

namespace mailroom::imap::commands
{

void store(CommandContext &c)
{
    const Args &a = c.args();
    MailboxView *v = c.session.selected();
    if (a.size() < 3 || !a[0].isAtom())
        return c.badSyntax("STORE needs a message set, an action and flags");
    SequenceSet set;
    if (!SequenceSet::parse(a[0].text, &set))
        return c.badSyntax("Invalid message set");
    qsizetype i = 1;
    store::FlagChange change;
    if (a[i].isList()) {
        const Args &m = a[i].children;
        if (m.size() != 2 || !m[0].is("UNCHANGEDSINCE") || !toNumber(m[1], &change.unchangedSince))
            return c.badSyntax("Unknown STORE modifier");
        c.session.enableCondstore();
        ++i;
    }
    if (i + 1 >= a.size() || !a[i].isAtom())
        return c.badSyntax("STORE needs FLAGS, +FLAGS or -FLAGS");
    QByteArray action = a[i].text.toUpper();
    const bool silent = action.endsWith(".SILENT");
    if (silent)
        action.chop(7);
    if (action == "FLAGS")
        change.mode = store::FlagMode::Replace;
    else if (action == "+FLAGS")
        change.mode = store::FlagMode::Add;
    else if (action == "-FLAGS")
        change.mode = store::FlagMode::Remove;
    else
        return c.badSyntax("STORE needs FLAGS, +FLAGS or -FLAGS");
    ++i;
    QByteArray error;
    if (a.size() - i == 1) {
        if (!parseFlags(a[i], true, &change.flags, &change.keywords, &error))
            return c.badSyntax(error);
    } else {
        Arg list;
        list.kind = Arg::Kind::List;
        list.children = a.mid(i);
        if (!parseFlags(list, false, &change.flags, &change.keywords, &error))
            return c.badSyntax(error);
    }
    if (v->readOnly())
        return c.no("[READ-ONLY] The mailbox is read-only");
    const QList<qint64> uids = v->resolve(set, c.uidMode());
    if (uids.isEmpty())
        return c.ok("Store completed");
    auto r = c.store().storeFlags(v->id(), uids, change);
    if (!r)
        return c.fail(r.error(), "Cannot store the flags");
    const bool conditional = change.unchangedSince >= 0;
    const bool withModseq = c.session.condstore() || conditional;
    auto report = [&](const store::MessageMeta &m) {
        QByteArray line = QByteArray::number(v->seqOf(m.uid)) + " FETCH (";
        if (c.uidMode())
            line += "UID " + QByteArray::number(m.uid) + ' ';
        line += "FLAGS " + flagList(m.flags, m.keywords);
        if (withModseq)
            line += " MODSEQ (" + QByteArray::number(m.modseq) + ')';
        c.untagged(line + ')');
    };
    QSet<qint64> changed;
    for (const store::MessageMeta &m : r->updated) {
        changed.insert(m.uid);
        v->noteReported(m.uid, m.modseq, m.flags, m.keywords);
        if (!silent || conditional)
            report(m);
    }
    if (!silent) {
        // Messages whose flags were already so still get their FETCH.
        QList<qint64> rest;
        const QSet<qint64> failed(r->failed.begin(), r->failed.end());
        for (qint64 u : uids) {
            if (!changed.contains(u) && !failed.contains(u))
                rest.append(u);
        }
        if (!rest.isEmpty()) {
            auto metas = c.store().messages(v->id(), rest, store::MailStore::MetaDetail::Basic);
            if (!metas)
                return c.fail(metas.error(), "Cannot read the flags");
            for (const store::MessageMeta &m : *metas)
                report(m);
        }
    }
    if (!r->failed.isEmpty()) {
        QList<qint64> ids = r->failed;
        if (!c.uidMode()) {
            for (qint64 &u : ids)
                u = v->seqOf(u);
        }
        std::sort(ids.begin(), ids.end());
        return c.ok("[MODIFIED " + SequenceSet::toText(ids) + "] Conditional STORE failed");
    }
    c.ok("Store completed");
}

} // namespace mailroom::imap::commands
