// Engine: mailroomd's composition root. It owns every service, wires them
// (lower layers define interfaces, the engine connects them), starts them in
// order and stops them in reverse (STYLE rule 11). Trust level: internal.
#pragma once

#include <memory>

#include <QDateTime>
#include <QObject>

#include "admin/services.h"
#include "base/events.h"
#include "config/settings.h"
#include "main/datafolder.h"

namespace mailroom
{

namespace store
{
class Store;
}
namespace telemetry
{
class LogPipeline;
}
namespace net
{
class Listeners;
}
namespace admin
{
class AdminServer;
}

class Engine : public QObject, public admin::StatusProvider
{
    Q_OBJECT
public:
    Engine(config::Settings &settings, const QString &dataFolder, QObject *parent = nullptr);
    ~Engine() override;

    // Starts everything; on failure returns the sysexits code and prints why.
    int start();
    void stop(const QString &reason);

    // admin::StatusProvider
    QDateTime startedAt() const override;
    QString dataFolder() const override;
    QString hostname() const override;
    QList<admin::ListenerInfo> listeners() const override;

private:
    int fail(int code, const QString &message);
    Status loadStoredSettings();

    config::Settings &m_settings;
    DataFolder m_data;
    EventBus m_bus;
    QDateTime m_startedAt;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<telemetry::LogPipeline> m_logs;
    std::unique_ptr<net::Listeners> m_listeners;
    std::unique_ptr<admin::Services> m_services;
    std::unique_ptr<admin::AdminServer> m_admin;
    bool m_running = false;
};

} // namespace mailroom
