// The SPF record grammar: which TXT records are SPF records (RFC 7208 §4.5)
// and the parse of one record into directives and modifiers (§4.6.1, §5, §6,
// ABNF of §12). Pure and I/O-free; spf.cpp evaluates the result.
// Trust level: parses TXT records published by anyone on the Internet. Any
// byte sequence is either a record or an error, never a crash; the length is
// bounded by the caller (SpfOptions::maxRecordLength).
#pragma once

#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QString>

#include "base/result.h"

namespace mailroom::mailauth
{

enum class SpfMechanism { All, Include, A, Mx, Ptr, Ip4, Ip6, Exists };

// The qualifier is the result when the mechanism matches (§4.6.2).
enum class SpfQualifier { Pass, Fail, SoftFail, Neutral };

struct SpfDirective {
    SpfQualifier qualifier = SpfQualifier::Pass;
    SpfMechanism mechanism = SpfMechanism::All;
    QString domainSpec; // include, a, mx, ptr, exists; empty = the current <domain>
    QHostAddress network; // ip4, ip6
    int cidr4 = 32; // ip4, and the IPv4 length of a and mx
    int cidr6 = 128; // ip6, and the IPv6 length of a and mx
    QString text; // the term as written, for logs and SpfOutcome::mechanism

    // True for the terms that count against the DNS limit (§4.6.4).
    bool needsDns() const;
};

struct SpfRecord {
    QList<SpfDirective> directives;
    QString redirect; // domain-spec of redirect=, empty if none
    QString explanation; // domain-spec of exp=, empty if none
    bool hasAll = false; // an "all" anywhere: redirect is then ignored (§6.1)
};

// True when the TXT record is an SPF version 1 record: "v=spf1" (any case)
// followed by a space or the end (§4.5). Records that are not are ignored.
bool isSpfRecord(QByteArrayView txt);

// A domain in the form SPF and DMARC compare and look up: A-labels (IDNA from
// U-labels), lower-case, no trailing dot; "" when it is no valid DNS name.
QString normalizeMailDomain(const QString &domain);

// Parses a record for which isSpfRecord() is true. An error (code
// InvalidArgument) means permerror; its message names the bad term.
Result<SpfRecord> parseSpfRecord(QByteArrayView txt);

} // namespace mailroom::mailauth
