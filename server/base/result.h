// Result<T>: a value or an Error, returned by every fallible call in the engine.
// Trust level: internal. Errors carry a stable machine code (used by the admin
// protocol and tests) and a sentence for the admin that says what to do.
#pragma once

#include <optional>
#include <utility>

#include <QString>

namespace mailroom
{

// Stable error codes. The admin protocol sends them as strings (errorCodeName).
enum class ErrorCode {
    InvalidArgument, // the caller sent a value that is not acceptable
    NotFound, // the named object does not exist
    AlreadyExists, // an object with that name exists already
    PermissionDenied, // the caller may not do this
    Conflict, // the change contradicts the current state (e.g. domain still has users)
    QuotaExceeded,
    IoError, // disk or file system failure
    DatabaseError, // SQLite failed
    Unavailable, // a service is not running or not reachable
    ProtocolError, // malformed frame or message
    VersionMismatch,
    TooLarge,
    Internal,
};

const char *errorCodeName(ErrorCode code);
std::optional<ErrorCode> errorCodeFromName(const QString &name);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message; // one sentence for the admin: what happened and what to do

    Error() = default;
    Error(ErrorCode c, QString msg)
        : code(c)
        , message(std::move(msg))
    {
    }
};

template<typename T> class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    {
    }
    Result(Error error)
        : m_error(std::move(error))
    {
    }

    bool ok() const
    {
        return m_value.has_value();
    }
    explicit operator bool() const
    {
        return ok();
    }
    const T &value() const &
    {
        return *m_value;
    }
    T &value() &
    {
        return *m_value;
    }
    T &&value() &&
    {
        return std::move(*m_value);
    }
    const T *operator->() const
    {
        return &*m_value;
    }
    const T &operator*() const
    {
        return *m_value;
    }
    const Error &error() const
    {
        return m_error;
    }

private:
    std::optional<T> m_value;
    Error m_error;
};

template<> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error)
        : m_failed(true)
        , m_error(std::move(error))
    {
    }
    bool ok() const
    {
        return !m_failed;
    }
    explicit operator bool() const
    {
        return ok();
    }
    const Error &error() const
    {
        return m_error;
    }

private:
    bool m_failed = false;
    Error m_error;
};

using Status = Result<void>;

} // namespace mailroom
