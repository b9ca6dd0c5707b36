#include "base/result.h"

#include <array>

namespace mailroom
{

namespace
{
constexpr std::array<const char *, 13> kNames {
    "invalid_argument",
    "not_found",
    "already_exists",
    "permission_denied",
    "conflict",
    "quota_exceeded",
    "io_error",
    "database_error",
    "unavailable",
    "protocol_error",
    "version_mismatch",
    "too_large",
    "internal",
};
}

const char *errorCodeName(ErrorCode code)
{
    const auto i = size_t(code);
    return i < kNames.size() ? kNames[i] : "internal";
}

std::optional<ErrorCode> errorCodeFromName(const QString &name)
{
    for (size_t i = 0; i < kNames.size(); ++i)
        if (name == QLatin1String(kNames[i]))
            return ErrorCode(i);
    return std::nullopt;
}

} // namespace mailroom
