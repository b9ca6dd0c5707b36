// DKIM signing and keys: making key pairs, the TXT record to publish, and the
// DKIM-Signature field for an outgoing message. RFC 6376 §5 (signer actions),
// §3.5 (tags), §3.7 (hashes), §8.15 (oversigning); RFC 8463 §4 (Ed25519
// keys in DNS); RFC 8301 §3.2 (RSA key sizes).
// Trust level: signs our own outgoing mail with our keys; the message may
// still come from a local user, so its header is parsed with the bounded parser.
#include <QDateTime>

#include "mailauth/dkim.h"
#include "mailauth/dkimcanon.h"
#include "mailauth/dkimcrypto.h"
#include "mailauth/dkimtags.h"
#include "mime/headers.h"

namespace mailroom::mailauth
{

using namespace dkim;

namespace
{

constexpr qsizetype kFoldColumn = 76; // dkimpy folds at 72, RFC 5322 §2.1.1 asks for at most 78

Error invalid(const QString &sentence)
{
    return Error(ErrorCode::InvalidArgument, sentence);
}

bool isAscii(const QString &s)
{
    for (QChar c : s)
        if (c.unicode() > 0x7e || c.unicode() < 0x21)
            return false;
    return true;
}

Status checkNames(const QString &domain, const QString &selector)
{
    if (!isAscii(domain) || !isDnsName(domain.toLatin1(), true))
        return invalid(
            QStringLiteral("The DKIM domain \"%1\" is not a DNS name in ASCII (use the A-label).").arg(domain));
    if (!isAscii(selector) || !isDnsName(selector.toLatin1(), false))
        return invalid(QStringLiteral("The DKIM selector \"%1\" is not a DNS name.").arg(selector));
    return {};
}

KeyType keyTypeOf(DkimKeyType type)
{
    return type == DkimKeyType::Ed25519 ? KeyType::Ed25519 : KeyType::Rsa;
}

// Folds at existing spaces only: a fold turns " " into "\r\n ", which both
// canonicalizations read back as the same bytes (relaxed unfolds it, simple
// hashes the field as written, after folding).
QByteArray foldAtSpaces(const QByteArray &line, qsizetype *lastLineLength)
{
    QByteArray out;
    qsizetype column = 0;
    const QList<QByteArray> words = line.split(' ');
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QByteArray &w = words[i];
        if (i == 0) {
            out += w;
            column = w.size();
        } else if (column + 1 + w.size() > kFoldColumn) {
            out += "\r\n ";
            out += w;
            column = 1 + w.size();
        } else {
            out += ' ';
            out += w;
            column += 1 + w.size();
        }
    }
    *lastLineLength = column;
    return out;
}

// b= goes after "b=": the rest of the current line, then whole lines. Folds
// inside the value are free: a verifier removes it with its whitespace (§3.7).
QByteArray foldSignature(const QByteArray &b64, qsizetype column)
{
    QByteArray out;
    qsizetype pos = 0;
    qsizetype room = qMax(qsizetype(0), kFoldColumn - column);
    while (pos < b64.size()) {
        if (room <= 0) {
            out += "\r\n ";
            room = kFoldColumn - 1;
        }
        const qsizetype n = qMin(room, b64.size() - pos);
        out += b64.mid(pos, n);
        pos += n;
        room -= n;
    }
    return out;
}

} // namespace

QString dkimKeyName(const DkimKey &key)
{
    return key.selector.toLower() + QStringLiteral("._domainkey.") + key.domain.toLower();
}

Result<DkimKey> generateDkimKey(DkimKeyType type, const QString &domain, const QString &selector)
{
    if (Status names = checkNames(domain, selector); !names)
        return names.error();
    auto key = PrivateKey::generate(keyTypeOf(type), 2048);
    if (!key)
        return key.error();
    DkimKey out;
    out.type = type;
    out.privatePem = key->toPem();
    out.domain = domain.toLower();
    out.selector = selector.toLower();
    if (out.privatePem.isEmpty())
        return Error(ErrorCode::Internal, QStringLiteral("Writing the DKIM key as PEM failed (OpenSSL)."));
    return out;
}

QByteArray dkimDnsRecord(const DkimKey &key)
{
    auto pk = PrivateKey::fromPem(key.privatePem);
    if (!pk)
        return QByteArray();
    const QByteArray data = pk->publicKeyData();
    if (data.isEmpty())
        return QByteArray();
    return QByteArray("v=DKIM1; k=") + (pk->type() == KeyType::Ed25519 ? "ed25519" : "rsa") + "; p=" + data.toBase64();
}

/*
 * RFC 6376 §5: pick the fields (§5.4; From is required, §5.4.2 instances are
 * taken bottom-up, so naming a field n times signs its last n instances),
 * hash the canonical body (§5.3, §3.7), write the field with an empty b=,
 * hash the fields and that field (§3.7), sign, and put the base64 signature
 * into b=. Tag order and the " : " between h= names follow RFC 8463's
 * example (and dkimpy), so that the example's signature is reproduced.
 */
Result<QByteArray> signDkim(const DkimKey &key, const QByteArray &message, const DkimSignOptions &opts)
{
    if (Status names = checkNames(key.domain, key.selector); !names)
        return names.error();
    const QByteArray domain = key.domain.toLower().toLatin1();
    const QByteArray selector = key.selector.toLower().toLatin1();
    auto pk = PrivateKey::fromPem(key.privatePem);
    if (!pk)
        return pk.error();
    if (pk->type() != keyTypeOf(key.type))
        return invalid(QStringLiteral("The DKIM key's PEM does not hold the key type it is declared as."));

    qsizetype bodyOffset = 0;
    const mime::HeaderBlock block = mime::HeaderBlock::parse(message, &bodyOffset);
    if (block.droppedFields > 0)
        return Error(ErrorCode::TooLarge, QStringLiteral("The message has too many header fields to sign."));
    const auto count = [&block](const QByteArray &name) {
        int n = 0;
        for (const mime::HeaderField &f : block.fields)
            n += f.name.compare(name, Qt::CaseInsensitive) == 0 ? 1 : 0;
        return n;
    };
    if (count("from") != 1)
        return invalid(QStringLiteral("The message needs exactly one From field to be signed."));

    // h=: every present instance of the listed fields, then one more of each
    // oversigned name.
    QList<QByteArray> listed;
    for (const QStringList *list : { &opts.headers, &opts.oversign }) {
        for (const QString &name : *list) {
            const QByteArray n = name.trimmed().toLower().toLatin1();
            if (n.isEmpty() || n.contains(':') || n.contains(' ') || !isAscii(name.trimmed()))
                return invalid(QStringLiteral("\"%1\" is not a header field name.").arg(name));
            if (!listed.contains(n))
                listed.append(n);
        }
    }
    QList<QByteArray> names;
    for (const QByteArray &n : std::as_const(listed))
        for (int i = count(n); i > 0; --i)
            names.append(n);
    for (const QString &name : opts.oversign)
        names.append(name.trimmed().toLower().toLatin1());
    if (!names.contains("from"))
        return invalid(QStringLiteral("The From field must be signed."));
    if (names.size() > kMaxSignedFields)
        return invalid(QStringLiteral("Too many header fields to sign."));

    QByteArray identity;
    if (!opts.identity.isEmpty()) {
        identity = opts.identity.toUtf8();
        const qsizetype at = identity.lastIndexOf('@');
        const QByteArray idDomain = at < 0 ? QByteArray() : identity.mid(at + 1).toLower();
        if (at < 0 || identity.contains(';') || identity.contains(' ')
            || (idDomain != domain && !idDomain.endsWith(QByteArray(QByteArray(".") + domain))))
            return invalid(
                QStringLiteral("The DKIM identity must be an address in %1 or a subdomain of it.").arg(key.domain));
    }

    const qint64 t = opts.timestamp > 0 ? opts.timestamp : QDateTime::currentSecsSinceEpoch();
    const BodyHash bh = bodyHash(QByteArrayView(message).sliced(bodyOffset), opts.relaxedBody);

    QByteArray field = "DKIM-Signature: v=1; a=";
    field += pk->type() == KeyType::Ed25519 ? "ed25519-sha256" : "rsa-sha256";
    field += "; c=";
    field += opts.relaxedHeader ? "relaxed/" : "simple/";
    field += opts.relaxedBody ? "relaxed" : "simple";
    field += "; d=" + domain;
    if (!identity.isEmpty())
        field += "; i=" + identity;
    if (opts.queryTag)
        field += "; q=dns/txt";
    field += "; s=" + selector;
    field += "; t=" + QByteArray::number(t);
    if (opts.expireAfter > 0)
        field += "; x=" + QByteArray::number(t + opts.expireAfter);
    if (opts.bodyLengthTag)
        field += "; l=" + QByteArray::number(bh.canonicalLength);
    field += "; h=" + names.join(" : ");
    field += "; bh=" + bh.sha256.toBase64();
    field += "; b=";
    qsizetype column = 0;
    QByteArray folded = foldAtSpaces(field, &column);

    QByteArray data = signedHeaderData(message, block.fields, names, opts.relaxedHeader);
    data += signatureFieldData(folded, opts.relaxedHeader);
    auto signature = pk->sign(data);
    if (!signature)
        return signature.error();
    folded += foldSignature(signature->toBase64(), column);
    folded += "\r\n";
    return folded;
}

} // namespace mailroom::mailauth
