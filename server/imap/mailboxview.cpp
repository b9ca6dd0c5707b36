// MailboxView: the selected mailbox as one session's client knows it, and
// the untagged updates that bring it up to date (RFC 9051 §7.4, §7.5.1,
// RFC 7162 §3.2.10). Trust level: internal.
#include "imap/mailboxview.h"

#include <algorithm>

#include <QSet>

#include "imap/parser/sequenceset.h"

namespace mailroom::imap
{

void appendFlagList(QByteArray &out, quint32 flags, const QStringList &keywords)
{
    out += '(';
    const qsizetype start = out.size();
    auto add = [&out, start](QByteArrayView f) {
        if (out.size() > start)
            out += ' ';
        out += f;
    };
    if (flags & store::FlagSeen)
        add("\\Seen");
    if (flags & store::FlagAnswered)
        add("\\Answered");
    if (flags & store::FlagFlagged)
        add("\\Flagged");
    if (flags & store::FlagDeleted)
        add("\\Deleted");
    if (flags & store::FlagDraft)
        add("\\Draft");
    for (const QString &k : keywords)
        add(k.toUtf8());
    out += ')';
}

QByteArray flagList(quint32 flags, const QStringList &keywords)
{
    QByteArray out;
    appendFlagList(out, flags, keywords);
    return out;
}

MailboxView::MailboxView(store::MailStore &store, const store::MailboxEntry &entry, bool readOnly)
    : m_store(store)
    , m_id(entry.id)
    , m_uidValidity(entry.uidValidity)
    , m_name(entry.name)
    , m_specialUse(entry.specialUse)
    , m_readOnly(readOnly)
    , m_uidNext(entry.uidNext)
    , m_highestModSeq(entry.highestModSeq)
{
}

Status MailboxView::load()
{
    // HIGHESTMODSEQ first: a change racing with the snapshot is then seen
    // again by the next sync instead of being missed.
    auto box = m_store.changesSince(m_id, std::numeric_limits<qint64>::max());
    if (!box)
        return box.error();
    auto snap = m_store.snapshot(m_id);
    if (!snap)
        return snap.error();
    m_highestModSeq = box->highestModSeq;
    m_uidNext = box->uidNext;
    m_uids.clear();
    m_modseqs.clear();
    m_flags.clear();
    m_keywordsOf.clear();
    m_uids.reserve(snap->size());
    m_modseqs.reserve(snap->size());
    m_flags.reserve(snap->size());
    QSet<QString> seen;
    m_keywords.clear();
    m_unseen = 0;
    m_firstUnseen = 0;
    for (const store::MessageMeta &m : *snap) {
        m_uids.append(m.uid);
        m_modseqs.append(m.modseq);
        m_flags.append(m.flags);
        if (!m.keywords.isEmpty())
            m_keywordsOf.insert(m.uid, m.keywords);
        m_highestModSeq = std::max(m_highestModSeq, m.modseq);
        if (!(m.flags & store::FlagSeen)) {
            ++m_unseen;
            if (m_firstUnseen == 0)
                m_firstUnseen = m_uids.size();
        }
        for (const QString &k : m.keywords) {
            if (!seen.contains(k.toCaseFolded())) {
                seen.insert(k.toCaseFolded());
                m_keywords << k;
            }
        }
    }
    if (!m_uids.isEmpty())
        m_uidNext = std::max(m_uidNext, m_uids.last() + 1);
    return {};
}

qint64 MailboxView::seqOf(qint64 uid) const
{
    auto it = std::lower_bound(m_uids.begin(), m_uids.end(), uid);
    if (it == m_uids.end() || *it != uid)
        return 0;
    return (it - m_uids.begin()) + 1;
}

QList<qint64> MailboxView::resolve(const SequenceSet &set, bool byUid) const
{
    QList<qint64> out;
    if (byUid) {
        out = set.filter(m_uids, lastUid());
    } else {
        for (qint64 seq : set.expand(m_uids.size()))
            out.append(m_uids[seq - 1]);
    }
    if (!m_pendingExpunged.isEmpty())
        out.removeIf([this](qint64 uid) { return m_pendingExpunged.contains(uid); });
    return out;
}

void MailboxView::noteReported(qint64 uid, qint64 modseq, quint32 flags, const QStringList &keywords)
{
    const qint64 seq = seqOf(uid);
    if (seq == 0 || modseq < m_modseqs[seq - 1])
        return;
    setMessage(seq - 1, modseq, flags, keywords);
}

void MailboxView::setMessage(qsizetype index, qint64 modseq, quint32 flags, const QStringList &keywords)
{
    m_modseqs[index] = modseq;
    m_flags[index] = flags;
    if (keywords.isEmpty())
        m_keywordsOf.remove(m_uids[index]);
    else
        m_keywordsOf.insert(m_uids[index], keywords);
}

void MailboxView::removeAt(qsizetype index)
{
    m_keywordsOf.remove(m_uids[index]);
    m_uids.removeAt(index);
    m_modseqs.removeAt(index);
    m_flags.removeAt(index);
}

Status MailboxView::sync(QByteArray *out, bool allowExpunge, bool condstore, bool qresync, bool *gone)
{
    *gone = false;
    auto changes = m_store.changesSince(m_id, m_highestModSeq);
    if (!changes)
        return changes.error();
    if (changes->gone) {
        *gone = true;
        return {};
    }
    // Expunged messages: reported now, or held until a command may see them.
    for (qint64 uid : changes->expunged) {
        if (seqOf(uid) > 0 && !m_pendingExpunged.contains(uid))
            m_pendingExpunged.append(uid);
    }
    std::sort(m_pendingExpunged.begin(), m_pendingExpunged.end());
    QSet<qint64> expungedNow(changes->expunged.begin(), changes->expunged.end());
    if (allowExpunge && !m_pendingExpunged.isEmpty()) {
        if (qresync) {
            *out += "* VANISHED " + SequenceSet::toText(m_pendingExpunged) + "\r\n";
            for (qint64 uid : m_pendingExpunged)
                removeAt(seqOf(uid) - 1);
        } else {
            // Highest first, so each number is valid when it is read.
            for (auto it = m_pendingExpunged.crbegin(); it != m_pendingExpunged.crend(); ++it) {
                const qint64 seq = seqOf(*it);
                *out += "* " + QByteArray::number(seq) + " EXPUNGE\r\n";
                removeAt(seq - 1);
            }
        }
        m_pendingExpunged.clear();
    }
    // New messages and changed flags.
    QList<const store::MessageMeta *> flagChanges;
    bool added = false;
    for (const store::MessageMeta &m : changes->changed) {
        if (expungedNow.contains(m.uid))
            continue;
        if (m.uid > lastUid()) {
            m_uids.append(m.uid);
            m_modseqs.append(m.modseq);
            m_flags.append(m.flags);
            if (!m.keywords.isEmpty())
                m_keywordsOf.insert(m.uid, m.keywords);
            added = true;
            continue;
        }
        const qint64 seq = seqOf(m.uid);
        if (seq > 0 && m.modseq > m_modseqs[seq - 1]) {
            setMessage(seq - 1, m.modseq, m.flags, m.keywords);
            flagChanges.append(&m);
        }
    }
    // A keyword new to the mailbox: the client learns the new flag list first.
    bool newKeyword = false;
    for (const store::MessageMeta &m : changes->changed) {
        for (const QString &k : m.keywords) {
            if (!m_keywords.contains(k, Qt::CaseInsensitive)) {
                m_keywords << k;
                newKeyword = true;
            }
        }
    }
    if (newKeyword) {
        QByteArray flags = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";
        for (const QString &k : m_keywords)
            flags += ' ' + k.toUtf8();
        *out += "* FLAGS (" + flags + ")\r\n";
        if (!m_readOnly)
            *out += "* OK [PERMANENTFLAGS (" + flags + " \\*)] Flags permitted\r\n";
    }
    if (added)
        *out += "* " + QByteArray::number(m_uids.size()) + " EXISTS\r\n";
    for (const store::MessageMeta *m : flagChanges) {
        QByteArray line = "* " + QByteArray::number(seqOf(m->uid)) + " FETCH (";
        if (qresync || condstore)
            line += "UID " + QByteArray::number(m->uid) + ' ';
        line += "FLAGS " + flagList(m->flags, m->keywords);
        if (condstore)
            line += " MODSEQ (" + QByteArray::number(m->modseq) + ')';
        *out += line + ")\r\n";
    }
    m_highestModSeq = std::max(m_highestModSeq, changes->highestModSeq);
    m_uidNext = std::max(m_uidNext, changes->uidNext);
    return {};
}

} // namespace mailroom::imap
