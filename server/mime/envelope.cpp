// Builds the IMAP envelope from a header block, and display helpers.
// RFC 3501 §7.4.2: "If the Sender or Reply-To lines are absent in the
// [RFC-2822] header, or are present but empty, the server sets the
// corresponding member of the envelope to be the same value as the from member."
// Trust level: parses input from the Internet.
#include "mime/envelope.h"

#include "mime/charset.h"
#include "mime/encodedword.h"

namespace mailroom::mime
{

namespace
{

QByteArray trimmedOrNull(const QByteArray &v)
{
    return v.isNull() ? QByteArray() : v.trimmed();
}

} // namespace

Envelope Envelope::fromHeaders(const HeaderBlock &headers)
{
    Envelope e;
    e.date = trimmedOrNull(headers.value("Date"));
    e.subject = headers.value("Subject");
    e.messageId = trimmedOrNull(headers.value("Message-ID"));
    e.inReplyTo = trimmedOrNull(headers.value("In-Reply-To"));
    e.from = parseAddressList(headers.value("From"));
    e.sender = parseAddressList(headers.value("Sender"));
    e.replyTo = parseAddressList(headers.value("Reply-To"));
    e.to = parseAddressList(headers.value("To"));
    e.cc = parseAddressList(headers.value("Cc"));
    e.bcc = parseAddressList(headers.value("Bcc"));
    if (e.sender.isEmpty())
        e.sender = e.from;
    if (e.replyTo.isEmpty())
        e.replyTo = e.from;
    return e;
}

QString decodedSubject(const HeaderBlock &headers)
{
    return decodeUnstructured(headers.value("Subject")).simplified();
}

QString formatMailbox(const Mailbox &mailbox)
{
    const QString addr = raw8bitToString(mailbox.addrSpec());
    if (mailbox.name.isEmpty())
        return addr;
    return mailbox.name.simplified() + QStringLiteral(" <") + addr + QLatin1Char('>');
}

QString fromDisplay(const HeaderBlock &headers)
{
    const QByteArray raw = headers.value("From");
    const QList<Mailbox> list = mailboxes(parseAddressList(raw));
    if (list.isEmpty())
        return decodeUnstructured(raw).simplified();
    return formatMailbox(list.first());
}

} // namespace mailroom::mime
