#include "main/engine.h"

#include <cstdio>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QHostInfo>

#include "admin/adminserver.h"
#include "auth/storecredentials.h"
#include "auth/throttle.h"
#include "delivery/dkim/dkimsigner.h"
#include "imap/server.h"
#include "main/dkimmanager.h"
#include "main/exitcodes.h"
#include "main/sdnotify.h"
#include "net/iothreads.h"
#include "net/listeners.h"
#include "net/tlscontext.h"
#include "pop3/server.h"
#include "queue/scheduler.h"
#include "queue/spool.h"
#include "smtp/directory.h"
#include "smtp/server.h"
#include "spam/bayesfilter.h"
#include "spam/reputation.h"
#include "store/logstore.h"
#include "store/settingsrepository.h"
#include "store/store.h"
#include "telemetry/logpipeline.h"

namespace mailroom
{

Engine::Engine(config::Settings &settings, const QString &dataFolder, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_data(dataFolder)
{
}

Engine::~Engine()
{
    stop(QStringLiteral("exit"));
}

int Engine::fail(int code, const QString &message)
{
    std::fprintf(stderr, "mailroomd: %s\n", message.toLocal8Bit().constData());
    stop(QStringLiteral("start-up failed"));
    return code;
}

Status Engine::loadStoredSettings()
{
    auto stored = m_store->settings().loadAll();
    if (!stored)
        return stored.error();
    for (auto it = stored->cbegin(); it != stored->cend(); ++it) {
        // A value an older or newer engine stored, or one the registry now
        // refuses, is reported and skipped rather than blocking the start.
        if (const Status s = m_settings.setAdminValue(it.key(), it.value()); !s)
            std::fprintf(stderr, "mailroomd: ignoring stored setting %s: %s\n", qPrintable(it.key()),
                s.error().message.toLocal8Bit().constData());
    }
    return {};
}

int Engine::start()
{
    QElapsedTimer clock;
    clock.start();
    m_startedAt = QDateTime::currentDateTimeUtc();

    // 1. data folder: exists, writable, ours alone
    if (auto s = m_data.prepare(); !s)
        return fail(exitcode::DataFolder, s.error().message);
    if (auto s = m_data.lock(); !s)
        return fail(s.error().code == ErrorCode::Conflict ? exitcode::InUse : exitcode::DataFolder, s.error().message);

    // 2. store
    auto store = store::Store::open(m_data.path(), &m_bus);
    if (!store)
        return fail(exitcode::DataFolder, store.error().message);
    m_store = std::move(store).value();
    if (auto s = loadStoredSettings(); !s)
        return fail(exitcode::DataFolder, s.error().message);

    // 3. logging: from here on, events reach logs.db and mailroomd.log
    QDir().mkpath(m_data.file(QStringLiteral("logs")));
    m_logs = std::make_unique<telemetry::LogPipeline>(
        m_bus, m_settings, m_data.file(QStringLiteral("logs/mailroomd.log")));
    store::LogStore &logStore = m_store->logs();
    m_logs->setSinks([&logStore](const QList<Event> &events) { return logStore.append(events); },
        [&logStore](int days, qint64 maxBytes) { return logStore.prune(days, maxBytes); });
    m_logs->start();
    m_bus.raise(EventId::EngineStarting,
        { { QStringLiteral("version"), QStringLiteral(MAILROOM_VERSION) }, { QStringLiteral("data"), m_data.path() } });

    // 4. spam filter, then mail: TLS, queue, delivery, SMTP sessions; then the listeners
    if (auto s = startSpam(); !s)
        return fail(exitcode::DataFolder, s.error().message);
    m_listeners = std::make_unique<net::Listeners>(m_settings, m_bus);
    if (auto s = startMail(); !s)
        return fail(exitcode::DataFolder, s.error().message);
    if (auto s = m_listeners->start(); !s)
        return fail(s.error().code == ErrorCode::InvalidArgument ? exitcode::Config : exitcode::PortUnavailable,
            s.error().message);

    // 5. admin socket
    m_services = std::make_unique<admin::Services>(admin::Services { *m_store, m_settings, m_bus, *this,
        [this] { QMetaObject::invokeMethod(m_scheduler, &queue::Scheduler::wake); }, this, this, this });
    m_services->dkim = m_dkim.get();
    m_admin = std::make_unique<admin::AdminServer>(*m_services);
    QString socketPath = m_settings.stringValue(QStringLiteral("admin.socket"));
    if (socketPath.isEmpty())
        socketPath = m_data.file(QStringLiteral("run/admin.sock"));
    if (auto s = m_admin->listen(socketPath); !s)
        return fail(s.error().code == ErrorCode::InvalidArgument ? exitcode::Config : exitcode::Io, s.error().message);
    // Live log lines are the stored ones, with the ids logs.query pages by.
    connect(m_logs.get(), &telemetry::LogPipeline::stored, m_admin.get(), &admin::AdminServer::publishLogLines);

    m_running = true;
    m_bus.raise(EventId::EngineStarted, { { QStringLiteral("ms"), clock.elapsed() } });
    sdNotify(QByteArrayLiteral("READY=1\nSTATUS=Mailroom is running"));
    return exitcode::Ok;
}

void Engine::stop(const QString &reason)
{
    const bool wasRunning = std::exchange(m_running, false);
    if (wasRunning) {
        sdNotify(QByteArrayLiteral("STOPPING=1"));
        m_bus.raise(EventId::EngineStopping, { { QStringLiteral("reason"), reason } });
    }
    // Reverse order of start. The last log lines reach the admin clients
    // before their connections close.
    if (m_logs && m_admin) {
        m_logs->flush();
        QCoreApplication::sendPostedEvents(m_admin.get(), QEvent::MetaCall);
    }
    if (m_admin) {
        m_admin->close();
        m_admin.reset();
    }
    m_services.reset();
    if (m_listeners)
        m_listeners->stop();
    stopMail();
    stopSpam();
    m_listeners.reset();
    if (m_logs) {
        if (wasRunning)
            m_bus.raise(EventId::EngineStopped);
        m_logs->stop();
        m_logs.reset();
    }
    m_store.reset();
    m_data.unlock();
}

QDateTime Engine::startedAt() const
{
    return m_startedAt;
}

QString Engine::dataFolder() const
{
    return m_data.path();
}

QString Engine::hostname() const
{
    const QString configured = m_settings.stringValue(QStringLiteral("server.hostname"));
    return configured.isEmpty() ? QHostInfo::localHostName() : configured;
}

QList<admin::ListenerInfo> Engine::listeners() const
{
    QList<admin::ListenerInfo> out;
    if (!m_listeners)
        return out;
    for (const auto &l : m_listeners->states())
        out.append({ l.service, l.address, l.port, l.state, l.detail });
    return out;
}

} // namespace mailroom
