// runSearch: SEARCH evaluation over the store (RFC 9051 §6.4.4): metadata in
// batches of 500, message bytes read only for header and body keys (or for
// SORT/THREAD, which need the headers). Trust level: internal.
#include "imap/searchrun.h"

#include "imap/mailboxview.h"
#include "imap/search/matcher.h"

namespace mailroom::imap
{

namespace
{
constexpr qsizetype kBatch = 500;

class Subject : public SearchSubject
{
public:
    Subject(store::MailStore &store, const store::MessageMeta &m, qint64 seq)
        : m_store(store)
        , m_meta(m)
        , m_seq(seq)
    {
    }
    qint64 seq() const override
    {
        return m_seq;
    }
    qint64 uid() const override
    {
        return m_meta.uid;
    }
    quint32 flags() const override
    {
        return m_meta.flags;
    }
    const QStringList &keywords() const override
    {
        return m_meta.keywords;
    }
    qint64 size() const override
    {
        return m_meta.size;
    }
    QDateTime internalDate() const override
    {
        return m_meta.internalDate;
    }
    qint64 modseq() const override
    {
        return m_meta.modseq;
    }
    const QString *cachedField(const QByteArray &name) const override
    {
        // An empty cache cannot tell an empty subject from none; 1,000
        // characters may be a cut-short one (spool and APPEND keep that many).
        if (name.compare("subject", Qt::CaseInsensitive) != 0 || m_meta.subject.isEmpty()
            || m_meta.subject.size() >= 1000)
            return nullptr;
        return &m_meta.subject;
    }
    const QByteArray &message() override
    {
        if (!m_loaded) {
            m_loaded = true;
            auto c = m_store.content(m_meta.blobHash);
            if (c)
                m_bytes = std::move(c).value();
        }
        return m_bytes;
    }

private:
    store::MailStore &m_store;
    const store::MessageMeta &m_meta;
    qint64 m_seq;
    bool m_loaded = false;
    QByteArray m_bytes;
};
} // namespace

Result<QList<SearchHit>> runSearch(
    store::MailStore &store, const MailboxView &view, const SearchQuery &query, QList<QByteArray> *headers)
{
    QList<SearchHit> hits;
    const QList<qint64> &uids = view.uids();
    const qint64 largestSeq = uids.size();
    const qint64 largestUid = view.lastUid();
    for (qsizetype start = 0; start < uids.size(); start += kBatch) {
        const QList<qint64> batch = uids.mid(start, kBatch);
        auto metas = store.messages(view.id(), batch, store::MailStore::MetaDetail::Search);
        if (!metas)
            return metas.error();
        for (store::MessageMeta &m : metas.value()) {
            const qint64 seq = view.seqOf(m.uid);
            if (seq == 0 || view.isPendingExpunge(m.uid))
                continue;
            Subject s(store, m, seq);
            if (!matches(query, s, largestSeq, largestUid))
                continue;
            if (headers) {
                const QByteArray &bytes = s.message();
                qsizetype end = bytes.indexOf("\r\n\r\n");
                headers->append(end < 0 ? bytes : bytes.left(end + 4));
            }
            hits.append({ seq, m.uid, m.modseq, std::move(m) }); // s is done with m
        }
    }
    return hits;
}

} // namespace mailroom::imap
