#include "ctl/password.h"

#include <cstdio>
#include <cstring>
#include <termios.h>
#include <unistd.h>

#include "ctl/ctlcontext.h"

namespace mailroom::ctl
{

namespace
{
QString readLine(bool echo)
{
    termios old {};
    const bool tty = ::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty && !echo) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char buf[1100];
    const bool got = std::fgets(buf, sizeof(buf), stdin) != nullptr;
    if (tty && !echo) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        std::fputc('\n', stderr);
    }
    if (!got)
        return {};
    size_t n = std::strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    QString out = QString::fromUtf8(buf, qsizetype(n));
    std::memset(buf, 0, sizeof(buf));
    return out;
}
} // namespace

QString readPassword(const QString &prompt)
{
    if (!::isatty(STDIN_FILENO)) {
        const QString pw = readLine(true);
        if (pw.isEmpty())
            throw CtlError { exitcode::Usage, QStringLiteral("no password on standard input") };
        return pw;
    }
    std::fprintf(stderr, "%s: ", prompt.toLocal8Bit().constData());
    const QString first = readLine(false);
    std::fprintf(stderr, "Repeat: ");
    const QString second = readLine(false);
    if (first != second)
        throw CtlError { exitcode::Usage, QStringLiteral("the passwords differ; nothing was changed") };
    if (first.isEmpty())
        throw CtlError { exitcode::Usage, QStringLiteral("empty password; nothing was changed") };
    return first;
}

} // namespace mailroom::ctl
