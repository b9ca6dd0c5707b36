// Reads a password from the terminal (twice, without echo) or, when stdin is
// not a terminal, one line from stdin. Never from argv: argv is visible to
// every local user in ps.
#pragma once

#include <QString>

namespace mailroom::ctl
{
QString readPassword(const QString &prompt); // throws CtlError
}
