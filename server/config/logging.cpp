#include "config/logging.h"

Q_LOGGING_CATEGORY(lcConfig, "mailroom.config", QtInfoMsg)
