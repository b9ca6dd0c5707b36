// Engine, the IMAP part of the composition root: the imap (STARTTLS) and
// imaps listeners get sessions that share TLS, credentials, the login
// throttle and the I/O threads with SMTP and POP3, and run their commands
// on a pool of their own (imap.workers), each thread keeping its SQLite
// connection. Started at the end of startMail, stopped from stopMail after
// the I/O threads (and so every session) are gone. Trust level: internal.
#include "auth/storecredentials.h"
#include "auth/throttle.h"
#include "imap/server.h"
#include "main/engine.h"
#include "net/connectioncounter.h"
#include "net/iothreads.h"
#include "net/listeners.h"
#include "store/store.h"

namespace mailroom
{

void Engine::startImap()
{
    m_imapConnections = std::make_unique<net::ConnectionCounter>();
    m_imapWorkers = std::make_unique<QThreadPool>();
    m_imapWorkers->setMaxThreadCount(int(m_settings.intValue(QStringLiteral("imap.workers"))));
    m_imapWorkers->setExpiryTimeout(-1);
    m_imapContext = std::make_unique<imap::ServerContext>(imap::ServerContext { m_settings, m_bus, *m_store,
        *m_credentials, *m_throttle, m_tls.get(), *m_authWorkers, *m_imapWorkers, *m_imapConnections, hostname() });
    m_imap = std::make_unique<imap::ImapServer>(*m_imapContext, *m_ioThreads);
    for (const char *service : { "imap", "imaps" })
        m_listeners->setSessionFactory(QLatin1String(service),
            [this, name = QString::fromLatin1(service)](qintptr fd) { m_imap->accept(name, fd); });
}

void Engine::stopImap()
{
    // The sessions went with the I/O threads; commands they left running
    // hold their session's context, so the pool is drained first.
    if (m_imapWorkers)
        m_imapWorkers->waitForDone();
    m_imap.reset();
    m_imapContext.reset();
    m_imapWorkers.reset();
    m_imapConnections.reset();
}

} // namespace mailroom
