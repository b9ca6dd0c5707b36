// ImapServer: takes accepted connections of the IMAP listeners (143, 993)
// from net::Listeners on the main thread, enforces the connection caps, and
// starts each Session on one of the I/O threads. ServerContext is what every
// session shares. Trust level: talks to the Internet.
#pragma once

#include <QObject>
#include <QThreadPool>

#include "imap/session.h"

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
class Store;
}
} // namespace mailroom

namespace mailroom::imap
{

struct ServerContext {
    config::Settings &settings;
    EventBus &bus;
    store::Store &store;
    auth::CredentialSource &credentials;
    auth::LoginThrottle &throttle;
    net::TlsContext *tls; // null: no TLS available
    QThreadPool &authWorkers; // password checks
    QThreadPool &storeWorkers; // commands that read or write the store
    net::ConnectionCounter &connections;
    QString hostname;
};

class ImapServer : public QObject
{
    Q_OBJECT
public:
    ImapServer(ServerContext &ctx, net::IoThreads &threads, QObject *parent = nullptr);
    void accept(const QString &service, qintptr descriptor);

private:
    ServerContext &m_ctx;
    net::IoThreads &m_threads;
};

} // namespace mailroom::imap
