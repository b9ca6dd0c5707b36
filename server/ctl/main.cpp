// mailroomctl: manage a running Mailroom engine from the command line, over
// the same admin socket the console uses. See `mailroomctl help`.
#include <csignal>

#include <QCoreApplication>

#include "adminclient/socketlocator.h"
#include "ctl/output.h"
#include "ctl/verbs.h"

using namespace mailroom::ctl;

namespace
{
void usage(FILE *to)
{
    std::fprintf(to, "usage: mailroomctl [--socket PATH] [--json] COMMAND ...\n\ncommands:\n");
    for (const Verb &v : verbs())
        std::fprintf(to, "  %-58s %s\n", qPrintable(v.usage), qPrintable(v.help));
    std::fprintf(to, "\nThe socket defaults to $MAILROOM_SOCKET or the engine's data folder (%s).\n",
        qPrintable(mailroom::adminclient::findSocket()));
}

// Matches the longest verb whose words start the argument list.
const Verb *matchVerb(const QStringList &args)
{
    const Verb *best = nullptr;
    for (const Verb &v : verbs())
        if (args.size() >= v.words.size() && args.mid(0, v.words.size()) == v.words
            && (!best || v.words.size() > best->words.size()))
            best = &v;
    return best;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    std::signal(SIGPIPE, SIG_IGN);
    QStringList args = QCoreApplication::arguments().mid(1);

    QString socket;
    bool json = false;
    while (!args.isEmpty() && args.first().startsWith(QStringLiteral("--"))) {
        const QString opt = args.takeFirst();
        if (opt == u"--json") {
            json = true;
        } else if (opt == u"--socket" && !args.isEmpty()) {
            socket = args.takeFirst();
        } else if (opt.startsWith(QStringLiteral("--socket="))) {
            socket = opt.mid(9);
        } else if (opt == u"--help") {
            usage(stdout);
            return exitcode::Ok;
        } else if (opt == u"--version") {
            printLine(QStringLiteral("mailroomctl " MAILROOM_VERSION));
            return exitcode::Ok;
        } else {
            printError(QStringLiteral("unknown option %1").arg(opt));
            usage(stderr);
            return exitcode::Usage;
        }
    }
    if (args.isEmpty() || args.first() == u"help") {
        usage(args.isEmpty() ? stderr : stdout);
        return args.isEmpty() ? exitcode::Usage : exitcode::Ok;
    }
    const Verb *verb = matchVerb(args);
    if (!verb) {
        printError(QStringLiteral("unknown command \"%1\"").arg(args.join(u' ')));
        usage(stderr);
        return exitcode::Usage;
    }
    CtlContext ctx(socket.isEmpty() ? mailroom::adminclient::findSocket() : socket, json);
    const QStringList rest = args.mid(verb->words.size());
    for (qsizetype i = 0; i < rest.size(); ++i) {
        const QString &a = rest.at(i);
        if (!a.startsWith(QStringLiteral("--")) || a == u"--") {
            ctx.args << a;
            continue;
        }
        const QString name = a.mid(2).section(QLatin1Char('='), 0, 0);
        if (verb->flagOptions.contains(name)) {
            ctx.options.insert(name, QString());
        } else if (verb->valueOptions.contains(name)) {
            if (a.contains(QLatin1Char('=')))
                ctx.options.insert(name, a.section(QLatin1Char('='), 1));
            else if (i + 1 < rest.size())
                ctx.options.insert(name, rest.at(++i));
            else {
                printError(QStringLiteral("--%1 needs a value").arg(name));
                return exitcode::Usage;
            }
        } else {
            printError(QStringLiteral("\"%1\" takes no option --%2\nusage: mailroomctl %3")
                           .arg(verb->words.join(u' '), name, verb->usage));
            return exitcode::Usage;
        }
    }
    try {
        ctx.connect();
        verb->run(ctx);
    } catch (const CtlError &e) {
        printError(e.message);
        if (e.exitCode == exitcode::Usage)
            std::fprintf(stderr, "usage: mailroomctl %s\n", qPrintable(verb->usage));
        return e.exitCode;
    }
    return exitcode::Ok;
}
