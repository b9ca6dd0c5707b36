// What SMTP asks of the user directory, as an interface (DESIGN §4: smtp
// does not include store; main implements this over it). Called on the I/O
// threads; implementations read through their own SQLite connection.
// Trust level: internal.
#pragma once

#include <QString>
#include <QStringList>

#include "base/result.h"

namespace mailroom::smtp
{

class Directory
{
public:
    virtual ~Directory() = default;
    virtual Result<bool> isLocalDomain(const QString &domain) = 0;
    // Final recipients of an address; NotFound when a local address has none.
    virtual Result<QStringList> resolve(const QString &address) = 0;
};

} // namespace mailroom::smtp
