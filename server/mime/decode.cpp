// Transfer decoders: base64 and quoted-printable, both lenient the way
// deployed MUAs are, and both linear with output no larger than the input.
// RFC 2045 §6.7, §6.8; RFC 2047 §4.2.
// Trust level: parses input from the Internet.
#include "mime/decode.h"

#include "mime/charset.h"

namespace mailroom::mime
{

namespace
{

int base64Value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10; // lowercase is not allowed by §6.7 but is common
    return -1;
}

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

} // namespace

/*
 * RFC 2045 §6.8: "Any characters outside of the base64 alphabet are to be
 * ignored in base64-encoded data." "=" marks the end of the data.
 */
QByteArray decodeBase64(const QByteArray &in)
{
    QByteArray out;
    out.reserve(in.size() / 4 * 3 + 3);
    quint32 acc = 0;
    int bits = 0;
    for (char c : in) {
        if (c == '=')
            break;
        const int v = base64Value(c);
        if (v < 0)
            continue;
        acc = (acc << 6) | quint32(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.append(char((acc >> bits) & 0xff));
        }
    }
    return out;
}

/*
 * RFC 2045 §6.7:
 *   qp-line      := *(qp-segment transport-padding CRLF) qp-part transport-padding
 *   qp-segment   := qp-section *(SPACE / TAB) "="      ; soft line break
 *   hex-octet    := "=" 2(DIGIT / "A" / "B" / "C" / "D" / "E" / "F")
 *   transport-padding := *LWSP-char                     ; must be ignored
 */
QByteArray decodeQuotedPrintable(const QByteArray &in, bool qEncoding)
{
    QByteArray out;
    out.reserve(in.size());
    const qsizetype n = in.size();
    const char *s = in.constData();
    qsizetype i = 0;
    while (i < n) {
        const char c = s[i];
        if (c == '=') {
            if (i + 2 < n && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
                out.append(char(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2])));
                i += 3;
                continue;
            }
            // Soft line break: "=" then optional padding then CRLF, LF or end.
            qsizetype j = i + 1;
            while (j < n && isWsp(s[j]))
                ++j;
            if (j == n) {
                i = j;
                continue;
            }
            if (s[j] == '\n' || (s[j] == '\r' && j + 1 < n && s[j + 1] == '\n')) {
                i = j + (s[j] == '\r' ? 2 : 1);
                continue;
            }
            out.append('='); // a bad escape stays as written
            ++i;
            continue;
        }
        if (isWsp(c) && !qEncoding) {
            // Trailing whitespace before a line end was added in transit: drop it.
            qsizetype j = i;
            while (j < n && isWsp(s[j]))
                ++j;
            if (j == n || s[j] == '\n' || (s[j] == '\r' && j + 1 < n && s[j + 1] == '\n')) {
                i = j;
                continue;
            }
            out.append(s + i, j - i);
            i = j;
            continue;
        }
        out.append(qEncoding && c == '_' ? ' ' : c);
        ++i;
    }
    return out;
}

QByteArray decodeTransfer(const QByteArray &body, const QByteArray &cte)
{
    const QByteArray enc = cte.trimmed().toLower();
    if (enc == "base64")
        return decodeBase64(body);
    if (enc == "quoted-printable")
        return decodeQuotedPrintable(body);
    return body;
}

QString toText(const QByteArray &bytes, const QByteArray &charset)
{
    if (auto text = decodeCharset(bytes, charset))
        return *text;
    return raw8bitToString(bytes);
}

} // namespace mailroom::mime
