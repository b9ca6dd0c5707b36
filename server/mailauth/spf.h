// SPF: is the SMTP client allowed to send mail for the MAIL FROM (or HELO)
// domain? check_host() of RFC 7208 §4, run asynchronously over mailauth::Lookup:
// record selection (§4.5), mechanisms and modifiers (§5, §6), macros (§7), the
// DNS limits (§4.6.4) and the HELO identity for a null sender (§2.3, §2.4).
// The record grammar is in spfrecord.h, macro expansion in spfmacro.h.
// Trust level: evaluates records published by anyone on the Internet for a
// client that may be hostile; every loop and every DNS question is bounded.
#pragma once

#include <functional>

#include <QHostAddress>
#include <QString>

namespace mailroom::mailauth
{

class Lookup;

enum class SpfResult { None, Neutral, Pass, Fail, SoftFail, TempError, PermError };

// "none", "neutral", "pass", "fail", "softfail", "temperror", "permerror"
// (RFC 7208 §2.6, the words of Received-SPF and Authentication-Results).
QString spfResultName(SpfResult result);

struct SpfRequest {
    QHostAddress client; // the SMTP client; an IPv4-mapped IPv6 address counts as IPv4
    QString helo; // the HELO/EHLO argument
    QString sender; // MAIL FROM address, empty for <>
    QString receiver; // our host name, for %{r}
};

struct SpfOutcome {
    SpfResult result = SpfResult::None;
    QString domain; // the domain checked (ACE, lower-case when it was valid)
    QString identity; // "mailfrom" or "helo"
    QString explanation; // our own words for Received-SPF comments and logs
    int dnsLookups = 0; // terms that caused DNS lookups (§4.6.4), includes and redirects counted
    QString mechanism; // the term that matched ("ip4:192.0.2.0/24"), empty if none did
    // The expanded exp= text of the domain for a "fail" (§6.2): printable ASCII,
    // at most SpfOptions::maxExplanationLength. Untrusted words of the sender's
    // domain, fit for a 550 reply text only after the caller's own checks.
    QString senderExplanation;
};

// Limits; the defaults are those of RFC 7208 §4.6.4 and §11.1.
struct SpfOptions {
    int maxDnsTerms = 10; // include, a, mx, ptr, exists, redirect; one more is permerror
    int maxVoidLookups = 2; // answers with no records or NXDOMAIN; one more is permerror
    int maxMxNames = 10; // per mx mechanism; more is permerror
    int maxPtrNames = 10; // per ptr mechanism or %{p}; the rest are ignored
    int deadlineMs = 20000; // the whole check; temperror when reached, 0 = none
    int maxRecordLength = 4096; // octets of one SPF record; longer is permerror
    int maxExplanationLength = 512; // characters of senderExplanation; longer is dropped
};

// Checks the MAIL FROM identity, or "postmaster@<helo>" with identity "helo"
// when the sender is empty (RFC 7208 §2.4). done is called exactly once,
// later from the event loop of the calling thread. The check keeps itself
// alive until then; `dns` must outlive it.
void checkSpf(Lookup &dns, const SpfRequest &req, std::function<void(const SpfOutcome &)> done);
void checkSpf(
    Lookup &dns, const SpfRequest &req, const SpfOptions &options, std::function<void(const SpfOutcome &)> done);

// Checks the HELO identity alone (RFC 7208 §2.3), whatever the sender is.
void checkSpfHelo(
    Lookup &dns, const SpfRequest &req, const SpfOptions &options, std::function<void(const SpfOutcome &)> done);

} // namespace mailroom::mailauth
