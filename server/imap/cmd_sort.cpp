// SORT and THREAD (RFC 5256), with UID variants:
//   sort   = ["UID" SP] "SORT" SP sort-criteria SP search-criteria
//   thread = ["UID" SP] "THREAD" SP thread-alg SP search-criteria
// search-criteria begins with the charset. Trust level: talks to the Internet.
#include "imap/commands.h"
#include "imap/search/sort.h"
#include "imap/search/thread.h"
#include "imap/searchrun.h"
#include "imap/session.h"
#include "mime/headers.h"

namespace mailroom::imap::commands
{

namespace
{
bool criteria(CommandContext &c, int index, SearchQuery *q)
{
    QByteArray error;
    bool badCharset = false;
    if (!parseSearchCriteria(c.args(), index, q, &error, &badCharset)) {
        if (badCharset)
            c.no("[BADCHARSET (UTF-8 US-ASCII)] Unsupported charset");
        else
            c.badSyntax(error);
        return false;
    }
    return true;
}

// The store keeps the Date text to 200 characters and the subject to 1,000:
// at those lengths the cached value may be cut short, so read the message.
bool cacheTruncated(const store::MessageMeta &m)
{
    return m.date.size() >= 200 || m.subject.size() >= 1000;
}

QByteArray headerBlock(const QByteArray &message)
{
    const qsizetype end = message.indexOf("\r\n\r\n");
    return end < 0 ? message : message.left(end + 4);
}
} // namespace

void sort(CommandContext &c)
{
    QList<SortKey> keys;
    QByteArray error;
    if (c.args().size() < 3 || !parseSortCriteria(c.args(), 0, &keys, &error))
        return c.badSyntax(error.isEmpty() ? QByteArray("SORT needs criteria, a charset and search keys") : error);
    SearchQuery q;
    if (!criteria(c, 1, &q))
        return;
    // ARRIVAL, DATE, SIZE and SUBJECT come from the store's cached fields;
    // the address keys need each message's header block.
    const bool cached = sortableFromCache(keys);
    QList<QByteArray> headers;
    auto hits = runSearch(c.store(), *c.session.selected(), q, cached ? nullptr : &headers);
    if (!hits)
        return c.fail(hits.error(), "Sort failed");
    QList<SortFields> fields;
    fields.reserve(hits->size());
    for (qsizetype i = 0; i < hits->size(); ++i) {
        const SearchHit &h = hits->at(i);
        const qint64 id = c.uidMode() ? h.uid : h.seq;
        if (cached && !cacheTruncated(h.meta)) {
            fields.append(sortFieldsFromCache(h.meta.date, h.meta.subject, id, h.meta.size, h.meta.internalDate, keys));
            continue;
        }
        QByteArray head;
        if (cached) {
            auto bytes = c.store().content(h.meta.blobHash);
            if (!bytes)
                return c.fail(bytes.error(), "Sort failed");
            head = headerBlock(*bytes);
        }
        const mime::HeaderBlock hb = mime::HeaderBlock::parse(cached ? head : headers[i], nullptr);
        fields.append(sortFieldsFrom(hb, id, h.meta.size, h.meta.internalDate));
    }
    QByteArray line = "SORT";
    for (qint64 id : sortMessages(fields, keys))
        line += ' ' + QByteArray::number(id);
    c.untagged(line);
    c.ok("Sort completed");
}

void thread(CommandContext &c)
{
    ThreadAlgorithm alg;
    if (c.args().size() < 3 || !parseThreadAlgorithm(c.args()[0], &alg))
        return c.badSyntax("THREAD needs ORDEREDSUBJECT or REFERENCES, a charset and search keys");
    SearchQuery q;
    if (!criteria(c, 1, &q))
        return;
    QList<QByteArray> headers;
    auto hits = runSearch(c.store(), *c.session.selected(), q, &headers);
    if (!hits)
        return c.fail(hits.error(), "Thread failed");
    QList<ThreadInput> in;
    for (qsizetype i = 0; i < hits->size(); ++i) {
        const SearchHit &h = hits->at(i);
        const mime::HeaderBlock hb = mime::HeaderBlock::parse(headers[i], nullptr);
        in.append(threadInputFrom(hb, c.uidMode() ? h.uid : h.seq, h.meta.internalDate));
    }
    c.untagged("THREAD " + threadMessages(alg, in));
    c.ok("Thread completed");
}

} // namespace mailroom::imap::commands
