// SEARCH and UID SEARCH (RFC 9051 §6.4.4) with ESEARCH (RFC 4731) and
// CONDSTORE's MODSEQ (RFC 7162 §3.1.5). IMAP4rev2 clients always get ESEARCH.
// Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/fetch/format.h"
#include "imap/parser/sequenceset.h"
#include "imap/searchrun.h"
#include "imap/session.h"

namespace mailroom::imap::commands
{

void search(CommandContext &c)
{
    SearchQuery q;
    QByteArray error;
    bool badCharset = false;
    if (!parseSearch(c.args(), 0, &q, &error, &badCharset)) {
        if (badCharset)
            return c.no("[BADCHARSET (UTF-8 US-ASCII)] Unsupported charset");
        return c.badSyntax(error);
    }
    if (usesModSeq(q))
        c.session.enableCondstore();
    auto hits = runSearch(c.store(), *c.session.selected(), q);
    if (!hits)
        return c.fail(hits.error(), "Search failed");
    QList<qint64> ids;
    qint64 highest = 0;
    for (const SearchHit &h : *hits) {
        ids.append(c.uidMode() ? h.uid : h.seq);
        highest = std::max(highest, h.modseq);
    }
    const bool modseq = usesModSeq(q) && !ids.isEmpty();
    if (q.esearch || c.session.rev2()) {
        const int opts = q.esearch ? q.returnOptions : int(SearchQuery::ReturnAll);
        QByteArray line = "ESEARCH (TAG " + quoted(c.tag()) + ')';
        if (c.uidMode())
            line += " UID";
        if (!ids.isEmpty()) {
            if (opts & SearchQuery::ReturnMin)
                line += " MIN " + QByteArray::number(ids.first());
            if (opts & SearchQuery::ReturnMax)
                line += " MAX " + QByteArray::number(ids.last());
            if (opts & SearchQuery::ReturnAll)
                line += " ALL " + SequenceSet::toText(ids);
        }
        if (opts & SearchQuery::ReturnCount)
            line += " COUNT " + QByteArray::number(ids.size());
        if (modseq)
            line += " MODSEQ " + QByteArray::number(highest);
        c.untagged(line);
    } else {
        QByteArray line = "SEARCH";
        for (qint64 id : ids)
            line += ' ' + QByteArray::number(id);
        if (modseq)
            line += " (MODSEQ " + QByteArray::number(highest) + ')';
        c.untagged(line);
    }
    c.ok("Search completed");
}

} // namespace mailroom::imap::commands
