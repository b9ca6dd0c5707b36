// AdminError: the one exception type of the admin side. Handlers may throw it
// (STYLE rule 13); the dispatcher turns it into an error reply and nothing
// else catches it. Trust level: internal.
#pragma once

#include <utility>

#include "base/result.h"

namespace mailroom::admin
{

struct AdminError {
    Error error;
};

[[noreturn]] inline void raise(ErrorCode code, const QString &message)
{
    throw AdminError { Error(code, message) };
}

// The value of a Result, or an AdminError with its error.
template<typename T> T unwrap(Result<T> &&r)
{
    if (!r.ok())
        throw AdminError { r.error() };
    return std::move(r).value();
}

inline void unwrap(Status &&s)
{
    if (!s.ok())
        throw AdminError { s.error() };
}

} // namespace mailroom::admin
