// FETCH and UID FETCH (RFC 9051 §6.4.5, §7.5.2) with CONDSTORE/QRESYNC
// modifiers (RFC 7162 §3.1.4, §3.2.6):
//   fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
//           "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers]
//   fetch-modifier = "CHANGEDSINCE" SP mod-sequence-value / "VANISHED"
// Runs in parts of at most kBatch messages or kChunkBytes of output, so a
// FETCH 1:* BODY[] of a large mailbox never sits in memory at once.
// ENVELOPE and BODYSTRUCTURE come from the store's cache, rendered once.
// Trust level: talks to the Internet.
#include <charconv>
#include <memory>

#include <QSet>

#include "imap/commands.h"
#include "imap/fetch/bodystructure.h"
#include "imap/fetch/envelope.h"
#include "imap/fetch/fetchspec.h"
#include "imap/fetch/format.h"
#include "imap/parser/sequenceset.h"
#include "imap/session.h"
#include "mime/part.h"
#include "store/mailstore.h"

namespace mailroom::imap::commands
{

namespace
{
constexpr qsizetype kBatch = 500;
constexpr qsizetype kChunkBytes = 4 * 1024 * 1024;

struct FetchState {
    FetchSpec spec;
    QList<qint64> uids;
    qint64 changedSince = -1;
    bool unknownCte = false;
};
} // namespace

void fetch(CommandContext &c)
{
    MailboxView *v = c.session.selected();
    std::shared_ptr<FetchState> st;
    if (c.cursor == 0) {
        st = std::make_shared<FetchState>();
        const Args &a = c.args();
        if (a.size() < 2 || a.size() > 3 || !a[0].isAtom())
            return c.badSyntax("FETCH needs a message set and items");
        SequenceSet set;
        if (!SequenceSet::parse(a[0].text, &set))
            return c.badSyntax("Invalid message set");
        QByteArray error;
        if (!parseFetchAtts(a, 1, &st->spec, &error))
            return c.badSyntax(error.isEmpty() ? QByteArray("Invalid fetch items") : error);
        bool vanished = false;
        if (a.size() == 3) {
            if (!a[2].isList())
                return c.badSyntax("Invalid FETCH modifiers");
            const Args &m = a[2].children;
            for (qsizetype i = 0; i < m.size(); ++i) {
                if (m[i].is("CHANGEDSINCE") && i + 1 < m.size() && toNumber(m[i + 1], &st->changedSince)) {
                    ++i;
                } else if (m[i].is("VANISHED")) {
                    vanished = true;
                } else {
                    return c.badSyntax("Unknown FETCH modifier");
                }
            }
            if (vanished && (!c.uidMode() || !c.session.qresync() || st->changedSince < 0))
                return c.badSyntax("VANISHED needs UID FETCH, QRESYNC and CHANGEDSINCE");
            if (st->changedSince >= 0) {
                c.session.enableCondstore();
                st->spec.modseq = true;
            }
        }
        if (c.session.condstore() && st->changedSince >= 0)
            st->spec.modseq = true;
        if (st->spec.modseq)
            c.session.enableCondstore();
        if (c.uidMode())
            st->spec.uid = true;
        st->uids = v->resolve(set, c.uidMode());
        if (vanished) {
            auto changes = c.store().changesSince(v->id(), st->changedSince);
            if (!changes)
                return c.fail(changes.error(), "Cannot read the mailbox's changes");
            const QList<qint64> gone = set.filter(changes->expunged, v->uidNext());
            if (!gone.isEmpty())
                c.untagged("VANISHED (EARLIER) " + SequenceSet::toText(gone));
        }
        c.state = st;
        c.cursor = 1;
    } else {
        st = std::static_pointer_cast<FetchState>(c.state);
    }

    const FetchSpec &spec = st->spec;
    const bool setSeen = spec.setsSeen() && !v->readOnly();
    qsizetype i = c.cursor - 1;
    // UID, FLAGS and MODSEQ only (how clients keep flags in sync): from the
    // session's view of the mailbox, without reading the store.
    const bool fromView = !setSeen && !spec.internalDate && !spec.rfc822Size && !spec.envelope && !spec.body
        && !spec.bodyStructure && spec.items.isEmpty();
    if (fromView) {
        // Written straight into the output: this is the hot path of a sync.
        const auto number = [&c](qint64 n) {
            char buf[24];
            const auto r = std::to_chars(buf, buf + sizeof buf, n);
            c.out.append(buf, r.ptr - buf);
        };
        c.out.reserve(c.out.size() + std::min<qsizetype>(st->uids.size() - i, 100000) * 48);
        for (; i < st->uids.size() && c.out.size() < kChunkBytes; ++i) {
            const qint64 uid = st->uids[i];
            const qint64 seq = v->seqOf(uid);
            if (seq == 0)
                continue;
            const qint64 modseq = v->modseqAt(seq - 1);
            if (st->changedSince >= 0 && modseq <= st->changedSince)
                continue;
            c.out += "* ";
            number(seq);
            c.out += " FETCH (";
            const char *sep = "";
            if (spec.uid) {
                c.out += "UID ";
                number(uid);
                sep = " ";
            }
            if (spec.flags) {
                c.out += sep;
                c.out += "FLAGS ";
                appendFlagList(c.out, v->flagsAt(seq - 1), v->keywordsOf(uid));
                sep = " ";
            }
            if (spec.modseq) {
                c.out += sep;
                c.out += "MODSEQ (";
                number(modseq);
                c.out += ')';
            }
            c.out += ")\r\n";
        }
        if (i < st->uids.size()) {
            c.cursor = i + 1;
            c.more = true;
            return;
        }
        return c.ok("Fetch completed");
    }
    QList<store::MailStore::CacheEntry> cache;
    // FLAGS, UID and the like (what a client syncing flags asks for) need no
    // cached strings.
    const auto detail = spec.envelope || spec.bodyStructure ? store::MailStore::MetaDetail::Full
                                                            : store::MailStore::MetaDetail::Basic;
    while (i < st->uids.size() && c.out.size() < kChunkBytes) {
        const QList<qint64> batch = st->uids.mid(i, kBatch);
        i += batch.size();
        auto loaded = c.store().messages(v->id(), batch, detail);
        if (!loaded)
            return c.fail(loaded.error(), "Cannot read the messages");
        QList<store::MessageMeta> list = std::move(loaded).value();
        QList<store::MessageMeta> *metas = &list;
        QSet<qint64> newlySeen; // their FLAGS go out with the answer (RFC 9051 §6.4.5)
        if (setSeen) {
            QList<qint64> unseen;
            for (const store::MessageMeta &m : *metas) {
                if (!(m.flags & store::FlagSeen))
                    unseen.append(m.uid);
            }
            if (!unseen.isEmpty()) {
                store::FlagChange ch;
                ch.mode = store::FlagMode::Add;
                ch.flags = store::FlagSeen;
                auto r = c.store().storeFlags(v->id(), unseen, ch);
                if (!r)
                    return c.fail(r.error(), "Cannot set \\Seen");
                for (const store::MessageMeta &u : r->updated) {
                    for (store::MessageMeta &m : *metas) {
                        if (m.uid == u.uid) {
                            m.flags = u.flags;
                            m.modseq = u.modseq;
                        }
                    }
                    v->noteReported(u.uid, u.modseq, u.flags, u.keywords);
                    newlySeen.insert(u.uid);
                }
            }
        }
        for (const store::MessageMeta &m : *metas) {
            if (st->changedSince >= 0 && m.modseq <= st->changedSince)
                continue;
            const qint64 seq = v->seqOf(m.uid);
            if (seq == 0)
                continue;
            QByteArrayList parts;
            if (spec.uid)
                parts << "UID " + QByteArray::number(m.uid);
            if (spec.flags || newlySeen.contains(m.uid))
                parts << "FLAGS " + flagList(m.flags, m.keywords);
            if (spec.internalDate)
                parts << "INTERNALDATE \"" + formatDateTime(m.internalDate) + '"';
            if (spec.rfc822Size)
                parts << "RFC822.SIZE " + QByteArray::number(m.size);
            if (spec.modseq)
                parts << "MODSEQ (" + QByteArray::number(m.modseq) + ')';
            const bool needCached = (spec.envelope && m.envelope.isEmpty())
                || (spec.bodyStructure && m.bodyStructure.isEmpty()) || spec.body;
            QByteArray content;
            std::unique_ptr<mime::Part> root;
            if (needCached || !spec.items.isEmpty()) {
                auto bytes = c.store().content(m.blobHash);
                if (!bytes) {
                    c.session.logFailure(c.cmd.name, bytes.error().message);
                    continue; // the file is gone: say nothing of this message
                }
                content = std::move(bytes).value();
                if (needCached || spec.needsParse())
                    root = std::make_unique<mime::Part>(mime::parseMessage(content));
            }
            QByteArray envelope = m.envelope, structure = m.bodyStructure;
            if (needCached && root) {
                if (envelope.isEmpty() || structure.isEmpty()) {
                    envelope = renderEnvelope(mime::Envelope::fromHeaders(root->headers));
                    structure = renderBodyStructure(*root, content, true);
                    cache.append({ m.id, envelope, structure });
                }
            }
            if (spec.envelope)
                parts << "ENVELOPE " + envelope;
            if (spec.bodyStructure)
                parts << "BODYSTRUCTURE " + structure;
            if (spec.body && root)
                parts << "BODY " + renderBodyStructure(*root, content, false);
            for (const BodyItem &item : spec.items) {
                bool unknown = false;
                static const mime::Part empty;
                const QByteArray piece = renderBodyItem(item, content, root ? *root : empty, &unknown);
                if (unknown) {
                    st->unknownCte = true;
                    continue;
                }
                parts << piece;
            }
            c.untagged(QByteArray::number(seq) + " FETCH (" + parts.join(' ') + ')');
        }
    }
    if (!cache.isEmpty()) {
        if (auto s = c.store().setCache(cache); !s)
            c.session.logFailure(c.cmd.name, s.error().message);
    }
    if (i < st->uids.size()) {
        c.cursor = i + 1;
        c.more = true;
        return;
    }
    if (st->unknownCte)
        return c.no("[UNKNOWN-CTE] A part has an unknown Content-Transfer-Encoding");
    c.ok("Fetch completed");
}

} // namespace mailroom::imap::commands
