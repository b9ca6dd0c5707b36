#include "pop3/logging.h"

Q_LOGGING_CATEGORY(lcPop3, "mailroom.pop3", QtInfoMsg)
