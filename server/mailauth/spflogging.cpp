// Logging categories of SPF and DMARC, quiet unless debug is enabled
// (QT_LOGGING_RULES="mailroom.mailauth.*.debug=true").
// Trust level: internal.
#include "mailauth/spflogging.h"

Q_LOGGING_CATEGORY(lcSpf, "mailroom.mailauth.spf", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDmarc, "mailroom.mailauth.dmarc", QtInfoMsg)
