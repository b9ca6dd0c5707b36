// Logging category of the DNS module, "mailroom.dns", quiet unless debug is
// enabled (QT_LOGGING_RULES="mailroom.dns.debug=true").
// Trust level: internal.
#include "dns/logging.h"

Q_LOGGING_CATEGORY(lcDns, "mailroom.dns", QtInfoMsg)
