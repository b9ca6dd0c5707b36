// MailboxView: what one session has told its client about the selected
// mailbox: the sequence-number map (seq n is uids[n-1]), the MODSEQ of each
// message as last reported, HIGHESTMODSEQ and UIDNEXT. sync() compares it
// with the store and writes the untagged updates (RFC 9051 §7.4, §7.5.1;
// RFC 7162 §3.2.10 VANISHED). Expunges are held back while a command runs
// that may not see them (FETCH, STORE, SEARCH by sequence number).
// Trust level: internal; runs on the store worker pool.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include "base/result.h"
#include "store/mailstore.h"

namespace mailroom::imap
{

class SequenceSet;

// "(\Seen \Answered $Forwarded)"
QByteArray flagList(quint32 flags, const QStringList &keywords);
void appendFlagList(QByteArray &out, quint32 flags, const QStringList &keywords);

class MailboxView
{
public:
    MailboxView(store::MailStore &store, const store::MailboxEntry &entry, bool readOnly);

    Status load(); // the snapshot at SELECT time

    qint64 id() const
    {
        return m_id;
    }
    qint64 uidValidity() const
    {
        return m_uidValidity;
    }
    const QString &name() const
    {
        return m_name;
    }
    const QString &specialUse() const
    {
        return m_specialUse;
    }
    bool readOnly() const
    {
        return m_readOnly;
    }
    qint64 exists() const
    {
        return m_uids.size();
    }
    qint64 uidNext() const
    {
        return m_uidNext;
    }
    qint64 highestModSeq() const
    {
        return m_highestModSeq;
    }
    const QList<qint64> &uids() const
    {
        return m_uids;
    }
    qint64 lastUid() const
    {
        return m_uids.isEmpty() ? 0 : m_uids.last();
    }
    // 0 when the UID is not in the view.
    qint64 seqOf(qint64 uid) const;
    qint64 firstUnseenSeq() const
    {
        return m_firstUnseen;
    }
    qint64 unseen() const
    {
        return m_unseen;
    }
    const QStringList &keywordsInUse() const
    {
        return m_keywords;
    }
    // UIDs addressed by a set of sequence numbers or UIDs, ascending; UIDs
    // expunged but not yet reported are left out.
    QList<qint64> resolve(const SequenceSet &set, bool byUid) const;
    bool isPendingExpunge(qint64 uid) const
    {
        return m_pendingExpunged.contains(uid);
    }

    // Records flags this session changed and has reported already.
    void noteReported(qint64 uid, qint64 modseq, quint32 flags, const QStringList &keywords);
    // The flags, keywords and MODSEQ of the message at index (seq - 1), as
    // this session knows them: what it last reported or found at SELECT.
    // FETCH FLAGS answers from here without reading the store.
    quint32 flagsAt(qsizetype index) const
    {
        return m_flags[index];
    }
    qint64 modseqAt(qsizetype index) const
    {
        return m_modseqs[index];
    }
    QStringList keywordsOf(qint64 uid) const
    {
        return m_keywordsOf.value(uid);
    }

    // Brings the view up to date and appends the untagged responses to out.
    // *gone is set when the mailbox no longer exists.
    Status sync(QByteArray *out, bool allowExpunge, bool condstore, bool qresync, bool *gone);

private:
    void setMessage(qsizetype index, qint64 modseq, quint32 flags, const QStringList &keywords);
    void removeAt(qsizetype index);

    store::MailStore &m_store;
    qint64 m_id;
    qint64 m_uidValidity;
    QString m_name;
    QString m_specialUse;
    bool m_readOnly;
    QList<qint64> m_uids;
    QList<qint64> m_modseqs; // parallel to m_uids
    QList<quint32> m_flags; // parallel to m_uids
    QHash<qint64, QStringList> m_keywordsOf; // by UID, only messages that have keywords
    QList<qint64> m_pendingExpunged; // ascending
    qint64 m_uidNext = 1;
    qint64 m_highestModSeq = 0;
    qint64 m_firstUnseen = 0;
    qint64 m_unseen = 0;
    QStringList m_keywords;
};

} // namespace mailroom::imap
