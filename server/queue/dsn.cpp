// Delivery status notifications (RFC 3464 §2-3, RFC 6522 §3-4, RFC 3461 §6,
// RFC 6533 §3, RFC 3834 §5). Pure: builds bytes, touches no file or socket.
// Trust level: mixed. Diagnostics come from remote servers and the original
// message from the Internet, so every value placed in a header or a
// delivery-status field goes through clean() (controls, CR and LF become one
// space) and the human text quotes only what a remote server said ("smtp;"
// diagnostics), never our host name, relay or other configuration.
#include "queue/dsn.h"

#include <QRandomGenerator>
#include <QStringList>

#include "queue/deliveryagent.h"

namespace mailroom::queue
{

namespace
{

constexpr qsizetype FoldWidth = 78; // RFC 5322 §2.1.1 SHOULD
constexpr qsizetype MaxValueChars = 900; // keeps every line under the 998 MUST
constexpr qsizetype TextWidth = 72;

using Action = DsnRecipient::Action;

// Controls (CR and LF above all) and any other white space become one space,
// so a remote text can never start a line of its own.
QString clean(const QString &value, qsizetype maxChars = MaxValueChars)
{
    QString out;
    out.reserve(qMin(value.size(), maxChars));
    for (const QChar c : value) {
        const bool blank = c.isSpace() || c.category() == QChar::Other_Control;
        if (blank) {
            if (!out.isEmpty() && !out.endsWith(QLatin1Char(' ')))
                out.append(QLatin1Char(' '));
        } else {
            out.append(c);
        }
        if (out.size() >= maxChars)
            break;
    }
    if (!out.isEmpty() && out.back().isHighSurrogate())
        out.chop(1);
    return out.trimmed();
}

bool isAscii(const QString &s)
{
    for (const QChar c : s) {
        if (c.unicode() > 0x7e)
            return false;
    }
    return true;
}

QString embeddedUnicode(char32_t cp)
{
    // RFC 6533 §3 EmbeddedUnicodeChar: "\x{" upper-case HEXPOINT "}"
    return QStringLiteral("\\x{") + QString::number(uint(cp), 16).toUpper() + QLatin1Char('}');
}

// A delivery-status value in 7-bit form: non-ASCII as \x{HEX} (RFC 6533 §3).
QString asciiField(const QString &value)
{
    const QString v = clean(value);
    if (isAscii(v))
        return v;
    QString out;
    for (const char32_t cp : v.toUcs4()) {
        const QString piece = cp < 0x7f ? QString(QChar(char16_t(cp))) : embeddedUnicode(cp);
        if (out.size() + piece.size() > MaxValueChars)
            break;
        out += piece;
    }
    return out;
}

// RFC 3464 §2.3.2 Final-Recipient, or RFC 6533 "utf-8" type in the
// utf-8-addr-xtext form, which message/delivery-status requires (7-bit).
QString addressField(const QString &address)
{
    const QString a = clean(address);
    if (isAscii(a))
        return QStringLiteral("rfc822; ") + a;
    QString out = QStringLiteral("utf-8; ");
    for (const char32_t cp : a.toUcs4()) {
        const bool qchar = cp >= 0x21 && cp <= 0x7e && cp != '\\' && cp != '+' && cp != '=';
        const QString piece = qchar ? QString(QChar(char16_t(cp))) : embeddedUnicode(cp);
        if (out.size() + piece.size() > MaxValueChars)
            break;
        out += piece;
    }
    return out;
}

// "Name: value" folded at spaces before column 78 (RFC 5322 §2.2.3).
QByteArray field(const char *name, const QString &value)
{
    QByteArray out = name;
    out += ':';
    qsizetype lineLen = out.size();
    bool lineHasWord = false;
    for (const QString &word : clean(value).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QByteArray w = word.toUtf8();
        if (lineHasWord && lineLen + 1 + w.size() > FoldWidth) {
            out += "\r\n";
            lineLen = 0;
        }
        out += ' ' + w;
        lineLen += 1 + w.size();
        lineHasWord = true;
    }
    return out + "\r\n";
}

QByteArray twoDigits(int n)
{
    return QByteArray::number(n).rightJustified(2, '0');
}

QString actionName(Action action)
{
    switch (action) {
    case Action::Failed:
        return QStringLiteral("failed");
    case Action::Delayed:
        return QStringLiteral("delayed");
    case Action::Delivered:
        return QStringLiteral("delivered");
    case Action::Relayed:
        return QStringLiteral("relayed");
    case Action::Expanded:
        return QStringLiteral("expanded");
    }
    return QStringLiteral("failed");
}

// Queued files end lines with CRLF, but a bare CR or LF must not survive into
// a message we send.
QByteArray crlf(const QByteArray &in)
{
    QByteArray out;
    out.reserve(in.size() + in.size() / 50);
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in.at(i);
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < in.size() && in.at(i + 1) == '\n')
                ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    return out;
}

// The queue keeps the Return-Path line for local delivery; a returned copy
// must not carry it (RFC 5321 §4.4: only the final delivery adds it).
QByteArray withoutReturnPath(const QByteArray &message)
{
    if (!message.left(12).toLower().startsWith("return-path:"))
        return message;
    qsizetype end = message.indexOf("\r\n");
    while (end >= 0 && end + 2 < message.size() && (message.at(end + 2) == ' ' || message.at(end + 2) == '\t'))
        end = message.indexOf("\r\n", end + 2);
    return end < 0 ? QByteArray() : message.mid(end + 2);
}

// The header block up to (not including) the empty line, cut at a field
// boundary when it is longer than maxBytes.
QByteArray headerBlock(const QByteArray &message, qint64 maxBytes)
{
    if (message.startsWith("\r\n"))
        return {};
    const qsizetype end = message.indexOf("\r\n\r\n");
    QByteArray block = end < 0 ? message : message.left(end + 2);
    if (!block.isEmpty() && !block.endsWith("\r\n"))
        block += "\r\n";
    if (block.size() <= maxBytes)
        return block;
    if (maxBytes < 2)
        return {};
    for (qsizetype i = block.lastIndexOf("\r\n", maxBytes - 2); i >= 0; i = block.lastIndexOf("\r\n", i - 1)) {
        const char next = block.at(i + 2);
        if (next != ' ' && next != '\t')
            return block.left(i + 2);
        if (i == 0)
            break;
    }
    return {};
}

// The unfolded Subject of the original, for the human text; encoded words
// are left out rather than shown raw.
QString originalSubject(const QByteArray &headers)
{
    for (qsizetype pos = 0; pos < headers.size();) {
        qsizetype end = headers.indexOf("\r\n", pos);
        while (end >= 0 && end + 2 < headers.size() && (headers.at(end + 2) == ' ' || headers.at(end + 2) == '\t'))
            end = headers.indexOf("\r\n", end + 2);
        if (end < 0)
            end = headers.size();
        const QByteArray line = headers.mid(pos, end - pos);
        if (line.left(8).toLower() == "subject:") {
            const QString subject = clean(QString::fromUtf8(line.mid(8)), 200);
            return subject.contains(QLatin1String("=?")) ? QString() : subject;
        }
        pos = end + 2;
    }
    return {};
}

bool isHighBit(const QByteArray &data)
{
    for (const char c : data) {
        if (static_cast<unsigned char>(c) >= 0x80)
            return true;
    }
    return false;
}

QByteArray randomToken()
{
    auto *rng = QRandomGenerator::global();
    return QByteArray::number(rng->generate64(), 36) + QByteArray::number(rng->generate64(), 36);
}

// Host name for Message-ID: only atext characters, so nothing can break it.
QByteArray hostToken(const QString &host)
{
    QByteArray out;
    for (const QChar c : host) {
        if (c.unicode() < 0x80 && (c.isLetterOrNumber() || c == QLatin1Char('.') || c == QLatin1Char('-')))
            out += char(c.unicode());
    }
    return out.isEmpty() ? QByteArrayLiteral("localhost") : out;
}

// RFC 2045 §6.7 quoted-printable of UTF-8 text with "\n" line ends.
QByteArray quotedPrintable(const QByteArray &text)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QByteArray &line = lines.at(n);
        qsizetype col = 0;
        for (qsizetype i = 0; i < line.size(); ++i) {
            const auto c = static_cast<unsigned char>(line.at(i));
            const bool last = i + 1 == line.size();
            QByteArray piece;
            if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last))
                piece = QByteArray(1, char(c));
            else
                piece = QByteArray("=") + hex[c >> 4] + hex[c & 15];
            if (col + piece.size() > 75) {
                out += "=\r\n";
                col = 0;
            }
            out += piece;
            col += piece.size();
        }
        if (n + 1 < lines.size())
            out += "\r\n";
    }
    return out;
}

// Greedy word wrap for the human text.
QString wrap(const QString &text, int indent)
{
    const QString pad(indent, QLatin1Char(' '));
    QString out = pad;
    qsizetype col = indent;
    bool lineHasWord = false;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (lineHasWord && col + 1 + word.size() > TextWidth) {
            out += QLatin1Char('\n') + pad;
            col = indent;
            lineHasWord = false;
        }
        if (lineHasWord) {
            out += QLatin1Char(' ');
            ++col;
        }
        out += word;
        col += word.size();
        lineHasWord = true;
    }
    return out + QLatin1Char('\n');
}

// What a status code means, in words for someone who is not a mail admin
// (RFC 3463 §3 subjects and details).
QString explainStatus(const QString &status, QString *advice)
{
    const QStringList parts = status.split(QLatin1Char('.'));
    const int cls = parts.value(0).toInt();
    const int subject = parts.value(1).toInt();
    const QString sd = parts.mid(1).join(QLatin1Char('.'));
    struct Known {
        const char *code;
        const char *text;
    };
    static constexpr Known known[] = {
        { "1.1", "The address does not exist at the receiving mail system." },
        { "1.2", "The recipient's domain does not exist or does not receive mail." },
        { "1.3", "The address is not written correctly." },
        { "1.6", "The recipient no longer uses this address." },
        { "1.10", "The recipient's domain does not accept any mail." },
        { "2.1", "The recipient's mailbox is closed." },
        { "2.2", "The recipient's mailbox is full." },
        { "2.3", "The message is larger than the recipient accepts." },
        { "3.4", "The message is larger than the receiving mail system accepts." },
        { "4.1", "The recipient's mail server did not answer." },
        { "4.2", "The connection to the recipient's mail server was broken." },
        { "4.4", "No mail server could be found for the recipient's domain." },
        { "4.7", "The message could not be delivered in the time allowed." },
        { "7.1", "The receiving mail system refused to accept the message." },
    };
    static constexpr const char *bySubject[] = {
        nullptr,
        "There is a problem with the recipient's address.",
        "There is a problem with the recipient's mailbox.",
        "The receiving mail system has a problem.",
        "There was a network problem on the way to the recipient.",
        "The mail servers could not understand each other.",
        "The receiving mail system cannot handle the content of the message.",
        "The receiving mail system refused the message for security or policy reasons.",
    };
    if (advice) {
        if (subject == 1)
            *advice = QStringLiteral("Check the address for typing mistakes and send the message again.");
        else if (sd == QLatin1String("2.3") || sd == QLatin1String("3.4"))
            *advice = QStringLiteral("Send the message again with smaller attachments, or share large files "
                                     "through a link.");
        else if (sd == QLatin1String("2.2"))
            *advice = QStringLiteral("Ask the recipient to free up space in their mailbox, then try again later.");
        else if (subject == 7)
            *advice = QStringLiteral("Contact the recipient another way, for example by phone, and ask them "
                                     "to check why their mail system refused your message.");
        else
            *advice = QStringLiteral("Try again later. If it keeps happening, contact the recipient another way "
                                     "or ask your mail administrator for help.");
    }
    for (const Known &k : known) {
        if (sd == QLatin1String(k.code))
            return QLatin1String(k.text);
    }
    if (subject >= 1 && subject <= 7)
        return QLatin1String(bySubject[subject]);
    if (cls == 2)
        return QStringLiteral("The message was delivered.");
    return cls == 4 ? QStringLiteral("There was a temporary problem.")
                    : QStringLiteral("The message could not be delivered.");
}

// The remote server's own words, only for "smtp" diagnostics: other types
// come from this server and may name our configuration.
QString remoteAnswer(const QString &diagnostic)
{
    const qsizetype semi = diagnostic.indexOf(QLatin1Char(';'));
    if (semi < 0 || diagnostic.left(semi).trimmed().compare(QLatin1String("smtp"), Qt::CaseInsensitive) != 0)
        return {};
    return clean(diagnostic.mid(semi + 1), 500);
}

QString humanText(const DsnRequest &r, const QString &subject)
{
    QString text
        = wrap(QStringLiteral("This is an automatic message from the mail system. Please do not reply to it."), 0)
        + QLatin1Char('\n');
    if (r.arrival.isValid())
        text += QStringLiteral("Your message sent on %1").arg(QString::fromLatin1(rfc5322Date(r.arrival)));
    else
        text += QStringLiteral("Your message");
    text += subject.isEmpty() ? QStringLiteral(":\n\n") : QStringLiteral(" with the subject \"%1\":\n\n").arg(subject);

    static constexpr struct {
        Action action;
        const char *intro;
    } groups[] = {
        { Action::Failed,
            "could not be delivered to the recipients below. This is final: the mail system has stopped trying." },
        { Action::Delayed,
            "has not been delivered yet to the recipients below. The mail system is still trying, so you do not "
            "need to send it again." },
        { Action::Delivered, "was delivered to the recipients below." },
        { Action::Relayed,
            "was passed on to the recipients below, but their mail system does not send delivery reports, so you "
            "may not hear more about it." },
        { Action::Expanded, "was delivered to the addresses below, which forward it to further recipients." },
    };
    QStringList advice;
    for (const auto &group : groups) {
        QString block;
        for (const DsnRecipient &rcpt : r.recipients) {
            if (rcpt.action != group.action)
                continue;
            block += QStringLiteral("  ") + clean(rcpt.finalRecipient) + QLatin1Char('\n');
            if (group.action != Action::Failed && group.action != Action::Delayed)
                continue;
            QString tip;
            block += wrap(explainStatus(rcpt.status, &tip), 4);
            if (group.action == Action::Failed && !advice.contains(tip))
                advice.append(tip);
            const QString answer = remoteAnswer(rcpt.diagnostic);
            if (!answer.isEmpty())
                block += QStringLiteral("    The receiving mail server answered:\n") + wrap(answer, 6);
            if (group.action == Action::Delayed && rcpt.willRetryUntil.isValid())
                block += QStringLiteral("    The mail system will keep trying until %1.\n")
                             .arg(QString::fromLatin1(rfc5322Date(rcpt.willRetryUntil)));
            block += QLatin1Char('\n');
        }
        if (block.isEmpty())
            continue;
        text += wrap(QStringLiteral("It ") + QLatin1String(group.intro), 0) + QLatin1Char('\n') + block;
        if (group.action == Action::Delayed)
            advice.append(QStringLiteral("Nothing for now. You will get another message if it finally cannot be "
                                         "delivered."));
    }
    if (!advice.isEmpty()) {
        text += QStringLiteral("What you can do:\n");
        for (const QString &tip : std::as_const(advice))
            text += wrap(tip, 4).replace(0, 4, QStringLiteral("  - "));
        text += QLatin1Char('\n');
    }
    if (!r.queueId.isEmpty())
        text += QStringLiteral("If you ask your mail administrator for help, give them this reference: %1\n")
                    .arg(clean(r.queueId, 64));
    return text;
}

QByteArray deliveryStatus(const DsnRequest &r)
{
    QByteArray out = field("Reporting-MTA", QStringLiteral("dns; ") + asciiField(r.reportingMta));
    if (!r.queueId.isEmpty())
        out += field("X-Mailroom-Queue-ID", asciiField(r.queueId));
    if (!r.envid.isEmpty())
        out += field("Original-Envelope-Id", asciiField(r.envid));
    if (r.arrival.isValid())
        out += field("Arrival-Date", QString::fromLatin1(rfc5322Date(r.arrival)));
    for (const DsnRecipient &rcpt : r.recipients) {
        out += "\r\n";
        if (!clean(rcpt.originalRecipient).isEmpty())
            out += field("Original-Recipient", asciiField(rcpt.originalRecipient));
        out += field("Final-Recipient", addressField(rcpt.finalRecipient));
        out += field("Action", actionName(rcpt.action));
        out += field("Status", asciiField(rcpt.status));
        // "mx.example.com [192.0.2.1]": the name is the dns-type value.
        const QString mta = clean(rcpt.remoteMta).section(QLatin1Char(' '), 0, 0);
        if (!mta.isEmpty())
            out += field("Remote-MTA", QStringLiteral("dns; ") + asciiField(mta));
        if (!clean(rcpt.diagnostic).isEmpty())
            out += field("Diagnostic-Code", asciiField(rcpt.diagnostic));
        if (rcpt.lastAttempt.isValid())
            out += field("Last-Attempt-Date", QString::fromLatin1(rfc5322Date(rcpt.lastAttempt)));
        if (rcpt.action == Action::Delayed && rcpt.willRetryUntil.isValid())
            out += field("Will-Retry-Until", QString::fromLatin1(rfc5322Date(rcpt.willRetryUntil)));
    }
    return out;
}

QByteArray mimePart(const QByteArray &headers, const QByteArray &body)
{
    QByteArray out = headers + "\r\n" + body;
    if (!out.endsWith("\r\n"))
        out += "\r\n";
    return out;
}

} // namespace

QByteArray rfc5322Date(const QDateTime &when)
{
    if (!when.isValid())
        return {};
    static constexpr const char *days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    static constexpr const char *months[]
        = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    const QDateTime utc = when.toUTC();
    const QDate d = utc.date();
    const QTime t = utc.time();
    return QByteArray(days[d.dayOfWeek() - 1]) + ", " + QByteArray::number(d.day()) + ' ' + months[d.month() - 1] + ' '
        + QByteArray::number(d.year()).rightJustified(4, '0') + ' ' + twoDigits(t.hour()) + ':' + twoDigits(t.minute())
        + ':' + twoDigits(t.second()) + " +0000";
}

bool wantsNotification(quint8 notify, DsnRecipient::Action action)
{
    if (notify & NotifyNever)
        return false;
    if (notify == 0)
        return action == Action::Failed;
    switch (action) {
    case Action::Failed:
        return notify & NotifyFailure;
    case Action::Delayed:
        return notify & NotifyDelay;
    case Action::Delivered:
    case Action::Relayed:
    case Action::Expanded:
        return notify & NotifySuccess;
    }
    return false;
}

QByteArray composeDsn(const DsnRequest &request)
{
    bool anyFailed = false;
    bool anyDelayed = false;
    for (const DsnRecipient &rcpt : request.recipients) {
        anyFailed = anyFailed || rcpt.action == Action::Failed;
        anyDelayed = anyDelayed || rcpt.action == Action::Delayed;
    }

    const QByteArray original = withoutReturnPath(crlf(request.original));
    const bool full = request.returnFullMessage && original.size() <= request.maxReturnBytes;
    const QByteArray returned = full ? original : headerBlock(original, request.maxReturnBytes);

    const QByteArray text = humanText(request, originalSubject(headerBlock(original, 64 * 1024))).toUtf8();
    const bool textAscii = !isHighBit(text);
    const QByteArray part1 = mimePart(QByteArrayLiteral("Content-Type: text/plain; charset=utf-8\r\n"
                                                        "Content-Description: Notification\r\n")
            + (textAscii ? "Content-Transfer-Encoding: 7bit\r\n" : "Content-Transfer-Encoding: quoted-printable\r\n"),
        textAscii ? crlf(text) : quotedPrintable(text));
    const QByteArray part2 = mimePart(QByteArrayLiteral("Content-Type: message/delivery-status\r\n"
                                                        "Content-Description: Delivery report\r\n"),
        deliveryStatus(request));
    QByteArray part3Headers = full ? QByteArrayLiteral("Content-Type: message/rfc822\r\n"
                                                       "Content-Description: Returned message\r\n")
                                   : QByteArrayLiteral("Content-Type: text/rfc822-headers\r\n"
                                                       "Content-Description: Headers of the returned message\r\n");
    if (isHighBit(returned))
        part3Headers += "Content-Transfer-Encoding: 8bit\r\n";
    const QByteArray part3 = mimePart(part3Headers, returned);

    // RFC 2046 §5.1.1: the boundary must not occur in any part.
    QByteArray boundary;
    do {
        boundary = "=_dsn_" + randomToken();
    } while (part1.contains(boundary) || part2.contains(boundary) || part3.contains(boundary));

    const QString subject = anyFailed ? QStringLiteral("Undelivered Mail Returned to Sender")
        : anyDelayed                  ? QStringLiteral("Delayed Mail (still being retried)")
                                      : QStringLiteral("Successful Mail Delivery Report");
    const QString from = clean(request.from);
    QByteArray out = field("Date", QString::fromLatin1(rfc5322Date(QDateTime::currentDateTimeUtc())));
    out += field("From",
        from.contains(QLatin1Char('<')) ? from : QStringLiteral("Mail Delivery System <") + from + QLatin1Char('>'));
    if (!clean(request.to).isEmpty())
        out += field("To", clean(request.to));
    out += field("Subject", subject);
    out += field("Message-ID",
        QStringLiteral("<%1@%2>").arg(
            QString::fromLatin1(randomToken()), QString::fromLatin1(hostToken(request.reportingMta))));
    out += field("Auto-Submitted", QStringLiteral("auto-replied"));
    out += field("MIME-Version", QStringLiteral("1.0"));
    out += field("Content-Type",
        QStringLiteral("multipart/report; report-type=delivery-status; boundary=\"%1\"")
            .arg(QString::fromLatin1(boundary)));
    out += "\r\nThis is a MIME-encapsulated delivery status notification.\r\n";
    for (const QByteArray *part : { &part1, &part2, &part3 })
        out += "\r\n--" + boundary + "\r\n" + *part;
    out += "\r\n--" + boundary + "--\r\n";
    return out;
}

} // namespace mailroom::queue
