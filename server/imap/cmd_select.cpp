// SELECT and EXAMINE (RFC 9051 §6.3.2, §6.3.3), with CONDSTORE and QRESYNC
// parameters (RFC 7162 §3.1.8, §3.2.5):
//   select        = "SELECT" SP mailbox [select-params]
//   select-params = SP "(" select-param *(SP select-param) ")"
//   select-param  = "CONDSTORE" / "QRESYNC" SP "(" uidvalidity SP mod-sequence-value
//                   [SP known-uids] [SP seq-match-data] ")"
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/fetch/format.h"
#include "imap/mailboxview.h"
#include "imap/parser/sequenceset.h"
#include "imap/session.h"

namespace mailroom::imap::commands
{

namespace
{
struct Qresync {
    bool present = false;
    qint64 uidValidity = 0;
    qint64 modseq = 0;
    SequenceSet knownUids;
    bool hasKnown = false;
};

bool parseParams(CommandContext &c, const Arg &list, bool *condstore, Qresync *q)
{
    const Args &p = list.children;
    for (qsizetype i = 0; i < p.size(); ++i) {
        if (p[i].is("CONDSTORE")) {
            *condstore = true;
        } else if (p[i].is("QRESYNC") && i + 1 < p.size() && p[i + 1].isList()) {
            if (!c.session.qresync()) {
                c.badSyntax("Enable QRESYNC first");
                return false;
            }
            const Args &v = p[++i].children;
            if (v.size() < 2 || v.size() > 4 || !toNzNumber(v[0], &q->uidValidity) || !toNzNumber(v[1], &q->modseq)) {
                c.badSyntax("QRESYNC needs a UIDVALIDITY and a MODSEQ");
                return false;
            }
            if (v.size() >= 3 && v[2].isAtom()) {
                if (!SequenceSet::parse(v[2].text, &q->knownUids)) {
                    c.badSyntax("Invalid known UIDs");
                    return false;
                }
                q->hasKnown = true;
            }
            q->present = true; // seq-match-data is accepted and not needed
        } else {
            c.badSyntax("Unknown SELECT parameter");
            return false;
        }
    }
    return true;
}
} // namespace

void select(CommandContext &c)
{
    const bool examine = c.cmd.name == "EXAMINE";
    QString name;
    if (c.args().isEmpty() || c.args().size() > 2 || (c.args().size() == 2 && !c.args()[1].isList()))
        return c.badSyntax("SELECT needs a mailbox name");
    if (!c.session.decodeName(c.args()[0], &name))
        return c.badSyntax("Invalid mailbox name");
    bool condstore = false;
    Qresync q;
    if (c.args().size() == 2 && !parseParams(c, c.args()[1], &condstore, &q))
        return;
    // RFC 9051 §6.3.2: a failed SELECT leaves no mailbox selected; a
    // successful one closes the previous without expunging, and says so.
    const bool hadSelected = c.session.selected() != nullptr;
    c.session.unselect();
    if (hadSelected && c.session.qresync())
        c.untagged("OK [CLOSED] Previous mailbox closed");
    auto box = c.store().mailbox(c.session.userId(), name);
    if (!box)
        return c.fail(box.error(), "Mailbox does not exist");
    if (condstore)
        c.session.enableCondstore();
    auto view = std::make_unique<MailboxView>(c.store(), *box, examine);
    if (auto st = view->load(); !st)
        return c.fail(st.error(), "Cannot open the mailbox");
    QByteArray flags = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";
    for (const QString &k : view->keywordsInUse())
        flags += ' ' + k.toUtf8();
    c.untagged(QByteArray::number(view->exists()) + " EXISTS");
    if (!c.session.rev2())
        c.untagged("0 RECENT");
    c.untagged("FLAGS (" + flags + ')');
    c.untagged("OK [PERMANENTFLAGS (" + (examine ? QByteArray() : flags + " \\*") + ")] Flags permitted");
    if (!c.session.rev2() && view->firstUnseenSeq() > 0)
        c.untagged("OK [UNSEEN " + QByteArray::number(view->firstUnseenSeq()) + "] First unseen");
    c.untagged("OK [UIDVALIDITY " + QByteArray::number(view->uidValidity()) + "] UIDs valid");
    c.untagged("OK [UIDNEXT " + QByteArray::number(view->uidNext()) + "] Predicted next UID");
    c.untagged("OK [HIGHESTMODSEQ " + QByteArray::number(view->highestModSeq()) + "] Highest");
    if (c.session.rev2())
        c.untagged("LIST () \"/\" " + astring(c.session.encodeName(box->name), c.session.utf8()));
    if (q.present && q.uidValidity == view->uidValidity()) {
        // RFC 7162 §3.2.5.2: what vanished and what changed since the
        // client's MODSEQ; the session's view already holds today's state.
        auto changes = c.store().changesSince(view->id(), q.modseq);
        if (!changes)
            return c.fail(changes.error(), "Cannot read the mailbox's changes");
        QList<qint64> vanished = changes->expunged;
        if (q.hasKnown)
            vanished = q.knownUids.filter(vanished, vanished.isEmpty() ? 0 : vanished.last());
        if (!vanished.isEmpty())
            c.untagged("VANISHED (EARLIER) " + SequenceSet::toText(vanished));
        for (const store::MessageMeta &m : changes->changed) {
            const qint64 seq = view->seqOf(m.uid);
            if (seq == 0)
                continue;
            c.untagged(QByteArray::number(seq) + " FETCH (UID " + QByteArray::number(m.uid) + " FLAGS "
                + flagList(m.flags, m.keywords) + " MODSEQ (" + QByteArray::number(m.modseq) + "))");
        }
    }
    c.session.select(std::move(view));
    c.ok(examine ? "[READ-ONLY] Examine completed" : "[READ-WRITE] Select completed");
}

} // namespace mailroom::imap::commands
