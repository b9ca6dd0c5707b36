// SPF macro strings: syntax checks and expansion (RFC 7208 §7.1-§7.4) and the
// domain-spec rule with its domain-end (RFC 7208 §4.8, §7.1, ABNF of §12).
// Pure functions, no I/O: the evaluator (spf.cpp) hands in every value,
// including %{p}, which it validated through DNS beforehand.
// Trust level: the strings come from DNS records published by anyone; the
// values from the SMTP client. Expansion is bounded (maxMacroExpansion).
#pragma once

#include <optional>

#include <QHostAddress>
#include <QString>
#include <QStringView>

namespace mailroom::mailauth
{

// Where a macro-string appears, which decides the letters and characters allowed.
enum class SpfMacroUse {
    DomainSpec, // a mechanism or redirect/exp target: s l o d i p v h (c r t only in exp text, §7.2)
    ModifierValue, // the value of an unknown modifier: any macro letter, never expanded
    Explanation, // the TXT text fetched for exp=: any letter, and spaces (explain-string)
};

// An expansion longer than this is refused (a hostile record could otherwise
// ask for %{s} thousands of times).
inline constexpr qsizetype maxMacroExpansion = 8192;
inline constexpr qsizetype maxDomainNameLength = 253;

struct SpfMacroValues {
    QString sender; // s: <sender>, "postmaster@helo" for a null MAIL FROM
    QString local; // l: local-part of <sender>
    QString senderDomain; // o: domain of <sender>
    QString domain; // d: the <domain> being checked now
    QHostAddress ip; // i, v and c: the client, IPv4 when it was IPv4-mapped
    QString validatedName; // p: the validated domain name of <ip>; "" means "unknown"
    QString helo; // h
    QString receiver; // r: "" means "unknown"
    qint64 timestamp = 0; // t: seconds since the epoch
};

// True when `s` is a macro-string (with a domain-end for DomainSpec) that
// expandSpfMacros() accepts for `use`.
bool isValidSpfMacroString(QStringView s, SpfMacroUse use);

// True when `s` holds a macro with this letter (case-insensitive), so the
// caller knows it must fetch that value first (%{p} needs DNS).
bool spfMacroUsesLetter(QStringView s, char16_t letter);

// Expands macros. nullopt on a syntax error or when the result would exceed
// maxMacroExpansion characters.
std::optional<QString> expandSpfMacros(QStringView s, const SpfMacroValues &values, SpfMacroUse use);

// Expands a domain-spec into the <target-name> to look up: the trailing dot
// removed and, when longer than 253 characters, labels dropped from the left
// until it fits (§7.3). nullopt on a syntax error or when nothing is left.
std::optional<QString> expandSpfDomainSpec(QStringView spec, const SpfMacroValues &values);

// The dotted nibbles of an IPv6 address ("2.0.0.1.0.d.b.8. ..."), the value
// of %{i} for IPv6 (§7.3); the dotted quad for IPv4.
QString spfMacroIp(const QHostAddress &ip);

} // namespace mailroom::mailauth
