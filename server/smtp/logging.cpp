#include "smtp/logging.h"

Q_LOGGING_CATEGORY(lcSmtp, "mailroom.smtp", QtInfoMsg)
