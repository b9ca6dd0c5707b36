// DMARC: does the RFC5322.From domain ask for a policy, and do the SPF and
// DKIM results authenticate an identifier aligned with it? RFC 7489 §3.1
// (alignment), §3.2 (Organizational Domain, from libpsl's Public Suffix List),
// §6.3-§6.4 (record format), §6.6.3 (policy discovery), §6.6.4 (pct sampling).
// Results only: the spam stage turns them into tags; no reports are sent.
// Trust level: records come from DNS published by anyone, the From domain
// from the message: both are bounded and validated here.
#pragma once

#include <functional>
#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include "mailauth/spf.h"

namespace mailroom::mailauth
{

class Lookup;

// A DMARC record longer than this is not read (real ones are under 300 octets).
inline constexpr qsizetype maxDmarcRecordLength = 4096;
// Report URIs kept per tag; the rest are dropped.
inline constexpr qsizetype maxDmarcReportUris = 16;

struct DmarcRecord {
    QString policy; // p: "none", "quarantine" or "reject"
    QString subdomainPolicy; // sp: the same words, "" when absent (p applies)
    bool strictSpf = false; // aspf=s
    bool strictDkim = false; // adkim=s
    int percent = 100; // pct: 0-100
    QStringList rua; // syntactically valid aggregate report URIs, as written (with any "!size")
    QStringList ruf; // the same for failure reports
    QString failureOptions = QStringLiteral("0"); // fo, as written
    int reportInterval = 86400; // ri, seconds
};

// True when the TXT record starts with the tag "v=DMARC1" (§6.6.3 steps 2, 4).
bool isDmarcRecord(QByteArrayView txt);

// Parses a record: "v=DMARC1" first, then tags in any order, unknown tags
// ignored, bad optional values replaced by their defaults (§6.3). Without a
// valid p= (or with an invalid sp=) the record still counts as p=none when it
// has a valid rua= URI (§6.6.3 step 6); otherwise nullopt.
std::optional<DmarcRecord> parseDmarcRecord(const QByteArray &txt);

// The Organizational Domain (§3.2): the registrable domain by the Public
// Suffix List built into libpsl, lower-case, in A-labels, without a trailing
// dot. A public suffix itself is returned unchanged; "" for a malformed name.
QString organizationalDomain(const QString &domain);

enum class DmarcResult { None, Pass, Fail, TempError, PermError };

// "none", "pass", "fail", "temperror", "permerror" (RFC 8601 §2.7.x words).
QString dmarcResultName(DmarcResult result);

struct DmarcInput {
    QString fromDomain; // RFC5322.From domain
    SpfResult spf = SpfResult::None;
    QString spfDomain; // the domain SPF checked (SpfOutcome::domain: MAIL FROM, or HELO for <>)
    struct Dkim {
        QString domain; // d= of a signature
        bool pass = false;
    };
    QList<Dkim> dkim;
};

struct DmarcOutcome {
    DmarcResult result = DmarcResult::None;
    // The policy for this message: p= (or sp= when the record was found at the
    // Organizational Domain of a subdomain), lowered one step when a failing
    // message fell outside pct= (§6.6.4). "none" when there is no record.
    QString policy = QStringLiteral("none");
    QString recordDomain; // where the record was found (without "_dmarc."), "" if none
    bool spfAligned = false;
    bool dkimAligned = false;
    bool sampledOut = false; // failed, but pct= left the message out of the policy
    DmarcRecord record; // the record used, for reports and headers
    QString explanation; // our words for logs and Authentication-Results comments
};

struct DmarcOptions {
    // Decides whether a failing message is in the pct= sample: called with the
    // pct= value when it is below 100; true means the policy applies.
    // Default: a uniform random draw.
    std::function<bool(int percent)> sample;
};

// done is called exactly once, later from the event loop of the calling
// thread. The check keeps itself alive until then; `dns` must outlive it.
void checkDmarc(Lookup &dns, const DmarcInput &in, std::function<void(const DmarcOutcome &)> done);
void checkDmarc(
    Lookup &dns, const DmarcInput &in, const DmarcOptions &options, std::function<void(const DmarcOutcome &)> done);

} // namespace mailroom::mailauth
