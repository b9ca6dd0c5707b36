// Checks and normalises domain names and mailbox addresses before they are
// stored. Trust level: input from admins (and later from SMTP peers).
//   Domain: RFC 5321 §4.1.2 — labels of letters, digits and hyphens, 1-63
//   octets, 255 in all; IDN names are stored in their ASCII (ACE) form.
//   Local part: RFC 5321 Dot-string = Atom *("." Atom), at most 64 octets;
//   quoted local parts are refused, UTF-8 letters are allowed (RFC 6531).
// Addresses are stored in lower case: mailboxes are case-insensitive here.
#pragma once

#include <QString>

#include "base/result.h"

namespace mailroom::store
{

struct Address {
    QString local; // empty for a catch-all "@domain"
    QString domain; // ACE, lower case

    QString text() const
    {
        return local + QLatin1Char('@') + domain;
    }
};

Result<QString> normalizeDomain(const QString &name);
// allowCatchAll: accept "@domain" (an empty local part).
Result<Address> parseAddress(const QString &text, bool allowCatchAll = false);

} // namespace mailroom::store
