// Logging category of the DNS module (STYLE rule 10). Debug level only: a
// lookup is routine, its consumer decides what is worth an event.
// Trust level: internal.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcDns)
