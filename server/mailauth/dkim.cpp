// DKIM verification: parse the DKIM-Signature fields, fetch each key from DNS,
// compare the body hash and check the signature. RFC 6376 §6.1 (verifier
// actions), §6.1.2 (key retrieval and its failures), §3.5 (l=, x=), §3.6.1
// (key records), RFC 8601 §2.7.1 (results). Signing is in dkimsign.cpp.
// Trust level: input from the Internet. At most maxSignatures fields are
// checked, the header block and every tag list and key are bounded, and one
// body hash is computed per canonicalization and l= (shared by signatures).
#include "mailauth/dkim.h"

#include <memory>

#include <QDateTime>
#include <QTimer>

#include "mailauth/dkimcanon.h"
#include "mailauth/dkimcrypto.h"
#include "mailauth/dkimtags.h"
#include "mime/headers.h"

namespace mailroom::mailauth
{

using namespace dkim;

namespace
{

constexpr qsizetype kMaxHeaderBytes = 1024 * 1024; // a header block beyond this is not checked
constexpr int kMaxKeyRecords = 5; // TXT records tried at one key name
constexpr int kHardMaxSignatures = 50; // cap on a caller-supplied maxSignatures

struct Job {
    DkimSignatureResult result;
    Signature sig;
    qsizetype field = -1; // index into State::fields
};

struct CachedBodyHash {
    bool relaxed;
    qint64 limit;
    BodyHash hash;
};

struct State {
    QByteArray message;
    QList<mime::HeaderField> fields;
    qsizetype bodyOffset = 0;
    QList<Job> jobs;
    QList<CachedBodyHash> bodyHashes;
    DkimVerification out;
    std::function<void(const DkimVerification &)> done;
    qint64 now = 0;
    int pending = 0;
    bool inCall = true;
    bool finished = false;
};

void setResult(Job &job, DkimResult result, const QString &reason)
{
    job.result.result = result;
    job.result.reason = reason;
}

void finish(const std::shared_ptr<State> &st)
{
    if (st->finished)
        return;
    st->finished = true;
    for (const Job &job : std::as_const(st->jobs))
        st->out.signatures.append(job.result);
    if (st->inCall) {
        // Never inside verifyDkim: the caller may not be ready for the answer.
        QTimer::singleShot(0, [st] { st->done(st->out); });
        return;
    }
    st->done(st->out);
}

const BodyHash &bodyHashFor(State &st, bool relaxed, qint64 limit)
{
    for (const CachedBodyHash &c : std::as_const(st.bodyHashes))
        if (c.relaxed == relaxed && c.limit == limit)
            return c.hash;
    const QByteArrayView body = QByteArrayView(st.message).sliced(st.bodyOffset);
    st.bodyHashes.append(CachedBodyHash { relaxed, limit, bodyHash(body, relaxed, limit) });
    return st.bodyHashes.last().hash;
}

// §6.1.2 step 3 onwards and §6.1.3, with the key record in hand.
void checkWithKey(State &st, Job &job, const KeyRecord &record)
{
    const Signature &sig = job.sig;
    job.result.testing = record.testing;
    if (record.publicKey.isEmpty())
        return setResult(job, DkimResult::PermError, QStringLiteral("key revoked"));
    const KeyType wanted = sig.algorithm == Algorithm::Ed25519Sha256 ? KeyType::Ed25519 : KeyType::Rsa;
    if (record.type != wanted)
        return setResult(job, DkimResult::PermError, QStringLiteral("key type does not match a="));
    if (record.strict && sig.identityDomain != sig.domain)
        return setResult(job, DkimResult::PermError, QStringLiteral("key has t=s but i= is a subdomain of d="));
    auto key = PublicKey::fromRecord(record.type, record.publicKey);
    if (!key)
        return setResult(job, DkimResult::PermError, key.error().message);
    job.result.keyBits = key->bits();

    const BodyHash &bh = bodyHashFor(st, sig.relaxedBody, sig.bodyLength);
    if (sig.bodyLength >= 0) {
        if (sig.bodyLength > bh.canonicalLength)
            return setResult(job, DkimResult::PermError, QStringLiteral("l= is longer than the body"));
        job.result.unsignedBodyBytes = bh.canonicalLength - sig.bodyLength;
    }
    if (bh.sha256 != sig.bodyHash)
        return setResult(job, DkimResult::Fail, QStringLiteral("body hash mismatch"));

    // §3.7: the fields of h=, then this field with the value of b= removed.
    const mime::HeaderField &f = st.fields[job.field];
    const QByteArrayView raw = QByteArrayView(st.message).sliced(f.rawStart, f.rawEnd - f.rawStart);
    QByteArray ownField = raw.first(sig.bValueStart).toByteArray();
    ownField += raw.sliced(sig.bValueEnd);
    QByteArray data = signedHeaderData(st.message, st.fields, sig.headers, sig.relaxedHeader);
    data += signatureFieldData(ownField, sig.relaxedHeader);
    if (!key->verify(data, sig.signature))
        return setResult(job, DkimResult::Fail, QStringLiteral("signature did not verify"));

    QString reason;
    if (job.result.unsignedBodyBytes > 0)
        reason = QStringLiteral("l= leaves %1 body bytes unsigned").arg(job.result.unsignedBodyBytes);
    setResult(job, DkimResult::Pass, reason);
}

void onKey(const std::shared_ptr<State> &st, qsizetype index, const dns::Reply<QByteArray> &reply)
{
    Job &job = st->jobs[index];
    switch (reply.rcode) {
    case dns::Rcode::TempFail:
    case dns::Rcode::Malformed:
        setResult(job, DkimResult::TempError, QStringLiteral("key lookup failed temporarily"));
        break;
    case dns::Rcode::NxDomain:
    case dns::Rcode::NoData:
        setResult(job, DkimResult::PermError, QStringLiteral("key not found"));
        break;
    case dns::Rcode::Ok: {
        if (reply.records.isEmpty()) {
            setResult(job, DkimResult::PermError, QStringLiteral("key not found"));
            break;
        }
        // §6.1.2: with several records, use the first that is a key record.
        QString firstError;
        bool found = false;
        for (qsizetype i = 0; i < reply.records.size() && i < kMaxKeyRecords && !found; ++i) {
            auto record = parseKeyRecord(reply.records[i]);
            if (record) {
                found = true;
                checkWithKey(*st, job, record.value());
            } else if (firstError.isEmpty()) {
                firstError = record.error().message;
            }
        }
        if (!found)
            setResult(job, DkimResult::PermError, firstError);
        break;
    }
    }
    // RFC 6376 §3.6.1 t=y: "Verifiers MUST NOT treat messages from Signers in
    // testing mode differently from unsigned email": a failure is no verdict.
    if (job.result.testing && job.result.result == DkimResult::Fail) {
        job.result.result = DkimResult::Neutral;
        job.result.reason += QStringLiteral(" (key in testing mode)");
    }
    if (--st->pending == 0)
        finish(st);
}

void start(Lookup &dns, const std::shared_ptr<State> &st, int maxSignatures)
{
    mime::HeaderBlock block = mime::HeaderBlock::parse(st->message, &st->bodyOffset);
    const bool tooLarge = st->bodyOffset > kMaxHeaderBytes || block.droppedFields > 0;
    st->fields = std::move(block.fields);

    for (qsizetype i = 0; i < st->fields.size(); ++i) {
        const mime::HeaderField &f = st->fields[i];
        if (f.name.compare("dkim-signature", Qt::CaseInsensitive) != 0)
            continue;
        if (st->jobs.size() >= maxSignatures) {
            ++st->out.notChecked;
            continue;
        }
        Job job;
        job.field = i;
        SignatureInfo info;
        const QByteArrayView raw = QByteArrayView(st->message).sliced(f.rawStart, f.rawEnd - f.rawStart);
        auto sig = parseSignature(raw, &info);
        job.result.domain = info.domain;
        job.result.selector = info.selector;
        job.result.algorithm = info.algorithm;
        job.result.identity = info.identity;
        if (tooLarge) {
            setResult(job, DkimResult::PermError, QStringLiteral("header too large to check"));
        } else if (!sig) {
            setResult(job, DkimResult::PermError, sig.error().message);
        } else {
            job.sig = std::move(sig.value());
            job.result.bodyLength = job.sig.bodyLength;
            // §3.5 x=: "Signatures MAY be considered invalid if the verification
            // time at the Verifier is past the expiration date."
            if (job.sig.expiry >= 0 && st->now > job.sig.expiry)
                setResult(job, DkimResult::PermError, QStringLiteral("signature expired"));
            else if (job.sig.selector.size() + job.sig.domain.size() + 12 > 253) // RFC 1035 §2.3.4
                setResult(job, DkimResult::PermError, QStringLiteral("key name too long"));
            else
                setResult(job, DkimResult::None, QString()); // decided when the key arrives
        }
        st->jobs.append(std::move(job));
    }

    // Count first, then ask: a callback may never see pending reach zero early.
    QList<qsizetype> asking;
    for (qsizetype i = 0; i < st->jobs.size(); ++i)
        if (st->jobs[i].result.result == DkimResult::None)
            asking.append(i);
    st->pending = int(asking.size());
    for (qsizetype i : std::as_const(asking)) {
        const Signature &sig = st->jobs[i].sig;
        const QString name = sig.selector + QStringLiteral("._domainkey.") + sig.domain;
        dns.txt(name, [st, i](const dns::Reply<QByteArray> &reply) { onKey(st, i, reply); });
    }
}

} // namespace

const char *dkimResultName(DkimResult result)
{
    switch (result) {
    case DkimResult::None:
        return "none";
    case DkimResult::Pass:
        return "pass";
    case DkimResult::Fail:
        return "fail";
    case DkimResult::Neutral:
        return "neutral";
    case DkimResult::TempError:
        return "temperror";
    case DkimResult::PermError:
        return "permerror";
    }
    return "permerror";
}

DkimResult DkimVerification::best() const
{
    const auto rank = [](DkimResult r) {
        switch (r) {
        case DkimResult::Pass:
            return 5;
        case DkimResult::Fail:
            return 4;
        case DkimResult::TempError:
            return 3;
        case DkimResult::PermError:
            return 2;
        case DkimResult::Neutral:
            return 1;
        case DkimResult::None:
            break;
        }
        return 0;
    };
    DkimResult best = DkimResult::None;
    for (const DkimSignatureResult &s : signatures)
        if (rank(s.result) > rank(best))
            best = s.result;
    return best;
}

void verifyDkim(Lookup &dns, const QByteArray &message, std::function<void(const DkimVerification &)> done)
{
    verifyDkim(dns, message, std::move(done), DkimVerifyOptions());
}

void verifyDkim(Lookup &dns,
    const QByteArray &message,
    std::function<void(const DkimVerification &)> done,
    const DkimVerifyOptions &opts)
{
    auto st = std::make_shared<State>();
    st->message = message;
    st->done = std::move(done);
    st->now = opts.now > 0 ? opts.now : QDateTime::currentSecsSinceEpoch();
    start(dns, st, qBound(0, opts.maxSignatures, kHardMaxSignatures));
    if (st->pending == 0)
        finish(st); // deferred to the event loop: still inside the call
    st->inCall = false;
}

} // namespace mailroom::mailauth
