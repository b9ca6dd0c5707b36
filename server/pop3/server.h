// Pop3Server: takes accepted connections of the POP3 listeners (pop3 with
// STLS, pop3s with implicit TLS) from net::Listeners on the main thread,
// enforces pop3.max_connections and pop3.max_connections_per_ip, and starts
// each Session on one of the I/O threads. ServerContext is what every
// session shares: settings, events, the mail store, credentials, throttle,
// TLS and the worker pool for slow work. Trust level: talks to the Internet.
#pragma once

#include <QObject>
#include <QString>
#include <QThreadPool>

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
class ConnectionCounter;
} // namespace net
namespace store
{
class MailStore;
}
} // namespace mailroom

namespace mailroom::pop3
{

struct ServerContext {
    config::Settings &settings;
    EventBus &bus;
    store::MailStore &mail;
    auth::CredentialSource &credentials;
    auth::LoginThrottle &throttle;
    net::TlsContext *tls; // null: no TLS available
    QThreadPool &workers; // password checks, maildrop loads, message reads, QUIT updates
    net::ConnectionCounter &connections;
    QString hostname;
};

class Pop3Server : public QObject
{
    Q_OBJECT
public:
    Pop3Server(ServerContext &ctx, net::IoThreads &threads, QObject *parent = nullptr);
    // From the listener of "pop3" or "pop3s", on the main thread.
    void accept(const QString &service, qintptr descriptor);

private:
    ServerContext &m_ctx;
    net::IoThreads &m_threads;
};

} // namespace mailroom::pop3
