// Engine, the POP3 part of the composition root: the pop3 (STLS) and pop3s
// listeners get sessions that share TLS, credentials, the login throttle,
// the worker pool and the I/O threads with SMTP, and read the users'
// INBOXes through the store's MailStore. Started at the end of startMail,
// stopped from stopMail after the I/O threads (and so every session) are
// gone. Trust level: internal.
#include "auth/storecredentials.h"
#include "auth/throttle.h"
#include "main/engine.h"
#include "net/connectioncounter.h"
#include "net/iothreads.h"
#include "net/listeners.h"
#include "pop3/server.h"
#include "store/store.h"

namespace mailroom
{

void Engine::startPop3()
{
    m_pop3Connections = std::make_unique<net::ConnectionCounter>();
    m_pop3Context = std::make_unique<pop3::ServerContext>(pop3::ServerContext { m_settings, m_bus, m_store->mailStore(),
        *m_credentials, *m_throttle, m_tls.get(), *m_authWorkers, *m_pop3Connections, hostname() });
    m_pop3 = std::make_unique<pop3::Pop3Server>(*m_pop3Context, *m_ioThreads);
    for (const char *service : { "pop3", "pop3s" })
        m_listeners->setSessionFactory(QLatin1String(service),
            [this, name = QString::fromLatin1(service)](qintptr fd) { m_pop3->accept(name, fd); });
}

void Engine::stopPop3()
{
    // The sessions went with the I/O threads; work they left on the pool
    // (a QUIT update) holds only the store, which outlives the pool.
    m_pop3.reset();
    m_pop3Context.reset();
    m_pop3Connections.reset();
}

} // namespace mailroom
