// mailroomd: the Mailroom engine. Runs in the foreground (systemd Type=notify,
// launchd and development); see docs/running.md for options and exit codes.
#include <cstdio>
#include <sys/stat.h>

#include <QCommandLineParser>
#include <QCoreApplication>

#include "adminclient/socketlocator.h"
#include "config/settings.h"
#include "main/engine.h"
#include "main/exitcodes.h"
#include "main/unixsignals.h"

using namespace mailroom;

int main(int argc, char *argv[])
{
    // The data folder holds password hashes and mail: nothing for other users.
    ::umask(027);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mailroomd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MAILROOM_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Mailroom mail server engine"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataOpt(QStringLiteral("data"),
        QStringLiteral("Data folder (default %1).").arg(adminclient::defaultDataFolder()), QStringLiteral("DIR"));
    const QCommandLineOption configOpt(
        QStringLiteral("config"), QStringLiteral("Configuration file (name = value lines)."), QStringLiteral("FILE"));
    const QCommandLineOption setOpt(
        QStringLiteral("set"), QStringLiteral("Set a setting for this run (repeatable)."), QStringLiteral("KEY=VALUE"));
    const QCommandLineOption printOpt(
        QStringLiteral("print-settings"), QStringLiteral("Print the settings reference (Markdown) and exit."));
    parser.addOptions({ dataOpt, configOpt, setOpt, printOpt });
    if (!parser.parse(QCoreApplication::arguments())) {
        std::fprintf(stderr, "mailroomd: %s\nTry mailroomd --help.\n", qPrintable(parser.errorText()));
        return exitcode::Usage;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(exitcode::Ok);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "mailroomd: unexpected argument %s\nTry mailroomd --help.\n",
            qPrintable(parser.positionalArguments().constFirst()));
        return exitcode::Usage;
    }
    if (parser.isSet(printOpt)) {
        std::fputs(config::settingsMarkdown().toUtf8().constData(), stdout);
        return exitcode::Ok;
    }

    config::Settings settings;
    if (parser.isSet(configOpt)) {
        if (auto s = settings.loadFile(parser.value(configOpt)); !s) {
            std::fprintf(stderr, "mailroomd: %s\n", s.error().message.toLocal8Bit().constData());
            return exitcode::Config;
        }
    }
    for (const QString &assignment : parser.values(setOpt)) {
        if (auto s = settings.applyOverride(assignment); !s) {
            std::fprintf(stderr, "mailroomd: %s\n", s.error().message.toLocal8Bit().constData());
            return exitcode::Config;
        }
    }

    UnixSignals unixSignals;
    if (!unixSignals.install()) {
        std::fprintf(stderr, "mailroomd: cannot install signal handlers\n");
        return exitcode::Io;
    }
    const QString data = parser.isSet(dataOpt) ? parser.value(dataOpt) : adminclient::defaultDataFolder();
    Engine engine(settings, data);
    if (const int code = engine.start(); code != exitcode::Ok)
        return code;
    QObject::connect(&unixSignals, &UnixSignals::terminateRequested, &app, [&](const QString &name) {
        engine.stop(name);
        QCoreApplication::exit(exitcode::Ok);
    });
    return QCoreApplication::exec();
}
