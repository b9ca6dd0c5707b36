// Logging category of the delivery module (STYLE rule 10): one line per
// connection's TLS result, per failed host and per finished job. Never
// carries passwords or AUTH payloads.
// Trust level: internal.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcDelivery)
