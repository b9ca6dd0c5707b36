// SmtpServer: takes accepted connections of the three SMTP listeners from
// net::Listeners (main thread), enforces the connection caps (in total and
// per client address), and starts each Session on one of the I/O threads.
// ServerContext is what every session shares: settings, directory, queue
// intake, credentials, throttle, TLS. Trust level: talks to the Internet.
#pragma once

#include <QObject>
#include <QThreadPool>

#include "net/connectioncounter.h"
#include "smtp/directory.h"
#include "smtp/session.h"

namespace mailroom
{
class EventBus;
namespace config
{
class Settings;
}
namespace auth
{
class CredentialSource;
class LoginThrottle;
} // namespace auth
namespace net
{
class TlsContext;
class IoThreads;
} // namespace net
namespace queue
{
class Submitter;
}
namespace spam
{
class Filter;
}
} // namespace mailroom

namespace mailroom::smtp
{

struct ServerContext {
    config::Settings &settings;
    EventBus &bus;
    Directory &directory;
    queue::Submitter &submitter;
    auth::CredentialSource &credentials;
    auth::LoginThrottle &throttle;
    net::TlsContext *tls; // null: no TLS available
    QThreadPool &workers; // password checks
    net::ConnectionCounter &connections;
    QString hostname;
    spam::Filter *filter = nullptr; // null: mail from other servers is not checked for spam
};

class SmtpServer : public QObject
{
    Q_OBJECT
public:
    SmtpServer(ServerContext &ctx, net::IoThreads &threads, QObject *parent = nullptr);
    // From the listener of the named service, on the main thread.
    void accept(const QString &service, qintptr descriptor);

private:
    ServerContext &m_ctx;
    net::IoThreads &m_threads;
};

} // namespace mailroom::smtp
