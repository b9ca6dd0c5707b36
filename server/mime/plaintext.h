// The readable text of a message for spam tokenizing and archive search:
// text/plain parts decoded, text/html parts with tags stripped.
// RFC 2046 §5.1.4 (alternative: the plain version is preferred),
// RFC 2045 §6 (transfer encodings), HTML character references.
// Trust level: parses input from the Internet; output bounded.
#pragma once

#include <QByteArray>
#include <QString>

namespace mailroom::mime
{

struct Part;

// At most about maxBytes characters of text from the message's inline text
// parts, in tree order. Attachments (Content-Disposition: attachment) are skipped.
QString plainText(const QByteArray &msg, qsizetype maxBytes);
// The same for a message already parsed (root from parseMessage(msg)).
QString plainText(const QByteArray &msg, const Part &root, qsizetype maxBytes);

// Text of an HTML fragment: tags, comments, <script> and <style> removed;
// &amp; &lt; &gt; &quot; &apos; &nbsp; &#NN; &#xHH; decoded; <br>, <p>, <div>,
// <tr>, <li> and headings become line breaks.
QString htmlToText(const QString &html);

} // namespace mailroom::mime
