// mailroom-console: the Mailroom admin console. It manages a running engine
// through its local admin socket only.
#include <QApplication>
#include <QCommandLineParser>

#include "adminclient/adminclient.h"
#include "adminclient/socketlocator.h"
#include "mainwindow.h"
#include "translations.h"

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Mailroom Console"));
    QApplication::setApplicationVersion(QStringLiteral(MAILROOM_VERSION));
    mailroom::console::installTranslations(app);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Mailroom admin console"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption socketOpt(
        QStringLiteral("socket"), QStringLiteral("The engine's admin socket."), QStringLiteral("PATH"));
    parser.addOption(socketOpt);
    parser.process(app);

    mailroom::adminclient::AdminClient client(QStringLiteral("mailroom-console " MAILROOM_VERSION));
    mailroom::console::MainWindow window(client);
    window.show();
    window.connectTo(parser.isSet(socketOpt) ? parser.value(socketOpt) : mailroom::adminclient::findSocket());
    return QApplication::exec();
}
