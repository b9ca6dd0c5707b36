#include "net/listeners.h"

#include <QTcpSocket>
#include <QTimer>

#include "config/settings.h"
#include "net/logging.h"

namespace mailroom::net
{

class Listeners::Server : public QTcpServer
{
public:
    Server(QString service, std::function<void(qintptr)> onIncoming, QObject *parent)
        : QTcpServer(parent)
        , m_service(std::move(service))
        , m_onIncoming(std::move(onIncoming))
    {
    }
    QString service() const
    {
        return m_service;
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        m_onIncoming(descriptor);
    }

private:
    QString m_service;
    std::function<void(qintptr)> m_onIncoming;
};

const QList<ServiceSpec> &mailServices()
{
    static const QList<ServiceSpec> services {
        { QStringLiteral("smtp"), QStringLiteral("smtp.port"), false },
        { QStringLiteral("submission"), QStringLiteral("submission.port"), false },
        { QStringLiteral("smtps"), QStringLiteral("smtps.port"), true },
        { QStringLiteral("imap"), QStringLiteral("imap.port"), false },
        { QStringLiteral("imaps"), QStringLiteral("imaps.port"), true },
        { QStringLiteral("pop3"), QStringLiteral("pop3.port"), false },
        { QStringLiteral("pop3s"), QStringLiteral("pop3s.port"), true },
    };
    return services;
}

Listeners::Listeners(config::Settings &settings, EventBus &bus, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_bus(bus)
{
}

Listeners::~Listeners()
{
    stop();
}

void Listeners::setSessionFactory(const QString &service, SessionFactory factory)
{
    m_factories.insert(service, std::move(factory));
}

Status Listeners::start()
{
    const QString addressText = m_settings.stringValue(QStringLiteral("listen.address"));
    const QHostAddress address(addressText);
    if (address.isNull())
        return Error(
            ErrorCode::InvalidArgument, QStringLiteral("listen.address \"%1\" is not an IP address.").arg(addressText));
    m_states.clear();
    for (const ServiceSpec &spec : mailServices()) {
        const int port = int(m_settings.intValue(spec.portSetting));
        ListenerState st { spec.name, addressText, port, QStringLiteral("off"),
            QStringLiteral("Turned off (%1 = 0).").arg(spec.portSetting) };
        if (port != 0) {
            auto *server = new Server(
                spec.name,
                [this, service = spec.name](qintptr d) {
                    if (auto f = m_factories.value(service))
                        f(d);
                    else
                        refuse(service, d);
                },
                this);
            if (!server->listen(address, quint16(port))) {
                const QString why = server->errorString();
                m_bus.raise(EventId::ListenerFailed,
                    { { QStringLiteral("service"), spec.name }, { QStringLiteral("address"), addressText },
                        { QStringLiteral("port"), port }, { QStringLiteral("error"), why } });
                delete server;
                stop();
                return Error(ErrorCode::Unavailable,
                    QStringLiteral("Cannot listen for %1 on %2 port %3: %4. Stop the program that uses "
                                   "the port, or choose another with --set %5=PORT (0 turns it off).")
                        .arg(spec.name, addressText)
                        .arg(port)
                        .arg(why, spec.portSetting));
            }
            m_servers.append(server);
            st.port = server->serverPort();
            const bool served = m_factories.contains(spec.name);
            st.state = QStringLiteral("listening");
            st.detail = served ? QStringLiteral("Accepting connections.")
                               : QStringLiteral("Port reserved; this build answers \"service not available\" until "
                                                "the %1 protocol is enabled.")
                                     .arg(spec.name);
            m_bus.raise(EventId::ListenerStarted,
                { { QStringLiteral("service"), spec.name }, { QStringLiteral("address"), addressText },
                    { QStringLiteral("port"), st.port } });
        }
        m_states.append(st);
    }
    return {};
}

void Listeners::stop()
{
    for (Server *s : std::as_const(m_servers)) {
        s->close();
        s->deleteLater();
    }
    m_servers.clear();
}

QList<ListenerState> Listeners::states() const
{
    return m_states;
}

void Listeners::refuse(const QString &service, qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        socket->deleteLater();
        return;
    }
    m_bus.raise(EventId::ConnectionServiceUnavailable,
        { { QStringLiteral("service"), service }, { QStringLiteral("peer"), socket->peerAddress().toString() } });
    QByteArray reply;
    if (service.startsWith(u"smtp") || service == u"submission")
        reply = "421 4.3.2 Service not available, closing transmission channel\r\n";
    else if (service.startsWith(u"imap"))
        reply = "* BYE Service not available\r\n";
    else
        reply = "-ERR Service not available\r\n";
    // Implicit-TLS ports expect a handshake first; plain text would only
    // confuse the client, so they are closed without a word.
    const auto &specs = mailServices();
    const bool implicitTls = std::any_of(specs.cbegin(), specs.cend(),
        [&](const ServiceSpec &spec) { return spec.name == service && spec.implicitTls; });
    if (!implicitTls)
        socket->write(reply);
    socket->disconnectFromHost();
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(5000, socket, &QObject::deleteLater);
}

} // namespace mailroom::net
