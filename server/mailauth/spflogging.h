// Logging categories of SPF and DMARC (STYLE rule 10): "mailroom.mailauth.spf"
// and "mailroom.mailauth.dmarc". Debug level only: a check is routine, the spam
// stage decides what becomes an event.
// Trust level: internal. Domains and terms in log lines come from DNS: they
// are logged quoted and bounded by the record parsers.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcSpf)
Q_DECLARE_LOGGING_CATEGORY(lcDmarc)
