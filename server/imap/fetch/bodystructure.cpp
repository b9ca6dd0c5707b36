// BODY / BODYSTRUCTURE rendering. Recursion follows the MIME tree, whose
// depth mime::parseMessage bounds (kHardMaxDepth).
// RFC 9051 §7.5.2, §9; RFC 2183 (disposition), RFC 3282 (Content-Language),
// RFC 2557 (Content-Location). A multipart without parts (no boundary found,
// or cut by the depth bound) gets one empty text/plain part, as in Dovecot:
// body-type-mpart needs at least one body. Trust level: internal.
#include "imap/fetch/bodystructure.h"

#include "imap/fetch/envelope.h"
#include "imap/fetch/format.h"

namespace mailroom::imap
{

namespace
{

const QByteArray kEmptyBody = QByteArrayLiteral("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)");
const QByteArray kEmptyBodyStructure
    = QByteArrayLiteral("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL)");

class Writer
{
public:
    Writer(bool extensible, bool utf8Ok)
        : m_extensible(extensible)
        , m_utf8Ok(utf8Ok)
    {
    }
    void body(const mime::Part &p);
    QByteArray out;

private:
    void multipart(const mime::Part &p);
    void single(const mime::Part &p);
    void params(const mime::Params &params, bool defaultCharset);
    void disposition(const mime::Part &p);
    void language(const QByteArray &value);
    QByteArray str(const QByteArray &s) const
    {
        return string(s, m_utf8Ok);
    }
    QByteArray nstr(const QByteArray &s) const
    {
        return s.isEmpty() ? QByteArrayLiteral("NIL") : string(s, m_utf8Ok);
    }

    bool m_extensible;
    bool m_utf8Ok;
};

const QByteArray kEmptyEnvelope = QByteArrayLiteral("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");

bool isMessage(const mime::Part &p)
{
    return p.contentType.type == "message" && (p.contentType.subtype == "rfc822" || p.contentType.subtype == "global");
}

// body = "(" (body-type-1part / body-type-mpart) ")"
void Writer::body(const mime::Part &p)
{
    out += '(';
    if (p.contentType.type == "multipart")
        multipart(p);
    else
        single(p);
    out += ')';
}

/*
 *   body-fld-param = "(" string SP string *(SP string SP string) ")" / nil
 * mime keeps names in lower case and sorted; Dovecot adds the default
 * charset for text parts that have none.
 */
void Writer::params(const mime::Params &params, bool defaultCharset)
{
    if (params.isEmpty() && !defaultCharset) {
        out += "NIL";
        return;
    }
    out += '(';
    bool first = true;
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        if (!first)
            out += ' ';
        first = false;
        out += str(it.key()) + ' ' + str(it.value());
    }
    if (defaultCharset)
        out += first ? "\"charset\" \"us-ascii\"" : " \"charset\" \"us-ascii\"";
    out += ')';
}

// body-fld-dsp = "(" string SP body-fld-param ")" / nil
void Writer::disposition(const mime::Part &p)
{
    if (p.disposition.isEmpty()) {
        out += "NIL";
        return;
    }
    out += '(' + str(p.disposition) + ' ';
    params(p.dispositionParams, false);
    out += ')';
}

// body-fld-lang = nstring / "(" string *(SP string) ")"
// Content-Language = 1#Language-tag (RFC 3282 §2): sent as a list, like Dovecot.
void Writer::language(const QByteArray &value)
{
    QList<QByteArray> tags;
    for (const QByteArray &tag : value.split(',')) {
        const QByteArray t = tag.trimmed();
        if (!t.isEmpty())
            tags.append(t);
    }
    if (tags.isEmpty()) {
        out += "NIL";
        return;
    }
    out += '(';
    for (qsizetype i = 0; i < tags.size(); ++i) {
        if (i > 0)
            out += ' ';
        out += str(tags.at(i));
    }
    out += ')';
}

/*
 *   body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
 *   body-ext-mpart  = body-fld-param [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]
 */
void Writer::multipart(const mime::Part &p)
{
    if (p.children.isEmpty())
        out += m_extensible ? kEmptyBodyStructure : kEmptyBody;
    for (const mime::Part &child : p.children)
        body(child);
    out += ' ' + str(p.contentType.subtype);
    if (!m_extensible)
        return;
    out += ' ';
    params(p.contentType.params, false);
    out += ' ';
    disposition(p);
    out += ' ';
    language(p.language);
    out += ' ' + nstr(p.location);
}

/*
 *   body-type-1part = (body-type-basic / body-type-msg / body-type-text) [SP body-ext-1part]
 *   body-type-basic = media-basic SP body-fields
 *   body-type-msg   = media-message SP body-fields SP envelope SP body SP body-fld-lines
 *   body-type-text  = media-text SP body-fields SP body-fld-lines
 *   body-fields     = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets
 *   body-ext-1part  = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]
 * A message/rfc822 part mime kept as a leaf (base64 or quoted-printable, or
 * below the depth bound) still gets body-type-msg, with an all-NIL envelope
 * and an empty body: clients expect both after "message" "rfc822".
 */
void Writer::single(const mime::Part &p)
{
    const bool text = p.contentType.type == "text";
    out += str(p.contentType.type) + ' ' + str(p.contentType.subtype) + ' ';
    params(p.contentType.params, text && !p.contentType.params.contains("charset"));
    out += ' ' + nstr(p.contentId) + ' ' + nstr(p.description) + ' ' + str(p.transferEncoding) + ' '
        + QByteArray::number(p.bodySize());
    if (text) {
        out += ' ' + QByteArray::number(p.bodyLines);
    } else if (isMessage(p)) {
        if (!p.children.isEmpty() && p.embeddedEnvelope) {
            out += ' ' + renderEnvelope(*p.embeddedEnvelope, m_utf8Ok) + ' ';
            body(p.children.first());
        } else {
            out += ' ' + kEmptyEnvelope + ' ' + (m_extensible ? kEmptyBodyStructure : kEmptyBody);
        }
        out += ' ' + QByteArray::number(p.bodyLines);
    }
    if (!m_extensible)
        return;
    out += ' ' + nstr(p.md5) + ' ';
    disposition(p);
    out += ' ';
    language(p.language);
    out += ' ' + nstr(p.location);
}

} // namespace

QByteArray renderBodyStructure(const mime::Part &root, const QByteArray &msg, bool extensible, bool utf8Ok)
{
    Q_UNUSED(msg);
    Writer w(extensible, utf8Ok);
    w.body(root);
    return w.out;
}

} // namespace mailroom::imap
