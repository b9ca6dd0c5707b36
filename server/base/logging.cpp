#include "base/logging.h"

Q_LOGGING_CATEGORY(lcBase, "mailroom.base", QtInfoMsg)
