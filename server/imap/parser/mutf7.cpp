// Modified UTF-7 for mailbox names (RFC 3501 §5.1.3): printable US-ASCII
// stands for itself except "&", which is "&-"; other characters are UTF-16,
// base64 with "," for "/", no padding, between "&" and "-".
// Trust level: parses input from the Internet.
#include "imap/parser/mutf7.h"

#include <QList>

namespace mailroom::imap
{

namespace
{
const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == ',')
        return 63;
    return -1;
}

void flush(QByteArray *out, const QList<char16_t> &units)
{
    *out += '&';
    quint32 bits = 0;
    int n = 0;
    for (char16_t u : units) {
        bits = (bits << 16) | u;
        n += 16;
        while (n >= 6) {
            n -= 6;
            *out += kAlphabet[(bits >> n) & 0x3f];
        }
    }
    if (n > 0)
        *out += kAlphabet[(bits << (6 - n)) & 0x3f];
    *out += '-';
}
} // namespace

QByteArray encodeMutf7(const QString &name)
{
    QByteArray out;
    QList<char16_t> pending;
    for (QChar c : name) {
        const char16_t u = c.unicode();
        if (u >= 0x20 && u <= 0x7e) {
            if (!pending.isEmpty()) {
                flush(&out, pending);
                pending.clear();
            }
            out += char(u);
            if (u == '&')
                out += '-';
        } else {
            pending.append(u);
        }
    }
    if (!pending.isEmpty())
        flush(&out, pending);
    return out;
}

bool decodeMutf7(const QByteArray &wire, QString *out)
{
    QString result;
    qsizetype i = 0;
    while (i < wire.size()) {
        const char c = wire[i];
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u > 0x7e)
            return false;
        if (c != '&') {
            result += QLatin1Char(c);
            ++i;
            continue;
        }
        const qsizetype end = wire.indexOf('-', i + 1);
        if (end < 0)
            return false;
        if (end == i + 1) {
            result += QLatin1Char('&');
            i = end + 1;
            continue;
        }
        quint32 bits = 0;
        int n = 0;
        QString chunk;
        for (qsizetype k = i + 1; k < end; ++k) {
            const int v = value(wire[k]);
            if (v < 0)
                return false;
            bits = (bits << 6) | quint32(v);
            n += 6;
            if (n >= 16) {
                n -= 16;
                chunk += QChar(char16_t((bits >> n) & 0xffff));
            }
        }
        // Leftover bits are zero padding, fewer than 6 (RFC 2152).
        if (n >= 6 || (bits & ((1u << n) - 1)) != 0 || chunk.isEmpty())
            return false;
        for (QChar ch : chunk) {
            if (ch.unicode() >= 0x20 && ch.unicode() <= 0x7e)
                return false; // printable ASCII must not be encoded
        }
        // Surrogates must pair.
        for (qsizetype k = 0; k < chunk.size(); ++k) {
            if (chunk[k].isHighSurrogate()) {
                if (k + 1 >= chunk.size() || !chunk[k + 1].isLowSurrogate())
                    return false;
                ++k;
            } else if (chunk[k].isLowSurrogate()) {
                return false;
            }
        }
        result += chunk;
        i = end + 1;
    }
    *out = result;
    return true;
}

} // namespace mailroom::imap
