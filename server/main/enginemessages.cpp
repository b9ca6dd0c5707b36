// Engine as admin::MessageReader: a stored message made readable for the
// admin's messages.get (console viewer, mailroomctl message show) with the
// MIME module: decoded headers (RFC 2047, RFC 6532), the plain text of the
// inline parts (RFC 2046 §5.1.4; HTML turned into text) and the attachments
// (RFC 2183 disposition, RFC 2231 file names).
// Trust level: the message came from the Internet; every walk is bounded by
// parseMessage's depth and part limits, the text by maxTextChars.
#include "main/engine.h"
#include "mime/encodedword.h"
#include "mime/envelope.h"
#include "mime/part.h"
#include "mime/plaintext.h"

namespace mailroom
{

namespace
{
constexpr int kMaxAttachments = 200;

// Decoded size of a body without decoding it: base64 gives 3 bytes per 4
// alphabet characters; other encodings are counted as they are.
qint64 decodedSize(const QByteArray &msg, const mime::Part &p)
{
    if (p.transferEncoding != "base64")
        return p.bodySize();
    qint64 chars = 0;
    for (qsizetype i = p.bodyStart; i < p.end; ++i) {
        const char c = msg.at(i);
        if (c == '=')
            break;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/')
            ++chars;
    }
    return chars * 3 / 4;
}

QString fileName(const mime::Part &p)
{
    QByteArray raw = p.dispositionParams.value(QByteArrayLiteral("filename"));
    if (raw.isEmpty())
        raw = p.contentType.param("name");
    return mime::decodeUnstructured(raw).simplified();
}

void collectAttachments(const QByteArray &msg, const mime::Part &p, QList<admin::AttachmentView> *out)
{
    if (out->size() >= kMaxAttachments)
        return;
    const QString name = fileName(p);
    const bool isText = p.contentType.is("text", "plain") || p.contentType.is("text", "html");
    const bool attached = p.disposition == "attachment" || (!name.isEmpty() && (p.disposition != "inline" || !isText));
    if (attached && p.contentType.type != "multipart") {
        out->append(
            { name, QString::fromLatin1(p.contentType.type + '/' + p.contentType.subtype), decodedSize(msg, p) });
        return;
    }
    for (const mime::Part &c : p.children)
        collectAttachments(msg, c, out);
}
} // namespace

admin::MessageView Engine::readMessage(const QByteArray &message, qsizetype maxTextChars) const
{
    admin::MessageView view;
    const mime::Part root = mime::parseMessage(message);
    for (const mime::HeaderField &f : root.headers.fields)
        view.headers.append({ QString::fromUtf8(f.name).trimmed(), mime::decodeUnstructured(f.value).simplified() });
    view.subject = mime::decodedSubject(root.headers);
    view.from = mime::fromDisplay(root.headers);
    // One character more than asked tells whether the text was cut.
    view.text = mime::plainText(message, maxTextChars + 1);
    if (view.text.size() > maxTextChars) {
        view.text.truncate(maxTextChars);
        view.textTruncated = true;
    }
    view.text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    // HTML often starts and ends with blocks that became empty lines.
    qsizetype lead = 0;
    while (lead < view.text.size() && view.text.at(lead) == u'\n')
        ++lead;
    view.text.remove(0, lead);
    while (!view.text.isEmpty() && view.text.back().isSpace())
        view.text.chop(1);
    collectAttachments(message, root, &view.attachments);
    return view;
}

} // namespace mailroom
