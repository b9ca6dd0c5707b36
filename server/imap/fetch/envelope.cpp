// ENVELOPE rendering. Display names arrive decoded from mime (RFC 2047);
// ASCII names go out as they are, others as UTF-8 (UTF8=ACCEPT) or again as
// RFC 2047 "B" encoded words, so a client decodes the same text.
// RFC 9051 §7.5.2, §9; RFC 2047 §2, §5(3). Missing parts of an address are
// filled as Dovecot does ("MISSING_MAILBOX", "MISSING_DOMAIN"): a NIL host
// would mean a group marker. Trust level: internal.
#include "imap/fetch/envelope.h"

#include "imap/fetch/format.h"

namespace mailroom::imap
{

namespace
{

constexpr qsizetype kEncodedChunk = 45; // UTF-8 bytes per encoded word: 12 + 60 <= 75 (RFC 2047 §2)

bool isAscii(const QByteArray &s)
{
    for (char c : s)
        if (uchar(c) >= 0x80)
            return false;
    return true;
}

// "=?UTF-8?B?...?=" words separated by spaces, each split on a character
// boundary so that every word decodes on its own (RFC 2047 §5(3)).
QByteArray encodeWords(const QByteArray &utf8)
{
    QByteArray out;
    qsizetype pos = 0;
    while (pos < utf8.size()) {
        qsizetype end = qMin(pos + kEncodedChunk, utf8.size());
        while (end < utf8.size() && end > pos + 1 && (uchar(utf8.at(end)) & 0xC0) == 0x80)
            --end; // do not split a multi-byte sequence
        if (!out.isEmpty())
            out += ' ';
        out += "=?UTF-8?B?" + utf8.mid(pos, end - pos).toBase64() + "?=";
        pos = end;
    }
    return out;
}

QByteArray phrase(const QString &name, bool utf8Ok)
{
    if (name.isEmpty())
        return QByteArrayLiteral("NIL");
    const QByteArray utf8 = name.toUtf8();
    if (isAscii(utf8) || utf8Ok)
        return string(utf8, utf8Ok);
    return string(encodeWords(utf8));
}

/*
 *   address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
 *   addr-adl = nstring ; obsolete route, always NIL here (mime drops it)
 */
void appendAddress(QByteArray &out, const mime::Mailbox &mb, bool utf8Ok)
{
    out += '(';
    out += phrase(mb.name, utf8Ok);
    out += " NIL ";
    out += string(mb.local.isEmpty() ? QByteArrayLiteral("MISSING_MAILBOX") : mb.local, utf8Ok);
    out += ' ';
    out += string(mb.domain.isEmpty() ? QByteArrayLiteral("MISSING_DOMAIN") : mb.domain, utf8Ok);
    out += ')';
}

} // namespace

/*
 * RFC 9051 §7.5.2: group syntax is an address with a NIL host; the group
 * start holds the group name in the mailbox field, the end is all NIL.
 *   env-from = "(" 1*address ")" / nil
 */
QByteArray renderAddressList(const QList<mime::AddressGroup> &list, bool utf8Ok)
{
    if (list.isEmpty())
        return QByteArrayLiteral("NIL");
    QByteArray out = "(";
    for (const mime::AddressGroup &g : list) {
        if (!g.isGroup) {
            for (const mime::Mailbox &mb : g.members)
                appendAddress(out, mb, utf8Ok);
            continue;
        }
        out += "(NIL NIL " + phrase(g.name, utf8Ok) + " NIL)";
        for (const mime::Mailbox &mb : g.members)
            appendAddress(out, mb, utf8Ok);
        out += "(NIL NIL NIL NIL)";
    }
    out += ')';
    return out;
}

/*
 *   envelope = "(" env-date SP env-subject SP env-from SP env-sender SP
 *              env-reply-to SP env-to SP env-cc SP env-bcc SP
 *              env-in-reply-to SP env-message-id ")"
 * Sender and Reply-To default to From (mime::Envelope::fromHeaders does it;
 * done again here for envelopes built elsewhere).
 */
QByteArray renderEnvelope(const mime::Envelope &e, bool utf8Ok)
{
    QByteArray out = "(";
    out += nstring(e.date, utf8Ok);
    out += ' ';
    out += nstring(e.subject, utf8Ok);
    out += ' ';
    out += renderAddressList(e.from, utf8Ok);
    out += ' ';
    out += renderAddressList(e.sender.isEmpty() ? e.from : e.sender, utf8Ok);
    out += ' ';
    out += renderAddressList(e.replyTo.isEmpty() ? e.from : e.replyTo, utf8Ok);
    out += ' ';
    out += renderAddressList(e.to, utf8Ok);
    out += ' ';
    out += renderAddressList(e.cc, utf8Ok);
    out += ' ';
    out += renderAddressList(e.bcc, utf8Ok);
    out += ' ';
    out += nstring(e.inReplyTo, utf8Ok);
    out += ' ';
    out += nstring(e.messageId, utf8Ok);
    out += ')';
    return out;
}

} // namespace mailroom::imap
