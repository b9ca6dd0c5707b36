// Logging category of the delivery module, "mailroom.delivery", info and
// above by default (QT_LOGGING_RULES="mailroom.delivery.debug=true" for more).
// Trust level: internal.
#include "delivery/logging.h"

Q_LOGGING_CATEGORY(lcDelivery, "mailroom.delivery", QtInfoMsg)
