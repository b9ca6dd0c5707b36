#include "telemetry/logging.h"

Q_LOGGING_CATEGORY(lcTelemetry, "mailroom.telemetry", QtInfoMsg)
