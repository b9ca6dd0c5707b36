#include "admin/logging.h"

Q_LOGGING_CATEGORY(lcAdmin, "mailroom.admin", QtInfoMsg)
