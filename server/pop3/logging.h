// Logging category of the POP3 module (operational messages go through the
// event catalog, base/events.h; this category is for developer traces).
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcPop3)
