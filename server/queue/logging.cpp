#include "queue/logging.h"

Q_LOGGING_CATEGORY(lcQueue, "mailroom.queue", QtInfoMsg)
