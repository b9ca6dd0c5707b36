// RFC 2047 encoded words and RFC 2231 parameter values.
// RFC 2047 §2 (syntax), §4 (B and Q), §6.2 (joining adjacent words), §8
// (examples, used by the tests); RFC 2231 §3-§5; RFC 6532 §3.2.
// Trust level: parses input from the Internet. Each encoded word is searched
// for at most kMaxEncodedWord bytes, so decoding stays linear.
#include "mime/encodedword.h"

#include "mime/charset.h"
#include "mime/decode.h"
#include "mime/limits.h"

namespace mailroom::mime
{

namespace
{

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct EncodedWord {
    QByteArray charset;
    QByteArray bytes; // decoded
    qsizetype end = 0; // offset after "?="
};

/*
 * RFC 2047 §2:
 *   encoded-word = "=?" charset "?" encoding "?" encoded-text "?="
 *   charset = token    ; RFC 2231 §5 adds: charset ["*" language]
 *   encoding = token   ; "B" or "Q"
 *   encoded-text = 1*<Any printable ASCII character other than "?" or SPACE>
 */
bool parseEncodedWord(const QByteArray &s, qsizetype at, EncodedWord *word)
{
    const qsizetype n = qMin(s.size(), at + kMaxEncodedWord);
    if (at + 1 >= n || s.at(at) != '=' || s.at(at + 1) != '?')
        return false;
    qsizetype i = at + 2;
    const qsizetype csStart = i;
    while (i < n && s.at(i) != '?' && !isSpace(s.at(i)))
        ++i;
    if (i >= n || s.at(i) != '?' || i == csStart)
        return false;
    QByteArray charset = s.mid(csStart, i - csStart);
    if (const qsizetype star = charset.indexOf('*'); star >= 0)
        charset.truncate(star); // RFC 2231 §5 language suffix
    ++i;
    if (i + 1 >= n || s.at(i + 1) != '?')
        return false;
    const char enc = s.at(i);
    if (enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q')
        return false;
    i += 2;
    const qsizetype textStart = i;
    while (i < n && s.at(i) != '?' && !isSpace(s.at(i)))
        ++i;
    if (i + 1 >= n || s.at(i) != '?' || s.at(i + 1) != '=')
        return false;
    const QByteArray text = s.mid(textStart, i - textStart);
    word->charset = charset;
    word->bytes = (enc == 'B' || enc == 'b') ? decodeBase64(text) : decodeQuotedPrintable(text, true);
    word->end = i + 2;
    return true;
}

} // namespace

QString decodeUnstructured(const QByteArray &text)
{
    QString out;
    QByteArray plain; // raw bytes not yet emitted
    QByteArray pendingCharset; // charset of the joined encoded words not yet emitted
    QByteArray pendingBytes; // their decoded bytes (joined before conversion: words may split a character)
    QByteArray pendingRaw; // their text as written, for an unknown charset
    bool pending = false;
    auto flushWords = [&] {
        if (!pending)
            return;
        if (auto decoded = decodeCharset(pendingBytes, pendingCharset))
            out += *decoded;
        else
            out += raw8bitToString(pendingRaw);
        pending = false;
        pendingBytes.clear();
        pendingRaw.clear();
    };
    auto flushPlain = [&] {
        if (!plain.isEmpty())
            out += raw8bitToString(plain);
        plain.clear();
    };
    const qsizetype n = text.size();
    qsizetype i = 0;
    EncodedWord word;
    while (i < n) {
        if (text.at(i) == '=' && parseEncodedWord(text, i, &word)) {
            const QByteArray raw = text.mid(i, word.end - i);
            if (pending && word.charset.compare(pendingCharset, Qt::CaseInsensitive) == 0) {
                // §6.2: whitespace between adjacent encoded words is not displayed.
                pendingBytes += word.bytes;
                pendingRaw += plain + raw;
                plain.clear();
            } else {
                if (pending)
                    plain.clear(); // only whitespace since the last word
                flushWords();
                flushPlain();
                pending = true;
                pendingCharset = word.charset;
                pendingBytes = word.bytes;
                pendingRaw = raw;
            }
            i = word.end;
            continue;
        }
        if (pending && !isSpace(text.at(i))) {
            flushWords();
        }
        plain.append(text.at(i));
        ++i;
    }
    flushWords();
    flushPlain();
    return out;
}

namespace
{

struct ExtendedParam {
    bool single = false; // "name*=" without sections
    QByteArray singleValue;
    QMap<int, std::pair<bool, QByteArray>> sections; // index -> (extended, value)
};

// ext-octet = "%" 2(DIGIT / "A" / "B" / "C" / "D" / "E" / "F"); a bad escape stays literal.
int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

QByteArray percentDecode(const QByteArray &in)
{
    QByteArray out;
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        const int hi = i + 2 < in.size() && in.at(i) == '%' ? hexDigit(in.at(i + 1)) : -1;
        const int lo = hi >= 0 ? hexDigit(in.at(i + 2)) : -1;
        if (lo >= 0) {
            out.append(char(hi * 16 + lo));
            i += 2;
        } else {
            out.append(in.at(i));
        }
    }
    return out;
}

// extended-initial-value := [charset] "'" [language] "'" extended-other-values
QByteArray splitInitial(const QByteArray &value, QByteArray *charset)
{
    const qsizetype q1 = value.indexOf('\'');
    const qsizetype q2 = q1 < 0 ? -1 : value.indexOf('\'', q1 + 1);
    if (q2 < 0)
        return value; // no charset/language prefix: lenient, take the whole value
    *charset = value.left(q1);
    return value.mid(q2 + 1);
}

QByteArray toUtf8(const QByteArray &bytes, const QByteArray &charset)
{
    if (charset.isEmpty())
        return bytes;
    if (auto text = decodeCharset(bytes, charset))
        return text->toUtf8();
    return bytes;
}

} // namespace

/*
 * RFC 2231 §7:
 *   regular-parameter-name := attribute [section]
 *   section := initial-section / other-sections   ; "*0" / "*" 1-9 *DIGIT
 *   extended-initial-name := attribute [initial-section] "*"
 *   extended-other-names := attribute other-sections "*"
 */
QMap<QByteArray, QByteArray> combineParameters(const QList<std::pair<QByteArray, QByteArray>> &raw)
{
    QMap<QByteArray, QByteArray> plain;
    QMap<QByteArray, ExtendedParam> extended;
    for (const auto &[name, value] : raw) {
        const qsizetype star = name.indexOf('*');
        if (star <= 0) {
            if (star < 0 && !plain.contains(name))
                plain.insert(name, value);
            continue;
        }
        const QByteArray base = name.left(star);
        QByteArray rest = name.mid(star + 1);
        ExtendedParam &p = extended[base];
        if (rest.isEmpty()) {
            p.single = true;
            p.singleValue = value;
            continue;
        }
        const bool isExt = rest.endsWith('*');
        if (isExt)
            rest.chop(1);
        bool ok = false;
        const int index = rest.toInt(&ok);
        if (!ok || index < 0 || index >= kMaxParamSections || (rest.size() > 1 && rest.at(0) == '0'))
            continue;
        if (!p.sections.contains(index))
            p.sections.insert(index, { isExt, value });
    }
    for (auto it = extended.cbegin(); it != extended.cend(); ++it) {
        const ExtendedParam &p = it.value();
        QByteArray charset;
        QByteArray bytes;
        if (!p.sections.isEmpty() && p.sections.contains(0)) {
            for (int i = 0; p.sections.contains(i); ++i) {
                const auto &[isExt, value] = p.sections.value(i);
                if (!isExt)
                    bytes += value;
                else if (i == 0)
                    bytes += percentDecode(splitInitial(value, &charset));
                else
                    bytes += percentDecode(value);
            }
        } else if (p.single) {
            bytes = percentDecode(splitInitial(p.singleValue, &charset));
        } else {
            continue;
        }
        plain.insert(it.key(), toUtf8(bytes, charset));
    }
    return plain;
}

} // namespace mailroom::mime
