#include "net/logging.h"

Q_LOGGING_CATEGORY(lcNet, "mailroom.net", QtInfoMsg)
