// Logging categories of the modules that have no protocol of their own.
// Each module declares its category in its own logging.h; these are base's.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcBase)
