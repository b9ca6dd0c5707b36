// Listeners: binds every configured mail port at start-up, so a port that is
// taken or forbidden stops the engine with a clear message instead of failing
// later. Trust level: talks to the Internet. A protocol registers a session
// factory for its service; a service with no factory in this build answers
// each connection with its protocol's standard "service not available" reply
// (SMTP 421, IMAP BYE, POP3 -ERR) and closes it.
#pragma once

#include <functional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QTcpServer>

#include "base/events.h"
#include "base/result.h"

namespace mailroom::config
{
class Settings;
}

namespace mailroom::net
{

struct ServiceSpec {
    QString name; // "smtp", "submission", ...
    QString portSetting; // "smtp.port"
    bool implicitTls;
};

const QList<ServiceSpec> &mailServices();

struct ListenerState {
    QString service;
    QString address;
    int port = 0;
    QString state; // "listening", "off", "failed"
    QString detail;
};

class Listeners : public QObject
{
    Q_OBJECT
public:
    using SessionFactory = std::function<void(qintptr socketDescriptor)>;

    Listeners(config::Settings &settings, EventBus &bus, QObject *parent = nullptr);
    ~Listeners() override;

    void setSessionFactory(const QString &service, SessionFactory factory);
    // Binds every service whose port is not 0; the first failure is returned
    // (and all listeners opened so far are closed again).
    Status start();
    void stop();
    QList<ListenerState> states() const;

private:
    class Server;
    void refuse(const QString &service, qintptr descriptor);

    config::Settings &m_settings;
    EventBus &m_bus;
    QList<Server *> m_servers;
    QHash<QString, SessionFactory> m_factories;
    QList<ListenerState> m_states;
};

} // namespace mailroom::net
